import type { RedemptionStageName } from '../schemas/kinds/redemption-stage.js';
import { formatLcr } from './lcr.js';
import type { ReplayPlan } from './replay-plan.js';

/** What one chain showed on one day of a replay, read from its RwaRedemptions. */
export interface ChainShown {
  chain: string;
  chainId: number;
  /** effectiveStageOf: the hub's stage raised to the buy-back report's floor (what fulfilments run at). */
  stage: RedemptionStageName;
  /** The attested LCR on that chain, bps; null: unbounded. */
  lcrBps: number | null;
  /** The buy-back pool's cash on that chain, chain units. */
  poolCash: bigint;
}

export interface DayShown {
  day: number;
  chains: ChainShown[];
}

/** One redemption request of the replay and when it was paid in full (null: not by the end). */
export interface RequestRecord {
  investor: number;
  chain: string;
  day: number;
  amount: bigint;
  paidDay: number | null;
}

export interface Mismatch {
  day: number;
  chain: string;
  what: 'stage' | 'lcr' | 'buyBack';
  predicted: string;
  shown: string;
}

export interface ReplayDay {
  day: number;
  predicted: { stage: RedemptionStageName; lcrBps: number | null; buyBack: string };
  monteCarlo: { stage: RedemptionStageName; share: Record<RedemptionStageName, number> } | null;
  shown: { chain: string; chainId: number; stage: RedemptionStageName; lcrBps: number | null; poolCash: string }[];
}

export interface InvestorCash {
  investor: number;
  chain: string;
  requests: number;
  requested: string;
  /** Days from request to being paid in full, per request paid in full. */
  daysToCash: number[];
  maxDaysToCash: number | null;
  /** Requests not paid in full by the replay's last day. */
  unpaid: number;
}

export interface ReplayReport {
  scenario: string;
  days: number;
  chains: string[];
  byDay: ReplayDay[];
  investors: InvestorCash[];
  mismatches: Mismatch[];
  /** Every chain showed, every day, the stage the run predicted. */
  ok: boolean;
}

/**
 * A day's comparison: each chain's stage against the prediction, its LCR against the predicted one (an unbounded
 * prediction is met by any LCR at or above `unboundedFromBps`, the posted stand-in), and its buy-back pool against
 * the one the scenario implies that day.
 */
export function compareDay(plan: ReplayPlan, shown: DayShown, unboundedFromBps = 10_000_000): Mismatch[] {
  const p = plan.byDay[shown.day];
  if (!p) return [{ day: shown.day, chain: '*', what: 'stage', predicted: 'no such day in the plan', shown: 'a day' }];
  const out: Mismatch[] = [];
  for (const c of shown.chains) {
    if (c.stage !== p.stage) out.push({ day: shown.day, chain: c.chain, what: 'stage', predicted: p.stage, shown: c.stage });
    const lcrOk = p.lcrBps === null ? c.lcrBps === null || c.lcrBps >= unboundedFromBps : c.lcrBps === p.lcrBps;
    if (!lcrOk) out.push({ day: shown.day, chain: c.chain, what: 'lcr', predicted: formatLcr(p.lcrBps), shown: formatLcr(c.lcrBps) });
    if (c.poolCash !== p.buyBack) out.push({ day: shown.day, chain: c.chain, what: 'buyBack', predicted: String(p.buyBack), shown: String(c.poolCash) });
  }
  return out;
}

/** Each investor's requests and time to cash (days from a request to its last payment). */
export function investorCash(requests: readonly RequestRecord[]): InvestorCash[] {
  const by = new Map<number, RequestRecord[]>();
  for (const r of requests) by.set(r.investor, [...(by.get(r.investor) ?? []), r]);
  return [...by.entries()]
    .sort(([a], [b]) => a - b)
    .map(([investor, rs]) => {
      const daysToCash = rs.filter((r) => r.paidDay !== null).map((r) => r.paidDay! - r.day);
      return {
        investor,
        chain: rs[0]!.chain,
        requests: rs.length,
        requested: String(rs.reduce((s, r) => s + r.amount, 0n)),
        daysToCash,
        maxDaysToCash: daysToCash.length === 0 ? null : Math.max(...daysToCash),
        unpaid: rs.length - daysToCash.length,
      };
    });
}

export function buildReplayReport(plan: ReplayPlan, shown: readonly DayShown[], requests: readonly RequestRecord[]): ReplayReport {
  const mismatches = shown.flatMap((d) => compareDay(plan, d));
  const byDay: ReplayDay[] = shown.map((d) => {
    const p = plan.byDay[d.day]!;
    return {
      day: d.day,
      predicted: { stage: p.stage, lcrBps: p.lcrBps, buyBack: String(p.buyBack) },
      monteCarlo: p.monteCarlo,
      shown: d.chains.map((c) => ({ chain: c.chain, chainId: c.chainId, stage: c.stage, lcrBps: c.lcrBps, poolCash: String(c.poolCash) })),
    };
  });
  return {
    scenario: plan.scenario,
    days: plan.days,
    chains: shown[0]?.chains.map((c) => c.chain) ?? [],
    byDay,
    investors: investorCash(requests),
    mismatches,
    ok: !mismatches.some((m) => m.what === 'stage'),
  };
}

const pad = (cells: string[], widths: number[]): string => cells.map((c, i) => c.padStart(widths[i] ?? 8)).join('  ');

/** The replay report as the table the command prints: per day the prediction and what each chain showed. */
export function replayTable(r: ReplayReport): string {
  const lines = [`replay ${r.scenario}: ${r.days} days on ${r.chains.join(', ')}`, ''];
  const widths = [3, 5, 10, 3, ...r.chains.flatMap((c) => [Math.max(7, c.length), 10, 14])];
  lines.push(pad(['day', 'pred', 'LCR pred', 'MC', ...r.chains.flatMap((c) => [c, 'LCR', 'buy-back'])], widths));
  for (const d of r.byDay) {
    const cells = d.shown.flatMap((c) => [c.stage === d.predicted.stage ? c.stage : `${c.stage}!`, formatLcr(c.lcrBps), c.poolCash]);
    lines.push(pad([String(d.day), d.predicted.stage, formatLcr(d.predicted.lcrBps), d.monteCarlo?.stage ?? '-', ...cells], widths));
  }
  lines.push('', 'investor  chain       requests  days to cash (max)  unpaid');
  for (const i of r.investors) {
    lines.push(`${String(i.investor).padStart(8)}  ${i.chain.padEnd(10)}  ${String(i.requests).padStart(8)}  ${(i.daysToCash.join(',') || '-').padStart(14)} (${i.maxDaysToCash ?? '-'})  ${String(i.unpaid).padStart(6)}`);
  }
  lines.push('');
  const stageMiss = r.mismatches.filter((m) => m.what === 'stage');
  if (r.mismatches.length === 0) lines.push('every chain showed the predicted stage, LCR and buy-back pool every day');
  for (const m of r.mismatches) lines.push(`MISMATCH day ${m.day} ${m.chain} ${m.what}: predicted ${m.predicted}, shown ${m.shown}`);
  if (stageMiss.length > 0) lines.push(`${stageMiss.length} stage mismatch(es): a chain showed a stage the report did not predict`);
  return `${lines.join('\n')}\n`;
}
