import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DEV_COMMITTEE_KEYS } from '../schemas/dev-keys.js';
import type { SignBatchResponse, SignResponse } from '../schemas/committee.js';
import { DID_HASH, OPEN_HOLDINGS, makeSigner, settlementBody, newWorld, type World } from '../testkit/committee.js';

// Unit test: the hub registry and chains are in-memory fakes (reads counted); the signer's store and HTTP app are real.
let world: World;
let signer: ReturnType<typeof makeSigner>;
let holdingsReads: number;
let appliedReads: number;

type Item = SignBatchResponse['results'][number];
const isSigned = (r: Item): r is Extract<Item, { signatures: unknown }> => 'signatures' in r;

const batch = async (items: unknown[]): Promise<SignBatchResponse> => {
  const res = await signer.app.request('/v1/sign-batch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items }) });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as SignBatchResponse;
};
const item = async (ref: string, nonce: number, over: Record<string, string> = {}) => ({
  kind: 'settlement',
  request: await settlementBody({ settlementRef: ref, ...over }),
  nonce: String(nonce),
  chainIds: [31338],
});

beforeEach(() => {
  world = newWorld();
  holdingsReads = 0;
  appliedReads = 0;
  // Room under the cap for two subscriptions of 1,000,000 and not three.
  world.holdings = new (class extends Map<number, typeof OPEN_HOLDINGS & { supplyCap: bigint }> {
    override get(k: number) {
      holdingsReads += 1;
      return super.get(k);
    }
  })([[31338, { ...OPEN_HOLDINGS, supplyCap: 2_500_000n }]]);
  world.usedNonces = new (class extends Set<string> {
    override has(k: string) {
      appliedReads += 1;
      return super.has(k);
    }
  })();
  signer = makeSigner(DEV_COMMITTEE_KEYS[0]!, world);
});

describe('committee signer POST /v1/sign-batch', () => {
  it('checks the items in order against one set of chain reads: the cap room is used up by the items before', async () => {
    const r = await batch([await item('B-1', 1), await item('B-2', 2), await item('B-3', 3)]);
    expect(r.signer).toBe(signer.address);
    expect(r.results.map(isSigned)).toEqual([true, true, false]);
    expect(r.results[2]).toMatchObject({ status: 422, error: { code: 'exceeds_reserve_budget' } });
    // One holdings read for the batch; the nonces it signed are pending without asking the chain.
    expect(holdingsReads).toBe(1);
    expect(appliedReads).toBe(0);
    expect(signer.store.byNonce(DID_HASH, '1')?.row.messageHash).toBe((r.results[0] as SignResponse).attestationId);
    expect(signer.store.byNonce(DID_HASH, '3')).toBeUndefined();
  });

  it('answers the same as one by one: the third alone is refused after the two signed in a batch', async () => {
    await batch([await item('B-1', 1), await item('B-2', 2)]);
    const res = await signer.app.request('/v1/sign', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(await item('B-3', 3)) });
    expect(res.status).toBe(422);
  });

  it('refuses an item on its own (schema, equivocation, request at another nonce) and signs its batch-mates', async () => {
    const first = await batch([await item('B-1', 1)]);
    const r = await batch([
      { kind: 'settlement', request: {}, nonce: '2', chainIds: [31338] },
      await item('OTHER', 1),
      await item('B-1', 5),
      await item('B-2', 2),
    ]);
    expect(r.results[0]).toMatchObject({ status: 400, error: { code: 'invalid_body' } });
    expect(r.results[1]).toMatchObject({ status: 409, error: { code: 'equivocation', field: 'nonce' } });
    expect(r.results[2]).toMatchObject({ status: 409, error: { code: 'source_already_signed' } });
    expect(isSigned(r.results[3]!)).toBe(true);
    expect(signer.store.byNonce(DID_HASH, '1')?.row.messageHash).toBe((first.results[0] as SignResponse).attestationId);
  });

  it('answers a repeated batch with the first signatures, and a repeat beside a new item', async () => {
    const a = await batch([await item('B-1', 1), await item('B-2', 2)]);
    const b = await batch([await item('B-1', 1), await item('B-2', 2)]);
    expect(b.results).toEqual(a.results);
    world.holdings.set(31338, { ...OPEN_HOLDINGS, supplyCap: 10n ** 30n });
    const c = await batch([await item('B-2', 2), await item('B-3', 3)]);
    expect(c.results[0]).toEqual(a.results[1]);
    expect(isSigned(c.results[1]!)).toBe(true);
  });

  it('refuses a body that is not a batch, and a batch past 64 items', async () => {
    const post = (body: unknown) => signer.app.request('/v1/sign-batch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ items: [] })).status).toBe(400);
    expect((await post([await item('B-1', 1)])).status).toBe(400);
    const many = Array.from({ length: 65 }, () => ({ kind: 'settlement', request: {}, nonce: '1', chainIds: [31338] }));
    expect((await post({ items: many })).status).toBe(400);
  });

  it('asks the chain nothing while a subscription fits with every signed one counted pending', async () => {
    world.holdings.set(31338, { ...OPEN_HOLDINGS, supplyCap: 10n ** 30n });
    await batch([await item('B-1', 1)]);
    const r = await batch([await item('B-2', 2)]);
    expect(isSigned(r.results[0]!)).toBe(true);
    expect(appliedReads).toBe(0);
  });

  it('near the cap asks which applied, then reads the holdings again after them (never counting one zero times)', async () => {
    world.holdings.set(31338, { ...OPEN_HOLDINGS, supplyCap: 3_500_000n });
    await batch([await item('B-1', 1), await item('B-2', 2)]);
    // Nonce 1 applies on chain: the supply holds it now.
    world.usedNonces.add('31338:1');
    world.supplies.set(31338, 1_000_000n);
    holdingsReads = 0;
    appliedReads = 0;
    const r = await batch([await item('B-3', 3)]);
    expect(isSigned(r.results[0]!)).toBe(true);
    expect(appliedReads).toBe(2);
    expect(holdingsReads).toBe(2);
  });

  it('counts a subscription the brakes queued (nonce used, not minted yet) against the cap until it is drained', async () => {
    await batch([await item('B-1', 1), await item('B-2', 2)]);
    world.usedNonces.add('31338:1');
    world.queuedNonces.add('31338:1');
    expect((await batch([await item('B-3', 3)])).results[0]).toMatchObject({ status: 422, error: { code: 'exceeds_reserve_budget' } });
    // Drained: minted into the supply, under a cap raised by what it took.
    world.queuedNonces.delete('31338:1');
    world.supplies.set(31338, 1_000_000n);
    world.holdings.set(31338, { ...OPEN_HOLDINGS, supplyCap: 3_500_000n });
    expect(isSigned((await batch([await item('B-3', 3)])).results[0]!)).toBe(true);
  });

  it("reads a DID's signed settlements from its store once, not on every request", async () => {
    world.holdings.set(31338, { ...OPEN_HOLDINGS, supplyCap: 10n ** 30n });
    await batch([await item('B-1', 1)]);
    const reads = vi.spyOn(signer.store, 'ofKind');
    for (const n of [2, 3, 4]) {
      const res = await signer.app.request('/v1/sign', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(await item(`B-${n}`, n)) });
      expect(res.status).toBe(200);
    }
    await batch([await item('B-5', 5), await item('B-6', 6)]);
    expect(reads).not.toHaveBeenCalled();
    // What it signed since still counts: near the cap the sixth subscription's pending mints are all six.
    world.holdings.set(31338, { ...OPEN_HOLDINGS, supplyCap: 6_500_000n });
    const r = await batch([await item('B-7', 7)]);
    expect(r.results[0]).toMatchObject({ status: 422, error: { code: 'exceeds_reserve_budget' } });
  });

  it('records a batch in one transaction: a batch that fails as a whole leaves none of its items signed', async () => {
    const record = signer.store.record.bind(signer.store);
    let calls = 0;
    const spy = vi.spyOn(signer.store, 'record').mockImplementation((m, c) => {
      calls += 1;
      if (calls === 2) throw new Error('disk I/O error');
      return record(m, c);
    });
    const res = await signer.app.request('/v1/sign-batch', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: [await item('B-1', 1), await item('B-2', 2)] }),
    });
    expect(res.status).toBe(500);
    expect(calls).toBe(2);
    // The first item was recorded before the second failed, and rolled back with it: no signature left the process.
    expect(signer.store.byNonce(DID_HASH, '1')).toBeUndefined();
    expect(signer.store.count()).toBe(0);
    spy.mockRestore();
    // Nothing of the failed batch is counted either: both of the next two still fit under the cap (2,500,000).
    const r = await batch([await item('B-3', 1), await item('B-4', 2)]);
    expect(r.results.map(isSigned)).toEqual([true, true]);
    expect(signer.store.count()).toBe(2);
  });
});
