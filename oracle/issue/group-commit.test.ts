import { beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { recoverTypedDataAddress, sliceHex, type Address, type Hex } from 'viem';
import { batchTypedData } from '../../schemas/eip712.js';
import { attestationFeedSchema, type FeedItem } from '../../schemas/http.js';
import { parserFor } from '../../schemas/validate.js';
import { verifyBatchProof } from '../../core/batch-tree.js';
import { pino } from 'pino';
import { DEV_COMMITTEE_KEYS } from '../../schemas/dev-keys.js';
import type { DidHash } from '../../schemas/ids.js';
import { openDb } from '../../common/sqlite.js';
import { KeyedMutex } from '../../common/mutex.js';
import { createMetrics, type OracleMetrics } from '../metrics.js';
import { OracleService } from '../intake/settlement-service.js';
import { createApp } from '../api/app.js';
import { MoveService } from '../intake/move-service.js';
import { MoveStore } from '../store/moves.js';
import * as oracleSchema from '../store/schema.js';
import { AttestationStore } from '../store/attestations.js';
import { COMMITTEE, DID_HASH, HUB, INVESTOR, NOW, OPEN_HOLDINGS, REGISTRY, fakeChains, fakeRegistry, makeSigner, newWorld, settlementBody, tempDb, type World } from '../../testkit/committee.js';
import { waitFor } from '../../testkit/wait.js';
import { RemoteCommittee, type FetchLike } from './committee/remote.js';
import { faultHook, faultyCommittee, type FaultSpec } from './fault.js';
import { sweepProposals } from './proposal-sweep.js';

// Group commit with real signers (SignerService + SQLite apps, reached through app.request) and a real oracle store;
// the hub and chains are in-memory fakes. Signer calls are counted by route, not timed.
const URLS = ['http://signer-1.test', 'http://signer-2.test', 'http://signer-3.test'];
class Crash extends Error {}
type Delivery = FeedItem['deliveries'][number];
const parseFeed = parserFor<{ items: FeedItem[] }>(attestationFeedSchema);

let world: World;
let peers: Map<string, Hono>;
let signers: ReturnType<typeof makeSigner>[];
let calls: string[];
/** While set, every signer call waits for it: a committee round held in flight. */
let gate: Promise<void> | undefined;
let dbPath: string;
/** The supply cap the oracle reads on chain 31338 (the signers read world.holdings). */
let oracleCap: bigint;
/** The oracle's reads of the DID's record on the hub; while `hubGate` is set, each waits for it. */
let hubReads: number;
let hubGate: Promise<void> | undefined;

const network: FetchLike = async (url, init) => {
  const u = new URL(url);
  calls.push(u.pathname);
  if (gate) await gate;
  return peers.get(u.origin)!.request(url, init);
};

function boot(fault?: FaultSpec, onStored?: () => void) {
  const metrics: OracleMetrics = createMetrics();
  const logger = pino({ level: 'silent' });
  const hit = faultHook(fault, () => {
    throw new Crash(`killed at ${fault?.step}`);
  });
  const { db } = openDb(dbPath, oracleSchema, join(import.meta.dirname, '..', 'store', 'migrations'));
  const store = new AttestationStore(db, (row) => {
    onStored?.();
    hit('before_answer', row.kind);
  });
  const committee = faultyCommittee(new RemoteCommittee({ urls: URLS, timeoutMs: 5_000, metrics, logger, fetch: network }), hit);
  const hub = fakeRegistry(world);
  const registry = {
    ...hub,
    getDid: async (h: DidHash) => {
      hubReads += 1;
      if (hubGate) await hubGate;
      return hub.getDid(h);
    },
    ping: async () => true,
  };
  const chains = fakeChains(world);
  const destinations = {
    get: chains.get,
    balanceOf: chains.balanceOf,
    isApplied: async (chainId: number, _d: DidHash, nonce: bigint) => world.usedNonces.has(`${chainId}:${nonce}`),
    settlementState: async (chainId: number, _d: DidHash, nonce: bigint) => (world.usedNonces.has(`${chainId}:${nonce}`) ? ('applied' as const) : ('pending' as const)),
    transportQuorumStatus: async () => undefined,
    moveOutcomeOf: async () => 'none' as const,
    holdingsState: async (chainId: number, d: DidHash, investor?: Address) => ({
      configured: true,
      totalSupply: 0n,
      supplyCap: oracleCap,
      paused: false,
      investorAllowed: true,
      investorBalance: investor ? await chains.balanceOf(chainId, d, investor) : 0n,
    }),
  };
  const lock = new KeyedMutex();
  const common = { registry, registryAddress: REGISTRY, hubChainId: BigInt(HUB), destinations, committee, store, metrics, logger, lock, now: () => BigInt(NOW) };
  const service = new OracleService({ ...common, maxFutureSkewSeconds: 300 });
  const app = createApp({
    service,
    moves: new MoveService({ ...common, moves: new MoveStore(db) }),
    store,
    destinations,
    registry,
    metrics,
    logger,
    dids: { members: { custodiansOf: async () => [], navPublishersOf: async () => [] }, hubChainId: BigInt(HUB), registryAddress: REGISTRY, publicUrl: undefined },
  });
  const post = async (body: unknown) => {
    const res = await app.request('/v1/settlements', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as { id?: string; nonce?: string; message?: Hex; deliveries?: Delivery[]; error?: { code: string } } };
  };
  const sweep = () => sweepProposals({ committee, store, metrics, logger, chain: (id) => destinations.get(id), lock }, { now: Date.now(), ignoreBackoff: true });
  const queued = async () => (await metrics.signQueued.get()).values[0]?.value ?? 0;
  const get = async (path: string) => {
    const res = await app.request(path);
    return { status: res.status, json: (await res.json()) as unknown };
  };
  return { post, get, store, sweep, queued, metrics };
}

const bodies = (n: number, prefix = 'GC') => Promise.all(Array.from({ length: n }, (_, i) => settlementBody({ settlementRef: `${prefix}-${i + 1}` })));

/** Holds the committee round of a first request in flight, queues `more` behind it, then lets the rounds run. */
async function behindOneRound(oracle: ReturnType<typeof boot>, first: unknown, more: unknown[]) {
  let open!: () => void;
  gate = new Promise<void>((r) => (open = r));
  const head = oracle.post(first);
  await waitFor(async () => calls.length > 0, { what: 'the first round in flight', timeoutMs: 5_000 });
  const rest: ReturnType<typeof oracle.post>[] = [];
  for (const b of more) rest.push(oracle.post(b));
  await waitFor(async () => (await oracle.queued()) === more.length, { what: 'the requests queued behind it', timeoutMs: 5_000 });
  gate = undefined;
  open();
  return { head: await head, rest: await Promise.all(rest) };
}

/** Every nonce any signer signed is one message, the one the oracle stored at that nonce. */
function assertOneMessagePerNonce(store: AttestationStore) {
  for (const s of signers) {
    for (let nonce = 1; nonce <= 40; nonce += 1) {
      const signed = s.store.byNonce(DID_HASH, String(nonce));
      const stored = signed && store.getById(signed.row.messageHash);
      if (stored) expect(stored.row.nonce).toBe(nonce);
    }
  }
}

beforeEach(() => {
  world = newWorld();
  world.holdings.set(31338, OPEN_HOLDINGS);
  world.balances.set(`31338:${INVESTOR}`, 10n ** 12n);
  oracleCap = 10n ** 30n;
  hubReads = 0;
  hubGate = undefined;
  signers = DEV_COMMITTEE_KEYS.slice(0, 3).map((k) => makeSigner(k, world));
  peers = new Map(signers.map((s, i) => [URLS[i]!, s.app]));
  calls = [];
  gate = undefined;
  dbPath = tempDb('oracle-group-commit-test');
});

describe('group-commit signing', () => {
  it('signs 16 concurrent requests of one DID in two committee rounds: the lone first at once, the rest together', async () => {
    const oracle = boot();
    const [first, ...more] = await bodies(16);
    const { head, rest } = await behindOneRound(oracle, first, more);
    expect([head, ...rest].map((r) => r.status)).toEqual(Array(16).fill(201));
    // Two rounds, one call to each signer per round (one straggler per round may be cancelled after the quorum).
    expect(calls.length).toBe(2 * URLS.length);
    expect(calls.filter((c) => c === '/v1/sign-batch')).toHaveLength(2 * URLS.length);
    // Nonces in arrival order, each stored once with its own attestation.
    expect([head, ...rest].map((r) => r.json.nonce)).toEqual(Array.from({ length: 16 }, (_, i) => String(i + 1)));
    expect(new Set([head, ...rest].map((r) => r.json.id)).size).toBe(16);
    expect(oracle.store.count()).toBe(16);
    expect(oracle.store.proposals.countOpen()).toBe(0);
    assertOneMessagePerNonce(oracle.store);
  });

  it('signs the next round under one root per chain: each answer (201, repeat 200, read, feed) carries its proof, the root signed by the committee', async () => {
    const oracle = boot();
    const [first, ...more] = await bodies(5);
    const { head, rest } = await behindOneRound(oracle, first, more);
    expect([head, ...rest].map((r) => r.status)).toEqual(Array(5).fill(201));
    // The lone first round has a single message: no root.
    expect(head.json.deliveries?.[0]?.batch).toBeUndefined();
    const batch = rest[0]!.json.deliveries![0]!.batch!;
    expect(batch).toBeDefined();
    for (const r of rest) {
      const d = r.json.deliveries![0]!;
      expect(d.batch?.root).toBe(batch.root);
      expect(verifyBatchProof(d.batch!.root as Hex, r.json.message!, d.batch!.proof as Hex[])).toBe(true);
    }
    // The root's signatures: the threshold (2) of the committee, ascending, each over AttestationBatch in 31338's domain.
    const typed = batchTypedData(31338n, rest[0]!.json.deliveries![0]!.receiver as Address, DID_HASH, batch.root as Hex);
    const sigs = [0, 1].map((i) => sliceHex(batch.signatures as Hex, i * 65, (i + 1) * 65));
    expect((batch.signatures.length - 2) / 130).toBe(2);
    const recovered = await Promise.all(sigs.map((signature) => recoverTypedDataAddress({ ...typed, signature })));
    expect(recovered.every((a) => COMMITTEE.includes(a))).toBe(true);
    expect(BigInt(recovered[0]!) < BigInt(recovered[1]!)).toBe(true);
    // The same batch in the repeat, the attestation read and the feed (which parses against its schema).
    const repeat = await oracle.post(more[2]);
    expect(repeat).toMatchObject({ status: 200, json: { id: rest[2]!.json.id } });
    expect(repeat.json.deliveries).toEqual(rest[2]!.json.deliveries);
    const read = await oracle.get(`/v1/attestations/${rest[2]!.json.id}`);
    expect((read.json as { deliveries: Delivery[] }).deliveries).toEqual(rest[2]!.json.deliveries);
    const feed = parseFeed((await oracle.get('/v1/attestations?after=0')).json);
    expect(feed.ok && feed.value.items.map((i) => i.deliveries[0]!.batch?.root)).toEqual([undefined, ...Array(4).fill(batch.root)]);
  });

  it('accumulates the cap across the batch in order on the oracle: the items past the room are refused alone', async () => {
    oracleCap = 4_500_000n; // room for four subscriptions of 1,000,000
    const oracle = boot();
    const [first, ...more] = await bodies(6);
    const { head, rest } = await behindOneRound(oracle, first, more);
    expect([head, ...rest].map((r) => r.status)).toEqual([201, 201, 201, 201, 422, 422]);
    expect(rest[4]!.json.error?.code).toBe('exceeds_reserve_budget');
    expect(rest.slice(0, 3).map((r) => r.json.nonce)).toEqual(['2', '3', '4']);
    expect(oracle.store.proposals.countOpen()).toBe(0);
  });

  it('answers a batch item the signers refuse on its own (503, round closed); its batch-mates are signed', async () => {
    // The signers see room for three under the cap; the oracle sees more (its view lags): items 4.. are refused by
    // every signer, each for itself, checked against the items signed before it in the same batch.
    world.holdings.set(31338, { ...OPEN_HOLDINGS, supplyCap: 3_500_000n });
    const oracle = boot();
    const [first, ...more] = await bodies(5);
    const { head, rest } = await behindOneRound(oracle, first, more);
    expect([head, ...rest].map((r) => r.status)).toEqual([201, 201, 201, 503, 503]);
    expect(rest[2]!.json.error?.code).toBe('quorum_unavailable');
    expect(oracle.store.proposals.get(DID_HASH, 4)?.state).toBe('closed');
    expect(oracle.store.proposals.get(DID_HASH, 5)?.state).toBe('closed');
    expect(calls.length).toBe(2 * URLS.length);
    // A closed nonce is never proposed again: the next request gets nonce 6.
    world.holdings.set(31338, OPEN_HOLDINGS);
    const next = await oracle.post((await bodies(1, 'NEXT'))[0]);
    expect(next).toMatchObject({ status: 201, json: { nonce: '6' } });
  });

  it('answers the same request twice in one batch once created and once as the repeat, and another body under its ref 409', async () => {
    const oracle = boot();
    const [x, a, b] = await bodies(3);
    const other = await settlementBody({ settlementRef: 'GC-2', amount: '7' });
    const { head, rest } = await behindOneRound(oracle, x, [a, a, other, b]);
    expect(head.status).toBe(201);
    const [a1, a2, conflict, b1] = rest;
    expect(a1).toMatchObject({ status: 201, json: { nonce: '2' } });
    expect(a2).toMatchObject({ status: 200, json: { id: a1!.json.id, nonce: '2' } });
    expect(conflict).toMatchObject({ status: 409, json: { error: { code: 'conflicting_repeat' } } });
    expect(b1).toMatchObject({ status: 201, json: { nonce: '3' } });
    expect(oracle.store.count()).toBe(3);
  });

  it("stores a round's attestations with one commit: when the first is handed on, the whole round is durable", async () => {
    // A second connection sees only what is committed.
    const reader = new AttestationStore(openDb(dbPath, oracleSchema, join(import.meta.dirname, '..', 'store', 'migrations')).db);
    const seen: number[] = [];
    const oracle = boot(undefined, () => seen.push(reader.count()));
    const [first, ...more] = await bodies(5);
    const { head, rest } = await behindOneRound(oracle, first, more);
    expect([head, ...rest].map((r) => r.status)).toEqual(Array(5).fill(201));
    expect(seen).toEqual([1, 5, 5, 5, 5]);
  });

  it("shares the intake's hub read among requests that arrive while it is in flight; each is still checked and signed", async () => {
    const oracle = boot();
    const shared = async () => (await oracle.metrics.intakeReads.get()).values.find((v) => v.labels.outcome === 'shared')?.value ?? 0;
    let open!: () => void;
    hubGate = new Promise<void>((r) => (open = r));
    const posts = (await bodies(4)).map((b) => oracle.post(b));
    await waitFor(async () => (await shared()) === 3, { what: 'three requests joined the first read', timeoutMs: 5_000 });
    hubGate = undefined;
    open();
    expect((await Promise.all(posts)).map((r) => r.status)).toEqual(Array(4).fill(201));
    expect(hubReads).toBe(1);
    // Once settled, nothing is kept: the next request reads the hub again.
    expect((await oracle.post(await settlementBody({ settlementRef: 'GC-LATE' }))).status).toBe(201);
    expect(hubReads).toBe(2);
  });

  it('completes at boot a batch stored before any signer was asked; retries get those attestations', async () => {
    const dying = boot({ step: 'before_ask', kind: 'settlement' });
    const [first, ...more] = await bodies(5);
    const results = await Promise.all([first, ...more].map((b) => dying.post(b)));
    expect(results.map((r) => r.status)).toEqual(Array(5).fill(500));
    expect(calls).toHaveLength(0);
    expect(dying.store.proposals.countOpen()).toBe(5);
    const proposed = [1, 2, 3, 4, 5].map((n) => dying.store.proposals.get(DID_HASH, n)!);

    const oracle = boot();
    expect(await oracle.sweep()).toMatchObject({ completed: 5, stillOpen: 0, failed: 0 });
    for (const [i, b] of [first, ...more].entries()) {
      const retry = await oracle.post(b);
      expect(retry).toMatchObject({ status: 200, json: { id: proposed[i]!.id, nonce: String(proposed[i]!.nonce) } });
    }
    expect(oracle.store.proposals.countOpen()).toBe(0);
    assertOneMessagePerNonce(oracle.store);
  });
});
