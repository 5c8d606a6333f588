import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, createTestClient, createWalletClient, defineChain, http, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { rwaDidRegistryAbi, rwaReceiverAbi, rwaRedemptionsAbi } from '../schemas/abi.js';
import { DEV_BUYBACK_CUSTODIAN_KEY, DEV_ISSUER_KEY } from '../schemas/dev-keys.js';
import { decodeMessage } from '../schemas/message.js';
import type { DidHash } from '../schemas/ids.js';
import type { DeployedChain } from '../schemas/deployment.js';
import { postJson, signCustodianRequest, signDisclosure } from '../clients/custodian.js';
import { startStack, type Stack } from '../devnet/stack.js';
import { bootstrapDemo, custodianDomainOf } from '../devnet/demo.js';
import { waitFor } from '../testkit/wait.js';

/**
 * The buy-back pool on three anvil chains (issue 23): the issuer names the buy-back custodian and its bands in the hub
 * registry; the custodian posts its report; the oracle computes the LCR and the committee attests kind 17 to every
 * chain, which all show the same pool, LCR and floor (here an LCR under 70%: stage C on every chain). The floor alone
 * (the hub's stage untouched) makes the issuer owe its stage C incident notice until one is anchored on every chain.
 */
let stack: Stack;
let did: DidHash;
let didString: string;

function clients(c: DeployedChain) {
  const chain = defineChain({ id: c.chainId, name: c.name, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [c.rpcUrl] } } });
  const transport = http(c.rpcUrl);
  return { pub: createPublicClient({ chain, transport, pollingInterval: 50 }), test: createTestClient({ chain, mode: 'anvil', transport }), chain, transport };
}

async function buyBackOn(c: DeployedChain) {
  const { pub } = clients(c);
  const redemptions = await pub.readContract({ address: c.receiver as Address, abi: rwaReceiverAbi, functionName: 'redemptions' });
  const [view, stage] = await Promise.all([
    pub.readContract({ address: redemptions, abi: rwaRedemptionsAbi, functionName: 'buyBackOf', args: [did] }),
    pub.readContract({ address: redemptions, abi: rwaRedemptionsAbi, functionName: 'effectiveStageOf', args: [did] }),
  ]);
  return { view, stage: stage[0] };
}

const noticeOf = async () =>
  ((await (await fetch(`${stack.oracleUrl}/v1/dids/${encodeURIComponent(didString)}/notice`)).json()) as { notice: Record<string, unknown> }).notice;

/** The oracle's notice matches `expected`, and `oracle_notice_due{did}` reads `metric` (set by its loop: waited for). */
async function expectNotice(expected: Record<string, unknown>, metric: 0 | 1) {
  expect(await noticeOf()).toMatchObject(expected);
  const line = `oracle_notice_due{did="${didString}"} ${metric}`;
  await waitFor(async () => (await (await fetch(`${stack.oracleUrl}/metrics`)).text()).split('\n').includes(line), { what: line, timeoutMs: 30_000 });
}

describe('buy-back report on every chain (e2e)', () => {
  beforeAll(async () => {
    stack = await startStack({ dataDir: mkdtempSync(join(tmpdir(), 'rwa-e2e-buyback-')), logLevel: 'warn', signers: 3 });
    await bootstrapDemo(stack.deployment, stack.oracleUrl, 120_000);
    did = stack.deployment.dids[0]!.didHash as DidHash;
    didString = stack.deployment.dids[0]!.did;
  }, 240_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('attests the pool and the LCR to every chain, which all show the same report and floor', async () => {
    const d = stack.deployment;
    const hub = d.chains.find((c) => c.chainId === d.hub.chainId)!;
    const issuer = privateKeyToAccount(DEV_ISSUER_KEY);
    const buyBack = privateKeyToAccount(DEV_BUYBACK_CUSTODIAN_KEY);
    const h = clients(hub);
    await h.test.setBalance({ address: issuer.address, value: 10n ** 19n });
    const wallet = createWalletClient({ chain: h.chain, transport: h.transport, account: issuer });
    const bands = { minShareBps: 100, stageBBelowBps: 10_000, stageCBelowBps: 7_000, staleFloor: true, stressRateBps: 3_000, horizonDays: 7 };
    const tx = await wallet.writeContract({ address: d.hub.registry as Address, abi: rwaDidRegistryAbi, functionName: 'setBuyBack', args: [did, buyBack.address, bands] });
    expect((await h.pub.waitForTransactionReceipt({ hash: tx })).status).toBe('success');

    // Liquid within 7 days: a tenth of the reserve in cash; the stress rate's outflows are 30% of it: LCR 33.33%.
    const reserveRow = await fetch(`${stack.oracleUrl}/v1/attestations?after=0&limit=500`).then((r) => r.json() as Promise<{ items: { kind: string; message: Hex }[] }>);
    const reserveMsg = reserveRow.items.filter((i) => i.kind === 'reserve').map((i) => decodeMessage(i.message)).at(-1);
    if (reserveMsg?.kind !== 'reserve') throw new Error('no reserve attested by the demo');
    const pool = reserveMsg.reserve;
    const asOf = Math.floor(Date.now() / 1000) - 30;
    const body = await signCustodianRequest('BuyBackReport', DEV_BUYBACK_CUSTODIAN_KEY, custodianDomainOf(d), {
      did: didString,
      poolCash: String(pool / 50n),
      asOf,
      buckets: [
        { kind: 'cash', amount: String(pool / 10n), haircutBps: 0, daysToCash: 0 },
        { kind: 'other', amount: String(pool - pool / 10n), haircutBps: 1_500, daysToCash: 90 },
      ],
    });
    const res = await postJson(`${stack.oracleUrl}/v1/buyback-reports`, body);
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    const lcr = (10_000n * (pool / 10n)) / ((3_000n * pool) / 10_000n);

    const views = await waitFor(
      async () => {
        const all = await Promise.all(d.chains.map(buyBackOn));
        return all.every((v) => v.view.report.asOf === BigInt(asOf)) && all;
      },
      { what: 'the buy-back report applied on every chain', timeoutMs: 60_000 },
    );
    for (const v of views) {
      expect(v.view.report.poolCash).toBe(pool / 50n);
      expect(v.view.report.assetPoolValue).toBe(pool);
      expect(BigInt(v.view.report.lcrBps)).toBe(lcr);
      expect(v.view.shareBps).toBe(200n);
      expect(v.view.stale).toBe(false);
      expect(v.view.floorStage).toBe(3); // LCR 33% < 70%: stage C on every chain
      expect(v.stage).toBe(3);
    }
    const view = (await fetch(`${stack.oracleUrl}/v1/dids/${encodeURIComponent(didString)}/redemptions`).then((r) => r.json())) as { buyBack: { lcrBps: string; floor: { stage: string } } };
    expect(view.buyBack).toMatchObject({ lcrBps: String(lcr), floor: { stage: 'C' } });

    // The floor raised the effective stage to C: the issuer owes its regulatory filing from the report's asOf.
    await expectNotice({ due: true, stage: 'C', since: asOf, required: 'regulatory filing and temporary restrictions', pending: null }, 1);
    const notice = await signDisclosure(DEV_ISSUER_KEY, custodianDomainOf(d), { did: didString, docKind: 'incidentNotice', docHash: `0x${'c3'.repeat(32)}`, uri: 'https://issuer.example/notices/liquidity-c.pdf', asOf });
    const posted = await postJson(`${stack.oracleUrl}/v1/disclosures`, notice);
    expect(posted.status, JSON.stringify(posted.json)).toBe(201);
    // The relayer applies it on every chain: answered.
    await waitFor(async () => (await noticeOf()).due === false, { what: 'the notice anchored on every chain', timeoutMs: 60_000 });
    await expectNotice({ due: false, stage: 'C', since: asOf, notice: { asOf, uri: 'https://issuer.example/notices/liquidity-c.pdf' } }, 0);
  }, 180_000);
});
