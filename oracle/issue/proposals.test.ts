import { beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { keccak256, recoverTypedDataAddress, sliceHex, stringToBytes, type Address, type Hex } from 'viem';
import { attestationDomain, attestationTypes } from '../../schemas/eip712.js';
import { attestationId, attestationTypedMessage, decodeMessage, encodeMessage } from '../../schemas/message.js';
import { configAttestation, configSnapshotOf } from '../../core/attestation.js';
import { pino } from 'pino';
import { DEV_COMMITTEE_KEYS } from '../../schemas/dev-keys.js';
import type { DidHash } from '../../schemas/ids.js';
import { openDb } from '../../common/sqlite.js';
import { KeyedMutex } from '../../common/mutex.js';
import { createMetrics, type OracleMetrics } from '../metrics.js';
import { OracleService } from '../intake/settlement-service.js';
import { MoveStore } from '../store/moves.js';
import { MoveService } from '../intake/move-service.js';
import { createApp } from '../api/app.js';
import * as oracleSchema from '../store/schema.js';
import { AttestationStore } from '../store/attestations.js';
import { CHAINS, COMMITTEE, DID, DID_HASH, HUB, INVESTOR, NOW, OPEN_HOLDINGS, REGISTRY, record, fakeChains, fakeRegistry, makeSigner, navBody, newWorld, settlementBody, tempDb, type World } from '../../testkit/committee.js';
import { RemoteCommittee, type FetchLike } from './committee/remote.js';
import { faultHook, faultyCommittee, type FaultSpec } from './fault.js';
import { sweepProposals } from './proposal-sweep.js';
import { signMove } from '../../clients/custodian.js';
import { DEV_CUSTODIAN_KEY } from '../../schemas/dev-keys.js';

// Signing rounds that die half way: the aggregator is "killed" by a fault hook that throws, then "restarted" as a
// new service over the same SQLite file. Signers are real SignerService + SQLite apps reached through app.request.
const URLS = ['http://signer-1.test', 'http://signer-2.test', 'http://signer-3.test'];
class Crash extends Error {}


let world: World;
let peers: Map<string, Hono | 'down'>;
let signers: ReturnType<typeof makeSigner>[];
let dbPath: string;
let clock: bigint;

const network: FetchLike = async (url, init) => {
  const peer = peers.get(new URL(url).origin);
  if (!peer || peer === 'down') throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
  return peer.request(url, init);
};

/** One oracle process over the shared store: `fault` makes it "die" (throw Crash) at that step of a round. */
function boot(fault?: FaultSpec) {
  const metrics: OracleMetrics = createMetrics();
  const logger = pino({ level: 'silent' });
  const hit = faultHook(fault, () => {
    // Inside a signer call's callback a throw goes nowhere: a dead aggregator asks no other signer instead.
    if (fault?.step === 'after_one_signer') for (const url of URLS) peers.set(url, 'down');
    else throw new Crash(`killed at ${fault?.step}`);
  });
  const { db } = openDb(dbPath, oracleSchema, join(import.meta.dirname, '..', 'store', 'migrations'));
  const store = new AttestationStore(db, (row) => hit('before_answer', row.kind));
  const remote = new RemoteCommittee({ urls: URLS, timeoutMs: 2_000, metrics, logger, fetch: network, onSignerAnswered: (kind) => hit('after_one_signer', kind) });
  const committee = faultyCommittee(remote, hit);
  const registry = { ...fakeRegistry(world), ping: async () => true };
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
      supplyCap: 10n ** 30n,
      paused: false,
      investorAllowed: true,
      investorBalance: investor ? await chains.balanceOf(chainId, d, investor) : 0n,
    }),
  };
  const lock = new KeyedMutex();
  const common = { registry, registryAddress: REGISTRY, hubChainId: BigInt(HUB), destinations, committee, store, metrics, logger, lock, now: () => clock };
  const service = new OracleService({ ...common, maxFutureSkewSeconds: 300 });
  const moves = new MoveService({ ...common, moves: new MoveStore(db) });
  const app = createApp({
    service,
    moves,
    store,
    destinations,
    registry,
    metrics,
    logger,
    dids: { members: { custodiansOf: async () => [], navPublishersOf: async () => [] }, hubChainId: BigInt(HUB), registryAddress: REGISTRY, publicUrl: undefined },
  });
  const post = (path: string, body: unknown) => app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const sweep = () => sweepProposals({ committee, store, metrics, logger, chain: (id) => destinations.get(id), lock }, { now: Date.now(), ignoreBackoff: true });
  return { post, store, moves, sweep };
}

/** The signers of a packed signature list (65 bytes each) over a stored message for one chain's receiver. */
async function signersOf(message: Hex, chainId: number, packed: Hex): Promise<Address[]> {
  const typed = attestationTypedMessage(decodeMessage(message));
  const receiver = CHAINS.find((c) => c.chainId === chainId)!.receiver;
  const out: Address[] = [];
  for (let i = 0; i < (packed.length - 2) / 130; i++) {
    const signature = sliceHex(packed, i * 65, (i + 1) * 65);
    out.push(await recoverTypedDataAddress({ domain: attestationDomain(BigInt(chainId), receiver), types: attestationTypes, primaryType: typed.primaryType, message: typed.message, signature } as Parameters<typeof recoverTypedDataAddress>[0]));
  }
  return out;
}

type Answer = { id: string; nonce: string; message: Hex; deliveries: { chainId: number; signatures: Hex }[] };

/** No signer's store holds two messages for one nonce, and every stored attestation is what the signers signed. */
function assertNoEquivocation(store: AttestationStore) {
  for (const s of signers) {
    for (let nonce = 1; nonce <= 20; nonce += 1) {
      const signed = s.store.byNonce(DID_HASH, String(nonce));
      const stored = store.getById(signed?.row.messageHash ?? '0x');
      if (signed && stored) expect(stored.row.nonce).toBe(nonce);
    }
  }
}

beforeEach(() => {
  world = newWorld();
  world.holdings.set(31338, OPEN_HOLDINGS);
  world.balances.set(`31338:${INVESTOR}`, 10n ** 12n);
  clock = BigInt(NOW);
  signers = DEV_COMMITTEE_KEYS.slice(0, 3).map((k) => makeSigner(k, world));
  peers = new Map(signers.map((s, i) => [URLS[i]!, s.app]));
  dbPath = tempDb('oracle-proposals-test');
});

describe('durable signing rounds', () => {
  it('serves a DID whose next nonce the signers already signed for a message the oracle never stored', async () => {
    // An aggregator proposed nonce 1 for REF-1, two signers signed it, and the aggregator lost it (died before
    // storing, or a store restored from a backup).
    const lost = await settlementBody({ settlementRef: 'REF-LOST' });
    for (const s of signers.slice(0, 2)) {
      const res = await s.app.request('/v1/sign', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'settlement', request: lost, nonce: '1', chainIds: [31338] }) });
      expect(res.status).toBe(200);
    }
    const oracle = boot();
    const settled = await oracle.post('/v1/settlements', await settlementBody({ settlementRef: 'REF-2' }));
    expect(settled.status).toBe(201);
    expect(((await settled.json()) as Answer).nonce).toBe('2');
    const nav = await oracle.post('/v1/nav', await navBody());
    expect(nav.status).toBe(201);
    expect(((await nav.json()) as Answer).nonce).toBe('3');
    expect(oracle.store.proposals.get(DID_HASH, 1)?.state).toBe('closed');
  });

  for (const step of ['before_ask', 'after_one_signer', 'after_threshold', 'before_answer'] as const) {
    it(`completes a settlement round killed at ${step}: the retry gets that attestation, other requests new nonces`, async () => {
      const body = await settlementBody({ settlementRef: 'REF-1' });
      const dying = boot({ step, kind: 'settlement' });
      // In process the three calls leave at once: only signer 1 is reachable, so exactly one answers before the "kill".
      if (step === 'after_one_signer') URLS.slice(1).forEach((u) => peers.set(u, 'down'));
      expect((await dying.post('/v1/settlements', body)).status).toBeGreaterThanOrEqual(500);

      signers.forEach((s, i) => peers.set(URLS[i]!, s.app));
      const oracle = boot();
      const other = await oracle.post('/v1/settlements', await settlementBody({ settlementRef: 'REF-2' }));
      expect(other.status).toBe(201);
      expect(((await other.json()) as Answer).nonce).toBe('2');
      const retry = await oracle.post('/v1/settlements', body);
      expect(retry.status).toBe(step === 'before_answer' ? 200 : 201);
      const first = (await retry.json()) as Answer;
      expect(first.nonce).toBe('1');
      const again = await oracle.post('/v1/settlements', body);
      expect(again.status).toBe(200);
      expect(((await again.json()) as Answer).id).toBe(first.id);
      expect(oracle.store.count()).toBe(2);
      expect(oracle.store.proposals.countOpen()).toBe(0);
      // Signers that signed before the crash answered the same message again: one message per nonce everywhere.
      for (const s of signers) {
        const signed = s.store.byNonce(DID_HASH, '1');
        if (signed) expect(signed.row.messageHash).toBe(first.id);
      }
      assertNoEquivocation(oracle.store);
    });
  }

  it('keeps a round open while signers are down, serves the next request, and completes the round at the sweep', async () => {
    const oracle = boot();
    peers.set(URLS[1]!, 'down');
    peers.set(URLS[2]!, 'down');
    const body = await settlementBody({ settlementRef: 'REF-1' });
    expect((await oracle.post('/v1/settlements', body)).status).toBe(503);
    expect(oracle.store.proposals.countOpen()).toBe(1);

    peers.set(URLS[1]!, signers[1]!.app);
    peers.set(URLS[2]!, signers[2]!.app);
    const other = await oracle.post('/v1/nav', await navBody());
    expect(other.status).toBe(201);
    expect(((await other.json()) as Answer).nonce).toBe('2');

    expect((await oracle.sweep()).completed).toBe(1);
    const retry = await oracle.post('/v1/settlements', body);
    expect(retry.status).toBe(200);
    expect(((await retry.json()) as Answer).nonce).toBe('1');
  });

  it('completes a move-out with the settledAt first proposed, not the clock at the retry', async () => {
    world.balances.set(`31337:${INVESTOR}`, 10n ** 12n);
    const move = await signMove(DEV_CUSTODIAN_KEY, { hubChainId: HUB, registry: REGISTRY }, { did: DID, ref: 'MOVE-1', investor: INVESTOR, amount: '1000', fromChainId: 31337, toChainId: 31338 });
    const dying = boot({ step: 'after_threshold', kind: 'move' });
    expect((await dying.post('/v1/moves', move)).status).toBe(500);
    const proposed = dying.store.proposals.get(DID_HASH, 1)!;

    clock += 600n;
    const oracle = boot();
    const res = await oracle.post('/v1/moves', move);
    expect(res.status).toBe(201);
    const stored = oracle.store.findBySource(DID, 'settlement', 'move:MOVE-1:out')!;
    expect(stored.message).toBe(proposed.message);
    expect(stored.nonce).toBe(1);
  });

  it('completes a round left open across a signer rotation with the set the chains hold now, not the set it was proposed to', async () => {
    const [k0, k1, k2] = COMMITTEE as [Address, Address, Address];
    world.record = record({ signers: [k0, k1], threshold: 2 });
    const oracle = boot();
    peers.set(URLS[1]!, 'down');
    const body = await settlementBody({ settlementRef: 'REF-ROT' });
    expect((await oracle.post('/v1/settlements', body)).status).toBe(503);
    expect(JSON.parse(oracle.store.proposals.get(DID_HASH, 1)!.signerSet)).toMatchObject({ signers: [k0, k1] });

    // The registry rotates to {k1, k2} and the rotation's config attestation is stored (nonce 2): it reaches every
    // chain before the round's attestation (per-DID order), so the chains verify that set by then.
    world.record = record({ signers: [k1, k2], threshold: 2 });
    const config = encodeMessage(configAttestation(configSnapshotOf(world.record), DID_HASH, 2n));
    const snapshot = JSON.stringify(configSnapshotOf(world.record));
    oracle.store.insert(
      { did: DID, didHash: DID_HASH, nonce: 2, kind: 'config', sourceRef: 'rotation', requestHash: keccak256(stringToBytes(snapshot)), request: snapshot, submitter: REGISTRY, id: attestationId(config), message: config, createdAt: new Date().toISOString() },
      [],
    );
    peers.set(URLS[1]!, signers[1]!.app);

    expect((await oracle.sweep()).completed).toBe(1);
    const stored = oracle.store.findBySource(DID, 'settlement', 'REF-ROT')!;
    expect(stored.nonce).toBe(1);
    const [delivery] = oracle.store.getById(stored.id)!.deliveries;
    const by = await signersOf(stored.message as Hex, 31338, delivery!.signatures as Hex);
    expect([...by].sort()).toEqual([k1, k2].sort());
  });

  it('counts an open redemption round against the holdings until it completes, and a closed one no more', async () => {
    world.balances.set(`31338:${INVESTOR}`, 1_000_000n);
    const oracle = boot();
    peers.set(URLS[1]!, 'down');
    peers.set(URLS[2]!, 'down');
    const first = await settlementBody({ kind: 'redemption', settlementRef: 'RED-OPEN' });
    expect((await oracle.post('/v1/settlements', first)).status).toBe(503);
    peers.set(URLS[1]!, signers[1]!.app);
    peers.set(URLS[2]!, signers[2]!.app);

    // The open round may still complete (the sweep, a retry): a second full-balance redemption is refused now.
    const second = await settlementBody({ kind: 'redemption', settlementRef: 'RED-OTHER' });
    const refused = await oracle.post('/v1/settlements', second);
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ error: { code: 'insufficient_holdings', field: 'amount' } });
    // The retry of the open round itself is not counted against itself: it completes.
    expect((await oracle.post('/v1/settlements', first)).status).toBe(201);
    expect((await oracle.post('/v1/settlements', second)).status).toBe(422);

    // A round closed for good never becomes an attestation: it reserves nothing.
    peers.set(URLS[1]!, 'down');
    peers.set(URLS[2]!, 'down');
    world.balances.set(`31338:${INVESTOR}`, 2_000_000n);
    const third = await settlementBody({ kind: 'redemption', settlementRef: 'RED-CLOSED' });
    expect((await oracle.post('/v1/settlements', third)).status).toBe(503);
    const open = oracle.store.proposals.openBySource(DID, 'settlement', 'RED-CLOSED')!;
    oracle.store.proposals.close(DID_HASH, open.nonce, 'signers refused: test', new Date().toISOString());
    peers.set(URLS[1]!, signers[1]!.app);
    peers.set(URLS[2]!, signers[2]!.app);
    expect((await oracle.post('/v1/settlements', second)).status).toBe(201);
  });
});
