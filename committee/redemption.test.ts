import { beforeEach, describe, expect, it } from 'vitest';
import { keccak256, stringToBytes } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { DEV_COMMITTEE_KEYS, DEV_CUSTODIAN_KEY, DEV_ISSUER_KEY, DEV_OUTSIDER_KEY } from '../schemas/dev-keys.js';
import type { PolicySnapshot, RedemptionReport, SignResponse, StageReport } from '../schemas/committee.js';
import { attestationId, decodeMessage, encodeMessage } from '../schemas/message.js';
import { signAcceptance, signDisclosure, signFulfilment, type UnsignedAcceptance, type UnsignedDisclosure, type UnsignedFulfilment } from '../clients/custodian.js';
import { pino } from 'pino';
import { attestationOf } from '../core/attestation.js';
import { RemoteCommittee } from '../oracle/issue/committee/remote.js';
import { createMetrics } from '../oracle/metrics.js';
import { newRedemptionWorld, type RedemptionWorld } from '../testkit/redemption-fake.js';
import { DID, DID_HASH, DOMAIN, INVESTOR, NOW, makeSigner, newWorld, type World } from '../testkit/committee.js';

// Unit test: registry, chains and redemptions modules are in-memory fakes; store and HTTP app are the real ones.
let world: World;
let rw: RedemptionWorld;
let signer: ReturnType<typeof makeSigner>;
const HUB = 31337;
const SPOKE = 31338;

const post = (app: ReturnType<typeof makeSigner>['app'], body: unknown) =>
  app.request('/v1/sign', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const sign = (kind: string, request: unknown, nonce: number, chainIds: number[]) => post(signer.app, { kind, request, nonce: String(nonce), chainIds });

async function errorOf(res: Response) {
  const j = (await res.json()) as { error: { code: string; field?: string } };
  return { status: res.status, code: j.error.code, field: j.error.field };
}

async function signed(res: Response): Promise<SignResponse> {
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as SignResponse;
}

const report = (over: Partial<RedemptionReport> = {}): RedemptionReport => ({
  did: DID,
  chainId: SPOKE,
  requestId: '1',
  owner: INVESTOR,
  amount: '150',
  requestedAt: NOW - 100,
  blockNumber: '40',
  poolSupply: '10000',
  pins: [
    { chainId: HUB, blockNumber: '90' },
    { chainId: SPOKE, blockNumber: '45' },
  ],
  ...over,
});

const stage = (over: Partial<StageReport> = {}): StageReport => ({
  did: DID,
  stage: 'B',
  stageSeq: '1',
  since: NOW - 50,
  reason: 'threshold',
  dayRequested: '150',
  poolSupply: '10000',
  blockNumber: '91',
  ...over,
});

const policy = (over: Partial<PolicySnapshot> = {}): PolicySnapshot => ({ did: DID, revision: 1, stageBBps: 200, stageCBps: 500, instalments: 4, windowSeconds: 86_400, emergency: false, ...over });

const fulfilment = (over: Partial<UnsignedFulfilment> = {}, key = DEV_CUSTODIAN_KEY) =>
  signFulfilment(key, DOMAIN, { did: DID, chainId: SPOKE, requestId: '1', settlementRef: 'PAY-1', amount: '100', cashLegRef: keccak256(stringToBytes('wire')), settledAt: NOW - 10, ...over });

const disclosure = (over: Partial<UnsignedDisclosure> = {}, key = DEV_ISSUER_KEY) =>
  signDisclosure(key, DOMAIN, { did: DID, docKind: 'custodyStatement', docHash: keccak256(stringToBytes('statement')), uri: 'https://issuer.example/custody-2027-01.pdf', asOf: NOW - 3600, ...over });

beforeEach(() => {
  world = newWorld();
  rw = newRedemptionWorld(BigInt(NOW - 60));
  rw.heads.set(HUB, 100n).set(SPOKE, 50n);
  rw.requested.set(SPOKE, [{ did: DID_HASH, requestId: 1n, owner: INVESTOR, amount: 150n, requestedAt: BigInt(NOW - 100), blockNumber: 40n, logIndex: 0 }]);
  rw.supplies.set(HUB, 6_000n).set(SPOKE, 4_000n);
  rw.stageLogs.set(HUB, [{ did: DID_HASH, stageSeq: 1n, stage: 'B', since: BigInt(NOW - 50), reason: 'threshold', dayRequested: 150n, poolSupply: 10_000n, blockNumber: 91n, logIndex: 2 }]);
  rw.requests.set(`${SPOKE}:1`, { owner: INVESTOR, amount: 700n, fulfilled: 0n, requestedAt: BigInt(NOW - 100), cancelled: false, accepted: true });
  rw.allowances.set(`${SPOKE}:1`, 100n);
  rw.policy = { stageBBps: 200, stageCBps: 500, instalments: 4, windowSeconds: 86_400, emergency: false };
  signer = makeSigner(DEV_COMMITTEE_KEYS[0]!, world, rw);
});

describe('committee signer, redemption request (kind 7)', () => {
  it('signs for the hub the report it rebuilds from the event and the supplies at the pinned blocks', async () => {
    const body = await signed(await sign('redemptionRequest', report(), 5, [HUB]));
    const message = attestationOf({ kind: 'redemptionRequest', request: report() }, DID_HASH, 5n);
    expect(body.attestationId).toBe(attestationId(encodeMessage(message)));
    expect(decodeMessage(encodeMessage(message))).toMatchObject({ kind: 'redemptionRequest', chainId: 31338n, requestId: 1n, amount: 150n, poolSupply: 10_000n });
    expect(body.signatures.map((s) => s.chainId)).toEqual([HUB]);
  });

  it.each([
    ['a spoke as destination', () => ({ r: report(), chains: [SPOKE] }), { status: 422, code: 'chain_mismatch', field: 'chainIds' }],
    ['an event block past the safe head', () => ({ r: report({ blockNumber: '51' }), chains: [HUB] }), { status: 422, code: 'not_final', field: 'request.blockNumber' }],
    ['no event in that block', () => ({ r: report({ blockNumber: '41' }), chains: [HUB] }), { status: 422, code: 'event_not_found', field: 'request.blockNumber' }],
    ['another owner', () => ({ r: report({ owner: privateKeyToAccount(DEV_OUTSIDER_KEY).address }), chains: [HUB] }), { status: 422, code: 'event_mismatch', field: 'request.owner' }],
    ['another amount', () => ({ r: report({ amount: '151' }), chains: [HUB] }), { status: 422, code: 'event_mismatch', field: 'request.amount' }],
    ['a pool supply other than the sum at the pins', () => ({ r: report({ poolSupply: '9999' }), chains: [HUB] }), { status: 422, code: 'pool_supply_mismatch', field: 'request.poolSupply' }],
    ['a chain without a pin', () => ({ r: report({ pins: [{ chainId: HUB, blockNumber: '90' }] }), chains: [HUB] }), { status: 422, code: 'pins_mismatch', field: 'request.pins' }],
    ['a pin not final', () => ({ r: report({ pins: [{ chainId: HUB, blockNumber: '101' }, { chainId: SPOKE, blockNumber: '45' }] }), chains: [HUB] }), { status: 422, code: 'not_final', field: 'request.pins' }],
  ])('refuses %s', async (_name, make, expected) => {
    const { r, chains } = make();
    expect(await errorOf(await sign('redemptionRequest', r, 5, chains))).toEqual(expected);
    expect(signer.store.count()).toBe(0);
  });

  it('refuses a pin from long before the request (it would understate the pool)', async () => {
    rw.times.set(`${HUB}:90`, BigInt(NOW - 100 - 3601));
    expect(await errorOf(await sign('redemptionRequest', report(), 5, [HUB]))).toEqual({ status: 422, code: 'pin_too_old', field: 'request.pins' });
  });

  it('sums the supply at the pinned blocks, not the latest', async () => {
    rw.suppliesAt.set(`${SPOKE}:45`, 3_000n);
    expect(await errorOf(await sign('redemptionRequest', report(), 5, [HUB]))).toMatchObject({ code: 'pool_supply_mismatch' });
    await signed(await sign('redemptionRequest', report({ poolSupply: '9000' }), 5, [HUB]));
  });

  it('refuses every redemption kind (503) when it does not read the redemptions modules', async () => {
    const plain = makeSigner(DEV_COMMITTEE_KEYS[1]!, world);
    const res = await post(plain.app, { kind: 'redemptionRequest', request: report(), nonce: '5', chainIds: [HUB] });
    expect(await errorOf(res)).toEqual({ status: 503, code: 'redemptions_not_configured', field: undefined });
  });
});

describe('committee signer, redemption request (kind 7) of a request not accepted (issue 17)', () => {
  it.each([
    ['not accepted yet', { accepted: false }],
    ['cancelled', { accepted: false, cancelled: true }],
  ])('refuses to report a request %s: it is not pressure', async (_name, state) => {
    rw.requests.set(`${SPOKE}:1`, { ...rw.requests.get(`${SPOKE}:1`)!, ...state });
    expect(await errorOf(await sign('redemptionRequest', report(), 5, [HUB]))).toEqual({ status: 422, code: 'not_accepted', field: 'request.requestId' });
    expect(signer.store.count()).toBe(0);
  });

  it('reads the acceptance at its own safe head of the request chain', async () => {
    rw.requests.set(`${SPOKE}:1`, { ...rw.requests.get(`${SPOKE}:1`)!, accepted: false });
    rw.requestsAt.set(`${SPOKE}:1@50`, { ...rw.requests.get(`${SPOKE}:1`)!, accepted: true });
    await signed(await sign('redemptionRequest', report(), 5, [HUB]));
  });
});

const acceptance = (over: Partial<UnsignedAcceptance> = {}, key = DEV_CUSTODIAN_KEY) =>
  signAcceptance(key, DOMAIN, { did: DID, chainId: SPOKE, requestId: '2', owner: INVESTOR, amount: '300', acceptedAt: NOW - 5, ...over });

describe('committee signer, redemption acceptance (kind 13)', () => {
  beforeEach(() => {
    rw.requests.set(`${SPOKE}:2`, { owner: INVESTOR, amount: 300n, fulfilled: 0n, requestedAt: BigInt(NOW - 50), cancelled: false, accepted: false });
  });

  it("signs for the request's chain an acceptance of an open request with its owner and amount", async () => {
    const body = await signed(await sign('redemptionAcceptance', await acceptance(), 11, [SPOKE]));
    expect(body.signatures.map((s) => s.chainId)).toEqual([SPOKE]);
  });

  it.each([
    ['the hub as destination', {}, {}, [HUB], { status: 422, code: 'chain_mismatch', field: 'chainIds' }],
    ['a cancelled request', { cancelled: true }, {}, [SPOKE], { status: 422, code: 'request_closed', field: 'request.requestId' }],
    ['a request accepted already', { accepted: true }, {}, [SPOKE], { status: 422, code: 'already_accepted', field: 'request.requestId' }],
    ['another amount', {}, { amount: '301' }, [SPOKE], { status: 422, code: 'acceptance_mismatch', field: 'request.amount' }],
  ] as const)('refuses %s', async (_name, state, over, chains, expected) => {
    rw.requests.set(`${SPOKE}:2`, { ...rw.requests.get(`${SPOKE}:2`)!, ...state });
    expect(await errorOf(await sign('redemptionAcceptance', await acceptance(over), 11, [...chains]))).toEqual(expected);
    expect(signer.store.count()).toBe(0);
  });

  it('refuses an acceptance not signed by a custodian', async () => {
    expect(await errorOf(await sign('redemptionAcceptance', await acceptance({}, DEV_OUTSIDER_KEY), 11, [SPOKE]))).toMatchObject({ status: 403, code: 'not_a_custodian' });
  });
});

describe('committee signer, redemption stage (kind 8)', () => {
  it('signs for the spokes what the hub event says', async () => {
    const body = await signed(await sign('redemptionStage', stage(), 6, [SPOKE]));
    expect(body.signatures.map((s) => s.chainId)).toEqual([SPOKE]);
  });

  it.each([
    ['the hub as a destination', stage(), [HUB, SPOKE], { status: 422, code: 'chain_mismatch', field: 'chainIds' }],
    ['another stage', stage({ stage: 'C' }), [SPOKE], { status: 422, code: 'event_mismatch', field: 'request.stage' }],
    ['another pool supply', stage({ poolSupply: '1' }), [SPOKE], { status: 422, code: 'event_mismatch', field: 'request.poolSupply' }],
    ['a stageSeq the block does not hold', stage({ stageSeq: '2' }), [SPOKE], { status: 422, code: 'event_not_found', field: 'request.blockNumber' }],
    ['a block past the hub safe head', stage({ blockNumber: '101' }), [SPOKE], { status: 422, code: 'not_final', field: 'request.blockNumber' }],
  ])('refuses %s', async (_name, r, chains, expected) => {
    expect(await errorOf(await sign('redemptionStage', r, 6, chains))).toEqual(expected);
  });
});

describe('committee signer, redemption policy (kind 9)', () => {
  it("signs the registry's policy for every chain, and refuses one that differs or none at all", async () => {
    await signed(await sign('redemptionPolicy', policy(), 7, [HUB, SPOKE]));
    expect(await errorOf(await sign('redemptionPolicy', policy({ emergency: true }), 8, [HUB, SPOKE]))).toEqual({ status: 422, code: 'policy_mismatch', field: 'request.emergency' });
    rw.policy = undefined;
    expect(await errorOf(await sign('redemptionPolicy', policy({ instalments: 5 }), 8, [HUB, SPOKE]))).toEqual({ status: 422, code: 'policy_not_set', field: 'request' });
  });
});

describe('committee signer, redemption fulfilment (kind 10)', () => {
  it("signs for the request's chain within the allowance, then counts its own unapplied signature against the next", async () => {
    await signed(await sign('redemptionFulfilment', await fulfilment(), 9, [SPOKE]));
    // The first is not applied yet: the instalment of 100 is spent.
    expect(await errorOf(await sign('redemptionFulfilment', await fulfilment({ settlementRef: 'PAY-2', amount: '1' }), 10, [SPOKE]))).toEqual({
      status: 422,
      code: 'exceeds_allowance',
      field: 'request.amount',
    });
    // Applied on chain: the module now counts it and allows the next instalment.
    world.usedNonces.add(`${SPOKE}:9`);
    rw.requests.set(`${SPOKE}:1`, { ...rw.requests.get(`${SPOKE}:1`)!, fulfilled: 100n });
    rw.allowances.set(`${SPOKE}:1`, 75n);
    await signed(await sign('redemptionFulfilment', await fulfilment({ settlementRef: 'PAY-2', amount: '75' }), 10, [SPOKE]));
  });

  it('reads the request, the allowance and its own pending nonces at one block while an earlier fulfilment lands', async () => {
    rw.allowances.set(`${SPOKE}:1`, 200n);
    await signed(await sign('redemptionFulfilment', await fulfilment(), 9, [SPOKE]));
    // Block 51 (the spoke's newest is 50) applies nonce 9, and is mined while the next check reads, after the allowance.
    rw.requestsAt.set(`${SPOKE}:1@51`, { ...rw.requests.get(`${SPOKE}:1`)!, fulfilled: 100n });
    rw.allowancesAt.set(`${SPOKE}:1@51`, 100n);
    rw.appliedAt.set(`${SPOKE}:9`, 51n);
    rw.onStateRead = (r) => {
      if (r.read === 'redeemableNow') rw.latest.set(SPOKE, 51n);
    };
    rw.stateReads.length = 0;
    expect(await errorOf(await sign('redemptionFulfilment', await fulfilment({ settlementRef: 'PAY-2', amount: '200' }), 10, [SPOKE]))).toEqual({
      status: 422,
      code: 'exceeds_allowance',
      field: 'request.amount',
    });
    expect(rw.stateReads).toEqual([
      { read: 'requestOf', chainId: SPOKE, blockNumber: 50n },
      { read: 'redeemableNow', chainId: SPOKE, blockNumber: 50n },
      { read: 'isApplied', chainId: SPOKE, blockNumber: 50n },
    ]);

    rw.onStateRead = undefined;
    rw.stateReads.length = 0;
    await signed(await sign('redemptionFulfilment', await fulfilment({ settlementRef: 'PAY-2', amount: '100' }), 10, [SPOKE]));
    expect(rw.stateReads.map((r) => r.blockNumber)).toEqual([51n, 51n, 51n]);
  });

  it.each([
    ['another chain than the request', async () => ({ body: await fulfilment(), chains: [HUB] }), { status: 422, code: 'chain_mismatch', field: 'chainIds' }],
    ['a signer that is not a custodian', async () => ({ body: await fulfilment({}, DEV_OUTSIDER_KEY), chains: [SPOKE] }), { status: 403, code: 'not_a_custodian', field: 'request.signature' }],
    ['an unknown request', async () => ({ body: await fulfilment({ requestId: '9' }), chains: [SPOKE] }), { status: 422, code: 'unknown_request', field: 'request.requestId' }],
    ['more than the allowance', async () => ({ body: await fulfilment({ amount: '101' }), chains: [SPOKE] }), { status: 422, code: 'exceeds_allowance', field: 'request.amount' }],
    ['more than the request', async () => ({ body: await fulfilment({ amount: '701' }), chains: [SPOKE] }), { status: 422, code: 'exceeds_request', field: 'request.amount' }],
    ['a payment dated in the future', async () => ({ body: await fulfilment({ settledAt: NOW + 3600 }), chains: [SPOKE] }), { status: 422, code: 'time_in_future', field: 'request.settledAt' }],
  ])('refuses %s', async (_name, make, expected) => {
    const { body, chains } = await make();
    expect(await errorOf(await sign('redemptionFulfilment', body, 9, chains))).toEqual(expected);
  });

  it('refuses a cancelled request', async () => {
    rw.requests.set(`${SPOKE}:1`, { ...rw.requests.get(`${SPOKE}:1`)!, cancelled: true });
    expect(await errorOf(await sign('redemptionFulfilment', await fulfilment(), 9, [SPOKE]))).toEqual({ status: 422, code: 'request_closed', field: 'request.requestId' });
  });
});

describe('committee signer, disclosure (kind 11)', () => {
  it('signs an issuer disclosure for every chain; the next of the same kind must be newer, another kind need not', async () => {
    await signed(await sign('disclosure', await disclosure(), 11, [HUB, SPOKE]));
    expect(await errorOf(await sign('disclosure', await disclosure({ docHash: keccak256(stringToBytes('other')), asOf: NOW - 7200 }), 12, [HUB, SPOKE]))).toEqual({
      status: 422,
      code: 'disclosure_not_newer',
      field: 'request.asOf',
    });
    await signed(await sign('disclosure', await disclosure({ docKind: 'auditReport' }), 12, [HUB, SPOKE]));
  });

  it('refuses a disclosure not signed by the issuer', async () => {
    expect(await errorOf(await sign('disclosure', await disclosure({}, DEV_CUSTODIAN_KEY), 11, [HUB, SPOKE]))).toEqual({ status: 403, code: 'not_the_issuer', field: 'request.signature' });
  });
});


describe('remote committee over redemption kinds', () => {
  it('reaches quorum through signers that each re-read the chains; a signer whose chains disagree does not sign', async () => {
    // Signer 3 reads another supply on the spoke at the pinned block: it computes another pool and refuses.
    const skewed = newRedemptionWorld(rw.defaultTime);
    for (const key of ['heads', 'requested', 'supplies', 'stageLogs', 'requests', 'allowances'] as const) (skewed[key] as Map<unknown, unknown>) = new Map(rw[key] as Map<unknown, unknown>);
    skewed.suppliesAt.set(`${SPOKE}:45`, 1n);
    const apps = [makeSigner(DEV_COMMITTEE_KEYS[0]!, world, rw), makeSigner(DEV_COMMITTEE_KEYS[1]!, world, rw), makeSigner(DEV_COMMITTEE_KEYS[2]!, world, skewed)];
    const urls = apps.map((_, i) => `http://signer-${i + 1}.test`);
    const metrics = createMetrics();
    const committee = new RemoteCommittee({
      urls,
      timeoutMs: 2_000,
      metrics,
      logger: pino({ level: 'silent' }),
      fetch: async (url, init) => apps[urls.indexOf(new URL(url).origin)]!.app.request(url, init),
    });
    const source = { kind: 'redemptionRequest' as const, request: report() };
    const message = attestationOf(source, DID_HASH, 5n);
    const hub = { chainId: BigInt(HUB), receiver: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512' as const };
    const [packed] = await committee.sign({ message, source, destinations: [hub], signers: world.record.signers, threshold: 3 }).then(
      () => {
        throw new Error('three signatures should not be available');
      },
      (err: unknown) => {
        expect(String(err)).toContain('pool_supply_mismatch');
        return committee.sign({ message, source, destinations: [hub], signers: world.record.signers, threshold: 2 });
      },
    );
    expect(packed!.chainId).toBe(HUB);
    expect((packed!.signatures.length - 2) / 130).toBe(2);
  });
});
