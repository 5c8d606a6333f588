import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { keccak256, stringToBytes, type Hex } from 'viem';
import { DEV_CUSTODIAN_KEY, DEV_ISSUER_KEY, DEV_OUTSIDER_KEY } from '../../schemas/dev-keys.js';
import { decodeMessage } from '../../schemas/message.js';
import { signAcceptance, signDisclosure, signFulfilment, type UnsignedAcceptance, type UnsignedDisclosure, type UnsignedFulfilment } from '../../clients/custodian.js';
import { DID, DOMAIN, HASH, HUB, INVESTOR, NOW, SPOKE_A, SPOKE_B, makeRedemptions } from '../../testkit/oracle-redemption.js';

// Unit test: registry, chains and redemptions modules are in-memory fakes; store, committee keys, services and the
// hono app are real (app.request in process).
let k: ReturnType<typeof makeRedemptions>;

const post = (path: string, body: unknown) => k.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const fulfilment = (over: Partial<UnsignedFulfilment> = {}, key: Hex = DEV_CUSTODIAN_KEY) =>
  signFulfilment(key, DOMAIN, { did: DID, chainId: SPOKE_A, requestId: '1', settlementRef: 'PAY-1', amount: '100', cashLegRef: keccak256(stringToBytes('wire 1')), settledAt: NOW - 10, ...over });
const acceptance = (over: Partial<UnsignedAcceptance> = {}, key: Hex = DEV_CUSTODIAN_KEY) =>
  signAcceptance(key, DOMAIN, { did: DID, chainId: SPOKE_A, requestId: '2', owner: INVESTOR, amount: '300', acceptedAt: NOW - 5, ...over });
const disclosure = (over: Partial<UnsignedDisclosure> = {}, key: Hex = DEV_ISSUER_KEY) =>
  signDisclosure(key, DOMAIN, { did: DID, docKind: 'navReport', docHash: keccak256(stringToBytes('nav 2027-01')), uri: 'https://issuer.example/nav/2027-01.pdf', asOf: NOW - 3600, ...over });

async function errorOf(res: Response) {
  const j = (await res.json()) as { error: { code: string; field?: string } };
  return { status: res.status, code: j.error.code, field: j.error.field };
}

beforeEach(() => {
  k = makeRedemptions();
  k.world.requests.set(`${SPOKE_A}:1`, { owner: INVESTOR, amount: 700n, fulfilled: 0n, requestedAt: BigInt(NOW - 100), cancelled: false, accepted: true });
  k.world.allowances.set(`${SPOKE_A}:1`, 100n);
});

describe('POST /v1/redemptions/acceptances (issue 17)', () => {
  beforeEach(() => {
    k.world.requests.set(`${SPOKE_A}:2`, { owner: INVESTOR, amount: 300n, fulfilled: 0n, requestedAt: BigInt(NOW - 50), cancelled: false, accepted: false });
  });

  it("signs an acceptance (kind 13) for the request's chain only; the same body is a 200 repeat, another a 409", async () => {
    const body = await acceptance();
    const res = await post('/v1/redemptions/acceptances', body);
    expect(res.status, await res.clone().text()).toBe(201);
    const view = (await res.json()) as { id: string; kind: string; message: Hex; deliveries: { chainId: number }[] };
    expect(view.kind).toBe('redemptionAcceptance');
    expect(view.deliveries.map((d) => d.chainId)).toEqual([SPOKE_A]);
    expect(decodeMessage(view.message)).toMatchObject({ kind: 'redemptionAcceptance', requestId: 2n, owner: INVESTOR, amount: 300n, acceptedAt: BigInt(NOW - 5) });
    const again = await post('/v1/redemptions/acceptances', body);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(view.id);
    expect(await errorOf(await post('/v1/redemptions/acceptances', await acceptance({ acceptedAt: NOW - 4 })))).toEqual({ status: 409, code: 'conflicting_repeat', field: 'requestId' });
  });

  it.each([
    ['a cancelled request', { cancelled: true }, {}, { status: 422, code: 'request_closed', field: 'requestId' }],
    ['a request accepted already', { accepted: true }, {}, { status: 422, code: 'already_accepted', field: 'requestId' }],
    ['another owner', {}, { owner: '0x0000000000000000000000000000000000000001' }, { status: 422, code: 'acceptance_mismatch', field: 'owner' }],
    ['another amount', {}, { amount: '299' }, { status: 422, code: 'acceptance_mismatch', field: 'amount' }],
    ['an unknown request', {}, { requestId: '9' }, { status: 404, code: 'unknown_request', field: 'requestId' }],
  ] as const)('refuses %s and signs nothing', async (_name, state, over, expected) => {
    k.world.requests.set(`${SPOKE_A}:2`, { ...k.world.requests.get(`${SPOKE_A}:2`)!, ...state });
    expect(await errorOf(await post('/v1/redemptions/acceptances', await acceptance(over)))).toEqual(expected);
    expect(k.store.ofKind(DID, 'redemptionAcceptance')).toHaveLength(0);
  });

  it('refuses a signer that is not a custodian', async () => {
    expect(await errorOf(await post('/v1/redemptions/acceptances', await acceptance({}, DEV_OUTSIDER_KEY)))).toMatchObject({ status: 403, code: 'not_a_custodian' });
  });

  it('refuses a fulfilment of a request not accepted yet: the custodian pays only what it accepted', async () => {
    k.world.allowances.set(`${SPOKE_A}:2`, 300n);
    expect(await errorOf(await post('/v1/redemptions/fulfilments', await fulfilment({ requestId: '2', amount: '300' })))).toEqual({ status: 422, code: 'not_accepted', field: 'requestId' });
  });
});

describe('POST /v1/redemptions/fulfilments', () => {
  it("signs a fulfilment for the request's chain only; the same body is a 200 repeat, another under the ref a 409", async () => {
    const body = await fulfilment();
    const res = await post('/v1/redemptions/fulfilments', body);
    expect(res.status, await res.clone().text()).toBe(201);
    const view = (await res.json()) as { id: string; kind: string; message: Hex; deliveries: { chainId: number }[] };
    expect(view.kind).toBe('redemptionFulfilment');
    expect(view.deliveries.map((d) => d.chainId)).toEqual([SPOKE_A]);
    expect(decodeMessage(view.message)).toMatchObject({ kind: 'redemptionFulfilment', requestId: 1n, amount: 100n, settlementRef: keccak256(stringToBytes('PAY-1')) });

    const again = await post('/v1/redemptions/fulfilments', body);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(view.id);
    expect(await errorOf(await post('/v1/redemptions/fulfilments', await fulfilment({ amount: '99' })))).toEqual({ status: 409, code: 'conflicting_repeat', field: 'settlementRef' });
  });

  it('counts a fulfilment not applied yet against the next one, and frees it once the chain applied it', async () => {
    expect((await post('/v1/redemptions/fulfilments', await fulfilment())).status).toBe(201);
    expect(await errorOf(await post('/v1/redemptions/fulfilments', await fulfilment({ settlementRef: 'PAY-2', amount: '1' })))).toEqual({ status: 422, code: 'exceeds_allowance', field: 'amount' });
    k.used.add(`${SPOKE_A}:1`);
    k.world.requests.set(`${SPOKE_A}:1`, { ...k.world.requests.get(`${SPOKE_A}:1`)!, fulfilled: 100n });
    k.world.allowances.set(`${SPOKE_A}:1`, 100n);
    expect((await post('/v1/redemptions/fulfilments', await fulfilment({ settlementRef: 'PAY-2', amount: '100' }))).status).toBe(201);
  });

  it('reads the request, the allowance and the pending nonces at one block while an earlier fulfilment lands', async () => {
    k.world.latest.set(SPOKE_A, 10n);
    k.world.allowances.set(`${SPOKE_A}:1`, 200n);
    expect((await post('/v1/redemptions/fulfilments', await fulfilment())).status).toBe(201);
    // Block 11 applies that fulfilment (nonce 1): the module counts it as fulfilled and out of the allowance.
    k.world.requestsAt.set(`${SPOKE_A}:1@11`, { ...k.world.requests.get(`${SPOKE_A}:1`)!, fulfilled: 100n });
    k.world.allowancesAt.set(`${SPOKE_A}:1@11`, 100n);
    k.world.appliedAt.set(`${SPOKE_A}:1`, 11n);
    // ...and is mined while the next check reads, right after the allowance: an unpinned nonce read would see it
    // applied next to the allowance from before it, and let 200 through.
    k.world.onStateRead = (r) => {
      if (r.read === 'redeemableNow') k.world.latest.set(SPOKE_A, 11n);
    };
    k.world.stateReads.length = 0;
    expect(await errorOf(await post('/v1/redemptions/fulfilments', await fulfilment({ settlementRef: 'PAY-2', amount: '200' })))).toEqual({ status: 422, code: 'exceeds_allowance', field: 'amount' });
    expect(k.world.stateReads).toEqual([
      { read: 'requestOf', chainId: SPOKE_A, blockNumber: 10n },
      { read: 'redeemableNow', chainId: SPOKE_A, blockNumber: 10n },
      { read: 'isApplied', chainId: SPOKE_A, blockNumber: 10n },
    ]);

    // The next check pins block 11, where the fulfilment counts once (applied, no longer pending): 100 is left.
    k.world.onStateRead = undefined;
    k.world.stateReads.length = 0;
    expect((await post('/v1/redemptions/fulfilments', await fulfilment({ settlementRef: 'PAY-2', amount: '100' }))).status).toBe(201);
    expect(k.world.stateReads.map((r) => r.blockNumber)).toEqual([11n, 11n, 11n]);
  });

  it.each([
    ['an unknown request', () => fulfilment({ requestId: '2' }), { status: 404, code: 'unknown_request', field: 'requestId' }],
    ['more than remains of the request', () => fulfilment({ amount: '701' }), { status: 422, code: 'exceeds_request', field: 'amount' }],
    ["more than the stage's allowance", () => fulfilment({ amount: '101' }), { status: 422, code: 'exceeds_allowance', field: 'amount' }],
    ['a chain not enabled for the DID', () => fulfilment({ chainId: 1 }), { status: 422, code: 'chain_not_enabled', field: 'chainId' }],
    ['a signer that is not a custodian', () => fulfilment({}, DEV_OUTSIDER_KEY), { status: 403, code: 'not_a_custodian', field: 'signature' }],
    ['a zero amount', () => fulfilment({ amount: '0' }), { status: 422, code: 'amount_not_positive', field: 'amount' }],
    ['a request id past uint64', async () => ({ ...(await fulfilment()), requestId: '18446744073709551616' }), { status: 400, code: 'invalid_body', field: 'requestId' }],
  ])('refuses %s, storing nothing', async (_name, make, expected) => {
    expect(await errorOf(await post('/v1/redemptions/fulfilments', await make()))).toEqual(expected);
    expect(k.store.count()).toBe(0);
  });

  it.each([
    ['cancelled', { cancelled: true }],
    ['fully fulfilled', { fulfilled: 700n }],
  ])('refuses a %s request as closed', async (_name, over) => {
    k.world.requests.set(`${SPOKE_A}:1`, { ...k.world.requests.get(`${SPOKE_A}:1`)!, ...over });
    expect(await errorOf(await post('/v1/redemptions/fulfilments', await fulfilment()))).toEqual({ status: 422, code: 'request_closed', field: 'requestId' });
  });

  it('names the field the schema refuses', async () => {
    const { cashLegRef: _drop, ...body } = await fulfilment();
    expect(await errorOf(await post('/v1/redemptions/fulfilments', body))).toEqual({ status: 400, code: 'invalid_body', field: 'cashLegRef' });
  });

  it('answers 503 when the chain cannot be read', async () => {
    k.world.down = true;
    expect(await errorOf(await post('/v1/redemptions/fulfilments', await fulfilment()))).toMatchObject({ status: 503, code: 'chain_unavailable' });
  });
});

describe('hostile bodies', () => {
  it('never answers 5xx nor stores anything for thousands of malformed fulfilments and disclosures', async () => {
    const validF = await fulfilment();
    const validD = await disclosure();
    const mutate = (valid: Record<string, unknown>) =>
      fc
        .record({
          key: fc.constantFrom(...Object.keys(valid), '__proto__', 'constructor', 'extra'),
          value: fc.oneof(fc.jsonValue(), fc.string(), fc.bigInt().map(String), fc.constant(null), fc.integer(), fc.double(), fc.constant('18446744073709551616')),
        })
        .map(({ key, value }) => JSON.stringify({ ...valid, [key]: value }));
    const body = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string().map((s) => `{${s}`),
      mutate(validF).map((b) => ['/v1/redemptions/fulfilments', b] as const),
      mutate(validD).map((b) => ['/v1/disclosures', b] as const),
    );
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('/v1/redemptions/fulfilments', '/v1/disclosures'), async (b, fallbackPath) => {
        const [path, raw] = typeof b === 'string' ? [fallbackPath, b] : b;
        const res = await k.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
        // Every mutation changes or adds a field after signing: no body here is both valid and correctly signed.
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        const j = (await res.json()) as { error?: { code?: string } };
        expect(typeof j.error?.code).toBe('string');
      }),
      { seed: 11, numRuns: 1500 },
    );
    expect(k.store.count()).toBe(0);
  });
});

describe('POST /v1/disclosures and GET /v1/dids/{did}/disclosures', () => {
  it('anchors an issuer disclosure on every chain and lists it newest first, by kind', async () => {
    const res = await post('/v1/disclosures', await disclosure());
    expect(res.status, await res.clone().text()).toBe(201);
    const view = (await res.json()) as { message: Hex; deliveries: { chainId: number }[] };
    expect(view.deliveries.map((d) => d.chainId)).toEqual([HUB, SPOKE_A, SPOKE_B]);
    expect(decodeMessage(view.message)).toMatchObject({ kind: 'disclosure', docKind: 'navReport', uri: 'https://issuer.example/nav/2027-01.pdf', asOf: BigInt(NOW - 3600) });
    expect((await post('/v1/disclosures', await disclosure({ docKind: 'auditReport', asOf: NOW - 7200 }))).status).toBe(201);
    expect((await post('/v1/disclosures', await disclosure({ asOf: NOW - 60 }))).status).toBe(201);

    const list = (await (await k.app.request(`/v1/dids/${DID}/disclosures`)).json()) as { items: { docKind: string; asOf: number }[] };
    expect(list.items.map((i) => [i.docKind, i.asOf])).toEqual([
      ['navReport', NOW - 60],
      ['navReport', NOW - 3600],
      ['auditReport', NOW - 7200],
    ]);
    const audits = (await (await k.app.request(`/v1/dids/${DID}/disclosures?docKind=auditReport`)).json()) as { items: unknown[] };
    expect(audits.items).toHaveLength(1);
    expect(await errorOf(await k.app.request(`/v1/dids/${DID}/disclosures?docKind=memo`))).toEqual({ status: 400, code: 'invalid_query', field: 'docKind' });
  });

  it.each([
    ['an older one of the same kind', async () => (await post('/v1/disclosures', await disclosure())).status, () => disclosure({ asOf: NOW - 7200 }), { status: 422, code: 'disclosure_not_newer', field: 'asOf' }],
    ['another body at the same kind and asOf', async () => (await post('/v1/disclosures', await disclosure())).status, () => disclosure({ uri: 'ipfs://other' }), { status: 409, code: 'conflicting_repeat', field: 'asOf' }],
    ['a signer that is not the issuer', async () => 0, () => disclosure({}, DEV_CUSTODIAN_KEY), { status: 403, code: 'not_the_issuer', field: 'signature' }],
    ['an asOf in the future', async () => 0, () => disclosure({ asOf: NOW + 3600 }), { status: 422, code: 'time_in_future', field: 'asOf' }],
  ])('refuses %s', async (_name, before, make, expected) => {
    await before();
    expect(await errorOf(await post('/v1/disclosures', await make()))).toEqual(expected);
  });
});

describe('GET /v1/dids/{did}/redemptions and the redemption metrics', () => {
  it("shows each chain's stage, the requests with their status, today's rate, and sets the gauges", async () => {
    k.world.heads.set(HUB, 10n).set(SPOKE_A, 10n).set(SPOKE_B, 10n);
    k.world.supplies.set(HUB, 6_000n).set(SPOKE_A, 3_000n).set(SPOKE_B, 1_000n);
    k.world.requested.set(SPOKE_A, [
      { did: HASH, requestId: 1n, owner: INVESTOR, amount: 100n, requestedAt: BigInt(NOW - 100), blockNumber: 5n, logIndex: 0 },
      { did: HASH, requestId: 2n, owner: INVESTOR, amount: 50n, requestedAt: BigInt(NOW - 50), blockNumber: 6n, logIndex: 0 },
    ]);
    k.world.cancelled.set(SPOKE_A, [{ did: HASH, requestId: 2n, blockNumber: 7n, logIndex: 0 }]);
    k.world.stages.set(SPOKE_A, { stage: 'B', stageSeq: 1n, since: BigInt(NOW - 20), reason: 'threshold', dayRequested: 150n, poolSupply: 10_000n });
    k.world.stageLogs.set(HUB, [{ did: HASH, stageSeq: 1n, stage: 'B', since: BigInt(NOW - 20), reason: 'threshold', dayRequested: 150n, poolSupply: 10_000n, blockNumber: 9n, logIndex: 0 }]);
    k.world.requests.set(`${SPOKE_A}:1`, { owner: INVESTOR, amount: 100n, fulfilled: 0n, requestedAt: BigInt(NOW - 100), cancelled: false, accepted: true });
    await k.requestWatcher.tick();
    await k.stageWatcher.tick();
    k.world.allowances.set(`${SPOKE_A}:1`, 100n);
    expect((await post('/v1/redemptions/fulfilments', await fulfilment({ amount: '40' }))).status).toBe(201);

    const res = await k.app.request(`/v1/dids/${DID}/redemptions`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { stages: { chainId: number; stage: string }[]; dailyRateBps: number; requests: { requestId: string; status: string; fulfilled: string; reportId: string | null; redeemableNow: string | null }[] };
    expect(body.stages.map((s) => [s.chainId, s.stage])).toEqual([
      [HUB, 'A'],
      [SPOKE_A, 'B'],
      [SPOKE_B, 'A'],
    ]);
    expect(body.dailyRateBps).toBe(100); // the cancelled request is not pressure
    expect(body.requests.map((r) => [r.requestId, r.status, r.fulfilled])).toEqual([
      ['2', 'cancelled', '0'],
      ['1', 'open', '40'],
    ]);
    expect(body.requests.map((r) => r.reportId !== null)).toEqual([false, true]); // only the accepted one reached the hub
    expect(body.requests.map((r) => r.redeemableNow)).toEqual([null, '100']);

    k.clock.now = BigInt(NOW + 30);
    k.view.refreshMetrics();
    const text = await (await k.app.request('/metrics')).text();
    expect(text).toContain(`rwa_redemption_daily_rate_bps{did="${DID}"} 100`);
    expect(text).toContain(`rwa_redemption_queue_size{did="${DID}",stage="B"} 1`);
    expect(text).toContain(`rwa_redemption_queue_size{did="${DID}",stage="A"} 0`);
    expect(text).toContain(`rwa_redemption_queue_age_seconds{did="${DID}",stage="B"} 130`);
  });

  it('is a 404 for an unknown DID and a 400 for a malformed one', async () => {
    expect(await errorOf(await k.app.request('/v1/dids/did:rwa:test:nope/redemptions'))).toEqual({ status: 404, code: 'unknown_did', field: 'did' });
    expect(await errorOf(await k.app.request('/v1/dids/not-a-did/redemptions'))).toEqual({ status: 400, code: 'invalid_did', field: 'did' });
  });
});
