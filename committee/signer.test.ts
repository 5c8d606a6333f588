import { beforeEach, describe, expect, it } from 'vitest';
import { recoverTypedDataAddress, type Address, type Hex } from 'viem';
import { DEV_COMMITTEE_KEYS, DEV_CUSTODIAN_KEY, DEV_NAV_PUBLISHER_KEY, DEV_OUTSIDER_KEY } from '../schemas/dev-keys.js';
import { attestationDomain, attestationTypes } from '../schemas/eip712.js';
import { attestationTypedMessage, decodeMessage } from '../schemas/message.js';
import type { SignResponse } from '../schemas/committee.js';
import { CHAINS, DID_HASH, INVESTOR, NOW, OPEN_HOLDINGS, OTHER_INVESTOR, makeSigner, navBody, newWorld, settlementBody, type World } from '../testkit/committee.js';

// Unit test: the hub registry and destination chains are in-memory fakes; store and HTTP app are the real ones.
let world: World;
let signer: ReturnType<typeof makeSigner>;

const post = (body: unknown, contentType = 'application/json') =>
  signer.app.request('/v1/sign', { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const sign = (kind: 'settlement' | 'nav', request: unknown, nonce: string | number, chainIds: number[]) => post({ kind, request, nonce: String(nonce), chainIds });

async function errorOf(res: Response) {
  const j = (await res.json()) as { error: { code: string; field?: string; message: string } };
  return { status: res.status, ...j.error };
}

async function signed(res: Response): Promise<SignResponse> {
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as SignResponse;
}

async function recover(message: Hex, chainId: number, receiver: Address, signature: Hex) {
  const typed = attestationTypedMessage(decodeMessage(message));
  return recoverTypedDataAddress({
    domain: attestationDomain(BigInt(chainId), receiver),
    types: attestationTypes,
    primaryType: typed.primaryType,
    message: typed.message,
    signature,
  } as Parameters<typeof recoverTypedDataAddress>[0]);
}

describe('committee signer POST /v1/sign', () => {
  beforeEach(() => {
    world = newWorld();
    world.holdings.set(31338, OPEN_HOLDINGS);
    signer = makeSigner(DEV_COMMITTEE_KEYS[0]!, world);
  });

  it('signs a settlement for its chain with its own key, over the receiver domain, and records it', async () => {
    const body = await signed(await sign('settlement', await settlementBody(), 1, [31338]));
    expect(body.signer).toBe(signer.address);
    expect(body.signatures).toHaveLength(1);
    const [s] = body.signatures;
    expect(s).toMatchObject({ chainId: 31338, receiver: CHAINS[1].receiver });
    const row = signer.store.byNonce(DID_HASH, '1');
    expect(row?.row.messageHash).toBe(body.attestationId);
    expect(decodeMessage(row!.row.message as Hex)).toMatchObject({ kind: 'settlement', nonce: 1n, investor: INVESTOR, amount: 1_000_000n });
    expect(await recover(row!.row.message as Hex, 31338, CHAINS[1].receiver, s!.signature as Hex)).toBe(signer.address);
  });

  it('signs a NAV for every proposed chain, each over its own receiver domain', async () => {
    const body = await signed(await sign('nav', await navBody(), 1, [31337, 31338]));
    const message = signer.store.byNonce(DID_HASH, '1')!.row.message as Hex;
    expect(body.signatures.map((s) => s.chainId)).toEqual([31337, 31338]);
    for (const s of body.signatures) expect(await recover(message, s.chainId, s.receiver as Address, s.signature as Hex)).toBe(signer.address);
    expect(body.signatures[0]!.signature).not.toBe(body.signatures[1]!.signature);
  });

  it('returns the same signatures when asked for the same message again, without re-checking the rules', async () => {
    const first = await signed(await sign('nav', await navBody(), 1, [31337, 31338]));
    // The NAV is now on chain: a fresh check would call it not newer. A repeat must still answer.
    world.navs.set(31337, { nav: 100_000_000n, asOf: BigInt(NOW - 10) });
    const again = await signed(await sign('nav', await navBody(), 1, [31337, 31338]));
    expect(again).toEqual(first);
    expect(signer.store.count()).toBe(1);
    const subset = await signed(await sign('nav', await navBody(), 1, [31338]));
    expect(subset.signatures).toEqual(first.signatures.filter((s) => s.chainId === 31338));
  });

  it('extends an already signed message to a further chain and keeps the first signatures', async () => {
    const first = await signed(await sign('nav', await navBody(), 1, [31338]));
    const wider = await signed(await sign('nav', await navBody(), 1, [31337, 31338]));
    expect(wider.attestationId).toBe(first.attestationId);
    expect(wider.signatures.find((s) => s.chainId === 31338)).toEqual(first.signatures[0]);
    expect(wider.signatures.map((s) => s.chainId)).toEqual([31337, 31338]);
    expect(signer.store.count()).toBe(1);
  });

  it('refuses a different message at an already signed (DID, nonce) with 409 equivocation', async () => {
    await signed(await sign('settlement', await settlementBody(), 7, [31338]));
    const other = await sign('settlement', await settlementBody({ settlementRef: 'REF-2' }), 7, [31338]);
    expect(await errorOf(other)).toMatchObject({ status: 409, code: 'equivocation', field: 'nonce' });
    const otherKind = await sign('nav', await navBody(), 7, [31338]);
    expect(await errorOf(otherKind)).toMatchObject({ status: 409, code: 'equivocation' });
    expect(signer.store.count()).toBe(1);
  });

  it('refuses the same custodian request under another nonce with 409 source_already_signed', async () => {
    await signed(await sign('settlement', await settlementBody(), 1, [31338]));
    const replay = await sign('settlement', await settlementBody(), 2, [31338]);
    expect(await errorOf(replay)).toMatchObject({ status: 409, code: 'source_already_signed', field: 'nonce' });
    // Same reference, other content: still one settlement reference, one signature.
    const changed = await sign('settlement', await settlementBody({ amount: '5' }), 3, [31338]);
    expect(await errorOf(changed)).toMatchObject({ status: 409, code: 'source_already_signed' });
    expect(signer.store.count()).toBe(1);
  });

  it('records only one of two concurrent different messages for one nonce', async () => {
    const [a, b] = await Promise.all([
      sign('settlement', await settlementBody({ settlementRef: 'RACE-A' }), 9, [31338]),
      sign('settlement', await settlementBody({ settlementRef: 'RACE-B' }), 9, [31338]),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(signer.store.count()).toBe(1);
  });

  it('refuses to sign when it is not in the DID signer set', async () => {
    signer = makeSigner(DEV_OUTSIDER_KEY, world);
    expect(await errorOf(await sign('settlement', await settlementBody(), 1, [31338]))).toMatchObject({ status: 403, code: 'not_in_signer_set' });
    expect(signer.store.count()).toBe(0);
  });

  it('refuses a NAV not newer than the one it signed itself, and one moving too far from it', async () => {
    await signed(await sign('nav', await navBody({ nav: '100000000', asOf: NOW - 100 }), 1, [31338]));
    expect(await errorOf(await sign('nav', await navBody({ asOf: NOW - 200 }), 2, [31338]))).toMatchObject({ status: 422, code: 'nav_not_newer', field: 'request.asOf' });
    expect(await errorOf(await sign('nav', await navBody({ nav: '106000000', asOf: NOW - 50 }), 2, [31338]))).toMatchObject({
      status: 422,
      code: 'nav_move_too_large',
      field: 'request.nav',
    });
    expect(signer.store.count()).toBe(1);
  });

  it('checks a NAV against the latest applied on chain when it missed it (it was down)', async () => {
    world.navs.set(31338, { nav: 100_000_000n, asOf: BigInt(NOW - 100) });
    expect(await errorOf(await sign('nav', await navBody({ asOf: NOW - 100 }), 5, [31337, 31338]))).toMatchObject({ status: 422, code: 'nav_not_newer' });
    expect(await errorOf(await sign('nav', await navBody({ nav: '94000000', asOf: NOW - 50 }), 5, [31337, 31338]))).toMatchObject({ status: 422, code: 'nav_move_too_large' });
    await signed(await sign('nav', await navBody({ nav: '104000000', asOf: NOW - 50 }), 5, [31337, 31338]));
  });

  it('signs a redemption covered by the holdings it reads on that chain', async () => {
    world.balances.set(`31338:${INVESTOR}`, 1_000_000n);
    await signed(await sign('settlement', await settlementBody({ kind: 'redemption', settlementRef: 'RED-1' }), 1, [31338]));
  });

  it('refuses the second of two full-balance redemptions while the first is signed and not yet applied', async () => {
    world.balances.set(`31338:${INVESTOR}`, 1_000_000n);
    await signed(await sign('settlement', await settlementBody({ kind: 'redemption', settlementRef: 'RED-1' }), 1, [31338]));
    // The same message again (a retried round) is not counted against itself.
    await signed(await sign('settlement', await settlementBody({ kind: 'redemption', settlementRef: 'RED-1' }), 1, [31338]));
    const second = await errorOf(await sign('settlement', await settlementBody({ kind: 'redemption', settlementRef: 'RED-2' }), 2, [31338]));
    expect(second).toMatchObject({ status: 422, code: 'insufficient_holdings', field: 'request.amount' });
    expect(second.message).toMatch(/less 1000000 already signed and not yet applied/);
    // Applied on chain (nonce used, holdings burnt then topped up): the first reserves nothing more.
    world.usedNonces.add('31338:1');
    await signed(await sign('settlement', await settlementBody({ kind: 'redemption', settlementRef: 'RED-2' }), 2, [31338]));
  });

  it('refuses the second of two subscriptions that each fit the cap headroom alone but not together, while the first is not applied', async () => {
    world.holdings.set(31338, { supplyCap: 1_500_000n, paused: false, investorAllowed: true });
    await signed(await sign('settlement', await settlementBody({ settlementRef: 'SUB-1' }), 1, [31338]));
    // The same message again (a retried round) is not counted against itself.
    await signed(await sign('settlement', await settlementBody({ settlementRef: 'SUB-1' }), 1, [31338]));
    // Another investor's subscription mints under the same cap: it counts too.
    const second = await errorOf(await sign('settlement', await settlementBody({ settlementRef: 'SUB-2', investor: OTHER_INVESTOR }), 2, [31338]));
    expect(second).toMatchObject({ status: 422, code: 'exceeds_reserve_budget', field: 'request.amount' });
    expect(second.message).toMatch(/\+ 1000000 signed and not yet applied/);
    expect(signer.store.byNonce(DID_HASH, '2')).toBeUndefined();
    // Applied on chain (nonce used, now in the supply) under a raised cap: the first reserves nothing more.
    world.usedNonces.add('31338:1');
    world.supplies.set(31338, 1_000_000n);
    world.holdings.set(31338, { supplyCap: 2_000_000n, paused: false, investorAllowed: true });
    await signed(await sign('settlement', await settlementBody({ settlementRef: 'SUB-2', investor: OTHER_INVESTOR }), 2, [31338]));
  });

  it('keeps counting a subscription the brakes queued (nonce used, not minted yet) against the cap until it is drained', async () => {
    world.holdings.set(31338, { supplyCap: 1_500_000n, paused: false, investorAllowed: true });
    await signed(await sign('settlement', await settlementBody({ settlementRef: 'SUB-1' }), 1, [31338]));
    // Queued on chain: its nonce is used but the supply does not hold it yet.
    world.usedNonces.add('31338:1');
    world.queuedNonces.add('31338:1');
    const second = await errorOf(await sign('settlement', await settlementBody({ settlementRef: 'SUB-2', investor: OTHER_INVESTOR }), 2, [31338]));
    expect(second).toMatchObject({ status: 422, code: 'exceeds_reserve_budget', field: 'request.amount' });
    expect(second.message).toMatch(/\+ 1000000 signed and not yet applied/);
    expect(signer.store.byNonce(DID_HASH, '2')).toBeUndefined();
    // Drained (minted into the supply) under a raised cap: the first reserves nothing more.
    world.queuedNonces.delete('31338:1');
    world.supplies.set(31338, 1_000_000n);
    world.holdings.set(31338, { supplyCap: 2_000_000n, paused: false, investorAllowed: true });
    await signed(await sign('settlement', await settlementBody({ settlementRef: 'SUB-2', investor: OTHER_INVESTOR }), 2, [31338]));
  });

  it.each([
    ['the investor is not allow-listed', { investorAllowed: false }, 'investor_not_allowed', 'request.investor'],
    ['the asset is paused', { paused: true }, 'asset_paused', 'request.did'],
    ['the cap is below the amount', { supplyCap: 999_999n }, 'exceeds_reserve_budget', 'request.amount'],
  ])('refuses a subscription the chain would revert now: %s', async (_name, over, code, field) => {
    world.holdings.set(31338, { supplyCap: 10_000_000n, paused: false, investorAllowed: true, ...over });
    expect(await errorOf(await sign('settlement', await settlementBody(), 1, [31338]))).toMatchObject({ status: 422, code, field });
    expect(signer.store.count()).toBe(0);
  });

  type Case = [string, () => Promise<Response>, number, string, string | undefined];
  const cases: Case[] = [
    ['wrong content type', async () => post('x', 'text/plain'), 415, 'unsupported_media_type', 'content-type'],
    ['invalid JSON', async () => post('{"kind":'), 400, 'invalid_json', '(body)'],
    ['missing nonce', async () => post({ kind: 'nav', request: await navBody(), chainIds: [31338] }), 400, 'invalid_body', 'nonce'],
    ['nonce zero', async () => sign('nav', await navBody(), 0, [31338]), 400, 'invalid_body', 'nonce'],
    ['nonce past uint64', async () => sign('nav', await navBody(), (1n << 64n).toString(), [31338]), 400, 'invalid_body', 'nonce'],
    ['no chains', async () => sign('nav', await navBody(), 1, []), 400, 'invalid_body', 'chainIds'],
    ['duplicate chains', async () => sign('nav', await navBody(), 1, [31338, 31338]), 400, 'invalid_body', 'chainIds'],
    ['unknown kind', async () => post({ kind: 'mint', request: await navBody(), nonce: '1', chainIds: [31338] }), 400, 'invalid_body', 'kind'],
    ['extra envelope field', async () => post({ kind: 'nav', request: await navBody(), nonce: '1', chainIds: [31338], message: '0x00' }), 400, 'invalid_body', 'message'],
    ['settlement body under kind nav', async () => sign('nav', await settlementBody(), 1, [31338]), 400, 'invalid_body', 'request.nav'],
    ['request missing a field', async () => { const { amount: _a, ...rest } = await settlementBody(); return sign('settlement', rest, 1, [31338]); }, 400, 'invalid_body', 'request.amount'],
    ['request with an extra field', async () => sign('settlement', { ...(await settlementBody()), extra: 1 }, 1, [31338]), 400, 'invalid_body', 'request.extra'],
    ['unknown DID', async () => sign('settlement', await settlementBody({ did: 'did:rwa:test:nope' }), 1, [31338]), 404, 'unknown_did', 'request.did'],
    ['settlement proposed for another chain', async () => sign('settlement', await settlementBody(), 1, [31337]), 422, 'chain_mismatch', 'chainIds'],
    ['settlement proposed for two chains', async () => sign('settlement', await settlementBody(), 1, [31337, 31338]), 422, 'chain_mismatch', 'chainIds'],
    ['chain not in its deployment', async () => sign('settlement', await settlementBody({ chainId: 1 }), 1, [1]), 422, 'chain_not_enabled', 'chainIds'],
    ['chain not enabled for the DID', async () => { world.record = { ...world.record, chainIds: [31338n] }; return sign('nav', await navBody(), 1, [31337, 31338]); }, 422, 'chain_not_enabled', 'chainIds'],
    ['custodian signature unrecoverable', async () => sign('settlement', { ...(await settlementBody()), signature: `0x${'11'.repeat(64)}1b` }, 1, [31338]), 401, 'bad_signature', 'request.signature'],
    ['body tampered after signing', async () => sign('settlement', { ...(await settlementBody()), amount: '999' }, 1, [31338]), 403, 'not_a_custodian', 'request.signature'],
    ['settlement signed by an outsider', async () => sign('settlement', await settlementBody({}, DEV_OUTSIDER_KEY), 1, [31338]), 403, 'not_a_custodian', 'request.signature'],
    ['settlement signed by the NAV publisher', async () => sign('settlement', await settlementBody({}, DEV_NAV_PUBLISHER_KEY), 1, [31338]), 403, 'not_a_custodian', 'request.signature'],
    ['NAV signed by the custodian', async () => sign('nav', await navBody({}, DEV_CUSTODIAN_KEY), 1, [31338]), 403, 'not_a_nav_publisher', 'request.signature'],
    ['zero amount', async () => sign('settlement', await settlementBody({ amount: '0' }), 1, [31338]), 422, 'amount_not_positive', 'request.amount'],
    ['amount of 2^128', async () => sign('settlement', await settlementBody({ amount: (1n << 128n).toString() }), 1, [31338]), 422, 'amount_too_large', 'request.amount'],
    ['settled in the future', async () => sign('settlement', await settlementBody({ settledAt: NOW + 3600 }), 1, [31338]), 422, 'time_in_future', 'request.settledAt'],
    ['redemption beyond holdings', async () => sign('settlement', await settlementBody({ kind: 'redemption' }), 1, [31338]), 422, 'insufficient_holdings', 'request.amount'],
    ['zero NAV', async () => sign('nav', await navBody({ nav: '0' }), 1, [31338]), 422, 'nav_not_positive', 'request.nav'],
    ['NAV as of the future', async () => sign('nav', await navBody({ asOf: NOW + 3600 }), 1, [31338]), 422, 'time_in_future', 'request.asOf'],
    ['NAV with a destination chain unreadable', async () => { world.chainsDown = true; return sign('nav', await navBody(), 1, [31337, 31338]); }, 503, 'chain_unavailable', undefined],
    [
      'holdings unreadable',
      async () => {
        world.chainsDown = true;
        return sign('settlement', await settlementBody({ kind: 'redemption' }), 1, [31338]);
      },
      503,
      'chain_unavailable',
      undefined,
    ],
  ];
  it.each(cases)('refuses %s with a JSON error naming the field, signing nothing', async (_name, send, status, code, field) => {
    const res = await send();
    const err = await errorOf(res);
    expect(err).toMatchObject({ status, code });
    expect(err.field).toBe(field);
    expect(signer.store.count()).toBe(0);
  });

  it('serves health with its address, metrics and an OpenAPI document', async () => {
    await sign('settlement', await settlementBody({ amount: '0' }), 1, [31338]);
    const health = (await (await signer.app.request('/health')).json()) as { signer: string };
    expect(health.signer).toBe(signer.address);
    expect((await signer.app.request('/ready')).status).toBe(200);
    expect(await (await signer.app.request('/metrics')).text()).toContain('signer_sign_requests_total{outcome="amount_not_positive"} 1');
    const doc = (await (await signer.app.request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain('/v1/sign');
  });
});

describe('committee signer POST /v1/sign with SIGNER_AUTH_TOKEN', () => {
  const TOKEN = 't'.repeat(40);
  beforeEach(() => {
    world = newWorld();
    world.holdings.set(31338, OPEN_HOLDINGS);
    signer = makeSigner(DEV_COMMITTEE_KEYS[0]!, world, undefined, { quorums: true, authToken: TOKEN });
  });
  const request = async (authorization?: string) =>
    signer.app.request('/v1/sign', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ kind: 'settlement', request: await settlementBody(), nonce: '1', chainIds: [31338] }),
    });

  it('refuses a request without the aggregator token, or with another, naming the header, and signs nothing', async () => {
    for (const auth of [undefined, `Bearer ${'u'.repeat(40)}`, TOKEN, `Basic ${TOKEN}`]) {
      expect(await errorOf(await request(auth))).toMatchObject({ status: 401, code: 'unauthorized', field: 'authorization' });
    }
    expect(signer.store.count()).toBe(0);
  });

  it('signs with the token', async () => {
    const r = await signed(await request(`Bearer ${TOKEN}`));
    expect(r.signatures).toHaveLength(1);
    expect(signer.store.count()).toBe(1);
  });
});
