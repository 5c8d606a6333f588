import { beforeEach, describe, expect, it } from 'vitest';
import { keccak256, stringToBytes, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { DEV_BUYBACK_CUSTODIAN_KEY, DEV_CUSTODIAN_KEY } from '../../schemas/dev-keys.js';
import { decodeMessage } from '../../schemas/message.js';
import type { BuyBackReportRequest, LiquidityBandsSnapshot } from '../../schemas/kinds/buyback-report.js';
import { signCustodianRequest } from '../../clients/custodian.js';
import type { BuyBackSettings } from '../../core/chain/registry.js';
import { attestationOf } from '../../core/attestation.js';
import type { ReserveSource } from '../../schemas/kinds/reserve.js';
import { createApp } from '../api/app.js';
import { issueAttestation } from '../issue/issue.js';
import { issueDepsOf } from '../redemption-deps.js';
import { BuyBackService } from './buyback-service.js';
import { DID, DOMAIN, HASH, HUB, INVESTOR, NOW, SPOKE_A, SPOKE_B, makeRedemptions } from '../../testkit/oracle-redemption.js';

// Unit test: registry and chains are the testkit's fakes; store, committee keys, the service and the hono app are real.
const BUYBACK = privateKeyToAccount(DEV_BUYBACK_CUSTODIAN_KEY).address;
const M = 1_000_000n; // one million base units
const BANDS: LiquidityBandsSnapshot = { minShareBps: 100, stageBBelowBps: 10_000, stageCBelowBps: 7_000, staleFloor: true, stressRateBps: 3_000, horizonDays: 7 };

let k: ReturnType<typeof makeRedemptions>;
let settings: BuyBackSettings;
let app: ReturnType<typeof createApp>;

/** The research's T-bill fund (docs/liquidity.md): 36.9M liquid within 7 days. */
const report = (over: Partial<Omit<BuyBackReportRequest, 'signature'>> = {}, key: Hex = DEV_BUYBACK_CUSTODIAN_KEY) =>
  signCustodianRequest('BuyBackReport', key, DOMAIN, {
    did: DID,
    poolCash: String(2n * M),
    asOf: NOW - 60,
    buckets: [
      { kind: 'cash', amount: String(78n * M / 10n), haircutBps: 0, daysToCash: 0 },
      { kind: 'tbill', amount: String(30n * M), haircutBps: 300, daysToCash: 1 },
      { kind: 'tbill', amount: '18437500', haircutBps: 400, daysToCash: 20 },
      { kind: 'other', amount: '43762500', haircutBps: 1_500, daysToCash: 90 },
    ],
    ...over,
  } as Omit<BuyBackReportRequest, 'signature'>) as Promise<BuyBackReportRequest>;

const post = (body: unknown) => app.request('/v1/buyback-reports', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function errorOf(res: Response) {
  const j = (await res.json()) as { error: { code: string; field?: string } };
  return { status: res.status, code: j.error.code, field: j.error.field };
}

/** A reserve of 100M attested for the DID: the asset pool the report is measured against. */
async function attestReserve(reserve: bigint) {
  const source: ReserveSource = { kind: 'reserve', request: { did: DID, reserve: String(reserve), asOf: NOW - 100, signature: `0x${'00'.repeat(65)}` }, caps: [{ chainId: HUB, cap: String(reserve), ceiling: '0' }] };
  const nonce = k.store.nextNonce(HASH);
  await issueAttestation(issueDepsOf(k.deps), attestationOf(source, HASH, BigInt(nonce)), source, { signers: k.record.signers, threshold: 2 }, [BigInt(HUB)], {
    did: DID, didHash: HASH, nonce, kind: 'reserve', sourceRef: String(NOW - 100), requestHash: keccak256(stringToBytes('reserve')), request: JSON.stringify(source.request), submitter: INVESTOR, asOf: NOW - 100,
  });
}

beforeEach(async () => {
  k = makeRedemptions();
  settings = { custodian: BUYBACK, bands: { ...BANDS } };
  const service = new BuyBackService({ ...k.deps, buyBacks: { buyBackOf: async () => settings } });
  app = createApp({
    service: undefined as never,
    store: k.store,
    destinations: k.deps.destinations as never,
    registry: k.deps.registry as never,
    metrics: k.metrics,
    logger: k.deps.logger,
    dids: { members: { custodiansOf: async () => [], navPublishersOf: async () => [] }, hubChainId: BigInt(HUB), registryAddress: DOMAIN.registry, publicUrl: undefined },
    kinds: { buybackReport: (b) => service.submit(b) },
  });
  await attestReserve(100n * M);
});

describe('POST /v1/buyback-reports (issue 23: buy-back pool and LCR)', () => {
  it('signs kind 17 for every chain of the DID with the LCR of liquidity/lcr.ts (36.9M / 30M = 123%)', async () => {
    const res = await post(await report());
    expect(res.status, await res.clone().text()).toBe(201);
    const view = (await res.json()) as { kind: string; message: Hex; deliveries: { chainId: number }[] };
    expect(view.kind).toBe('buybackReport');
    expect(view.deliveries.map((d) => d.chainId).sort()).toEqual([HUB, SPOKE_A, SPOKE_B].sort());
    expect(decodeMessage(view.message)).toMatchObject({
      kind: 'buybackReport',
      asOf: BigInt(NOW - 60),
      poolCash: 2n * M,
      assetPoolValue: 100n * M,
      openRequests: 0n,
      liquidAssets: 369n * M / 10n,
      outflows: 30n * M,
      lcrBps: 12_300n,
      minShareBps: 100,
      stageBBelowBps: 10_000,
      stageCBelowBps: 7_000,
      staleFloor: true,
    });
    expect(await k.metrics.registry.getSingleMetricAsString('rwa_buyback_lcr_ratio')).toContain('1.23');
  });

  it('counts open redemption requests in the outflows (requested less fulfilled, cancelled ones out)', async () => {
    const row = (id: string, amount: bigint) => ({ didHash: HASH, requestId: id, owner: INVESTOR, amount: String(amount), requestedAt: NOW - 500, blockNumber: '1', logIndex: Number(id) });
    k.redemptions.ingestRequests(SPOKE_A, 2n, [row('1', 6n * M), row('2', 4n * M)], [{ didHash: HASH, requestId: '2' }]);
    const view = (await (await post(await report())).json()) as { message: Hex };
    // outflows 6M open + 30M stress = 36M; 36.9M / 36M = 102.5%
    expect(decodeMessage(view.message)).toMatchObject({ openRequests: 6n * M, outflows: 36n * M, lcrBps: 10_250n });
  });

  it("shows the pool and LCR in the DID's redemption view, stale past the heartbeat with the floor at B", async () => {
    expect((await k.view.ofDid(DID)).buyBack).toBeNull();
    await post(await report());
    expect((await k.view.ofDid(DID)).buyBack).toMatchObject({ poolCash: String(2n * M), shareBps: 200, coverageBps: null, lcrBps: '12300', lcr: '123.00%', ageSeconds: 60, stale: false, floor: { stage: 'A', reason: 'none' } });
    k.clock.now = BigInt(NOW + 86_400);
    expect((await k.view.ofDid(DID)).buyBack).toMatchObject({ stale: true, floor: { stage: 'B', reason: 'buyBackStale' } });
  });

  it('answers the same body with the same attestation (200), another body under the asOf with 409', async () => {
    const body = await report();
    const first = (await (await post(body)).json()) as { id: string };
    const again = await post(body);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(first.id);
    expect(await errorOf(await post(await report({ poolCash: '1' })))).toEqual({ status: 409, code: 'conflicting_repeat', field: 'asOf' });
  });

  it.each([
    ['an asOf not later than the latest', async () => { await post(await report()); return report({ asOf: NOW - 61 }); }, { status: 422, code: 'buyback_not_newer', field: 'asOf' }],
    ['an asOf in the future', () => report({ asOf: NOW + 3_600 }), { status: 422, code: 'time_in_future', field: 'asOf' }],
    ['the asset custodian as signer', () => report({}, DEV_CUSTODIAN_KEY), { status: 403, code: 'not_the_buyback_custodian', field: 'signature' }],
    ['a haircut above 100%', () => report({ buckets: [{ kind: 'cash', amount: '1', haircutBps: 10_001, daysToCash: 0 }] }), { status: 400, code: 'invalid_body', field: 'buckets.0.haircutBps' }],
    ['a bucket kind that is none of cash, tbill, other', async () => ({ ...(await report()), buckets: [{ kind: 'gold' as 'cash', amount: '1', haircutBps: 0, daysToCash: 0 }] }), { status: 400, code: 'invalid_body', field: 'buckets.0.kind' }],
    ['a pool cash past 2^128', () => report({ poolCash: String(1n << 128n) }), { status: 400, code: 'invalid_liquidity_input', field: 'poolCash' }],
  ] as const)('refuses %s and signs nothing new', async (_name, make, expected) => {
    const body = await make();
    const before = k.store.ofKind(DID, 'buybackReport').length;
    expect(await errorOf(await post(body))).toEqual(expected);
    expect(k.store.ofKind(DID, 'buybackReport')).toHaveLength(before);
  });

  it('refuses a report while the DID has no buy-back custodian (403)', async () => {
    settings = { custodian: undefined, bands: BANDS };
    expect(await errorOf(await post(await report()))).toMatchObject({ status: 403, code: 'not_the_buyback_custodian' });
  });

  it('refuses a report before any reserve is attested: the asset pool is unknown (422)', async () => {
    k = makeRedemptions();
    const service = new BuyBackService({ ...k.deps, buyBacks: { buyBackOf: async () => settings } });
    await expect(service.submit(await report())).rejects.toMatchObject({ code: 'no_reserve', field: 'did' });
  });
});
