import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mnemonicToAccount } from 'viem/accounts';
import type { Address } from 'viem';
import type { Deployment } from '../schemas/deployment.js';
import { runMonteCarlo } from '../liquidity/montecarlo.js';
import { liquidFor, replayPlan, type ReplayPlan } from '../liquidity/replay-plan.js';
import { buildReplayReport, compareDay, replayTable, type DayShown, type ReplayReport, type RequestRecord } from '../liquidity/replay-report.js';
import type { Scenario } from '../liquidity/scenario.js';
import { ReplayChains, ReplayError } from './stress-replay-chain.js';

const DAY = 86_400;
/** anvil's default mnemonic: accounts #3 and #4 are the devnet demo's allow-listed investors (DEV ONLY). */
const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';
/** The investors' holdings together at the start of a replay: 1,000,000 units of the demo's 6-decimal token. */
export const REPLAY_CHAIN_POOL = 1_000_000_000_000n;

export interface ReplayOptions {
  /** Replay only the first N days. */
  days?: number;
  /** Monte Carlo beside the prediction (runs, seed). */
  runs: number;
  seed: number;
  outDir: string;
}

export interface ReplayRun {
  report: ReplayReport;
  table: string;
  jsonPath: string;
}

/**
 * `npm run stress -- scenario.json --replay` (and `rwa stress ... --replay`): plays the scenario's deterministic run
 * on the local stack, one day per step. Day 0: the issuer sets the pressure thresholds to 100% and the scenario's bands
 * (the stage follows the buy-back report alone), the custodian reports the pool and subscribes one investor per spoke.
 * Each day: every chain's clock moves a day; each investor requests its share
 * of the day's redemptions on its spoke and the custodian accepts; the buy-back custodian posts the pool and the liquid
 * assets that make the attested LCR the run's LCR for the oracle's open requests; every chain's stage, LCR and pool
 * are read; the custodian fulfils what each chain's stage allows. Writes `<outDir>/<scenario>.replay.json`.
 */
export async function runReplay(deployment: Deployment, oracleUrl: string, scenario: Scenario, o: ReplayOptions, progress: (line: string) => void): Promise<ReplayRun> {
  const chains = new ReplayChains(deployment, oracleUrl);
  const spokes = deployment.chains.filter((c) => c.chainId !== deployment.hub.chainId);
  if (spokes.length === 0) throw new ReplayError('the deployment has no spoke');
  const investors = spokes.map((c, i) => ({ chain: c, account: mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: 3 + i }) }));
  const plan: ReplayPlan = replayPlan(scenario, {
    chainPool: REPLAY_CHAIN_POOL,
    investors: investors.length,
    ...(o.days !== undefined ? { days: o.days } : {}),
    monteCarlo: runMonteCarlo(scenario, { runs: o.runs, seed: o.seed }),
  });
  const started = Date.now();
  const say = (text: string) => progress(`replay: ${text} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  say(`${scenario.name}: ${plan.days} days, investors ${investors.map((i) => `${i.account.address.slice(0, 10)} on ${i.chain.name}`).join(', ')}`);

  await chains.configure({ minShareBps: scenario.policy.buyBackMinShareBps, stageBBelowBps: scenario.policy.stageBBelowBps, stageCBelowBps: scenario.policy.stageCBelowBps, horizonDays: scenario.policy.horizonDays });
  const others = await chains.totalSupply();
  // The reserve is split into per-chain mint budgets (equal shares), so the holdings are minted under a reserve of
  // twice the pool, then the asset pool is reported as it is. Once only: a reserve under the supply is refused
  // (oracle/intake/reserve.ts), and the fund's value falls below the supply with the NAV shock before fulfilments burn it.
  const assetPool = others + plan.chainPool;
  await chains.postReserve(others + 2n * plan.chainPool);
  const tag = `replay-${scenario.name}-${Date.now()}`;
  await Promise.all(investors.map((inv, i) => chains.subscribe(inv.chain, inv.account.address as Address, plan.holdings[i]!, `${tag}-sub-${i}`)));
  await chains.postReserve(assetPool);
  say('day 0: policy, bands, reserve and holdings on every chain');

  const requests: (RequestRecord & { chainId: number; id: bigint; fulfilled: bigint })[] = [];
  const shown: DayShown[] = [];
  for (let day = 0; day <= plan.days; day++) {
    const p = plan.byDay[day]!;
    if (day > 0) {
      await chains.advance(DAY);
      const made = await Promise.all(
        investors.map(async (inv, i) => {
          const amount = p.requests[i] ?? 0n;
          if (amount === 0n) return undefined;
          const id = await chains.requestAndAccept(inv.chain, inv.account, amount);
          return { investor: i, chain: inv.chain.name, chainId: inv.chain.chainId, id, day, amount, paidDay: null, fulfilled: 0n };
        }),
      );
      requests.push(...made.filter((r) => r !== undefined));
    }
    const open = await chains.oracleOpenRequests(requests.map((r) => ({ chainId: r.chainId, requestId: r.id, fulfilled: r.fulfilled })));
    // The oracle's outflows: its open requests plus the bands' stress rate (1 bps) of the asset pool it holds.
    const outflows = open + assetPool / 10_000n;
    await chains.postBuyBack(p.buyBack, liquidFor(p.lcrBps, outflows));
    const today: DayShown = { day, chains: await chains.shown() };
    shown.push(today);
    await Promise.all(
      requests
        .filter((r) => r.paidDay === null)
        .map(async (r) => {
          const inv = investors[r.investor]!;
          r.fulfilled = await chains.fulfilAllowed(inv.chain, r.id, `${tag}-pay-${r.chainId}-${r.id}-${day}`);
          if (r.fulfilled >= r.amount) r.paidDay = day;
        }),
    );
    const miss = compareDay(plan, today);
    const stages = today.chains.map((c) => `${c.chain} ${c.stage}`).join(', ');
    say(`day ${day}/${plan.days}: predicted ${p.stage}, shown ${stages}${miss.length > 0 ? `; ${miss.length} mismatch(es)` : ''}`);
  }

  const report = buildReplayReport(
    plan,
    shown,
    requests.map(({ investor, chain, day, amount, paidDay }) => ({ investor, chain, day, amount, paidDay })),
  );
  mkdirSync(o.outDir, { recursive: true });
  const jsonPath = join(o.outDir, `${scenario.name}.replay.json`);
  writeFileSync(jsonPath, `${JSON.stringify(report, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
  say(`wrote ${jsonPath}`);
  return { report, table: replayTable(report), jsonPath };
}
