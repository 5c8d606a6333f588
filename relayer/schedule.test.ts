import { describe, expect, it } from 'vitest';
import { chunk, freeMint, groupsOf, itemsThatFit, pickReady, type ScheduleView } from './schedule.js';
import { encodeMessage } from '../schemas/message.js';
import type { DidHash } from '../schemas/ids.js';
import type { Transport } from './transports/transport.js';
import { GOVERNANCE_DID_HASH, type Job } from './store/outbox.js';
import { pendingJob } from './transports/testkit.js';

const A = `0x${'aa'.repeat(32)}`;
const B = `0x${'bb'.repeat(32)}`;

let nextId = 1;
function job(seq: number, kind: Job['kind'], didHash = A, over: Partial<Job> = {}): Job {
  const id = nextId++;
  return pendingJob({
    id, attestationId: `0x${seq.toString(16).padStart(64, '0')}`, seq, did: `did:rwa:${didHash.slice(2, 4)}`, didHash, nonce: String(seq), kind,
    chainId: 7, transport: 'cctp', receiver: `0x${'11'.repeat(20)}`, message: '0x01', signatures: '0x', ...over,
  });
}
/** A job whose transaction is in the node's hands (sent with an account nonce). */
const sent = (j: Job): Job => ({ ...j, state: 'submitted', txHash: `0x${'dd'.repeat(32)}`, txNonce: 40 + j.seq });

const view = (over: Partial<ScheduleView> = {}): ScheduleView => ({
  now: 1_000,
  busy: new Set(),
  disabled: new Set(),
  accountOrdered: (t) => t === 'cctp',
  limit: 100,
  ...over,
});
const seqs = (jobs: Job[]) => jobs.map((j) => j.seq);

describe('pickReady: what may start with many transactions in flight', () => {
  it("lets a DID's settlements follow its settlements in flight from the relayer's account (they may share a block)", () => {
    const s1 = sent(job(1, 'settlement'));
    const jobs = [s1, job(2, 'settlement'), job(3, 'settlement')];
    expect(seqs(pickReady(jobs, view({ busy: new Set([s1.id]) })))).toEqual([2, 3]);
  });

  it('keeps a settlement behind an earlier job of its DID that is not sent yet (its account nonce would come later)', () => {
    const s1 = job(1, 'settlement');
    expect(seqs(pickReady([s1, job(2, 'settlement')], view({ busy: new Set([s1.id]) })))).toEqual([]);
    // Picked in one pass, they are sent in pick order: the later may go with the earlier.
    expect(seqs(pickReady([s1, job(2, 'settlement')], view()))).toEqual([1, 2]);
  });

  it('lets a settlement follow its in-flight reserve or config (the nonce order applies them first)', () => {
    const cfg = sent(job(1, 'config'));
    const res = sent(job(2, 'reserve'));
    expect(seqs(pickReady([cfg, res, job(3, 'settlement')], view({ busy: new Set([cfg.id, res.id]) })))).toEqual([3]);
  });

  it('keeps NAV rounds and state-setting kinds until every earlier job of the DID is finished', () => {
    const s1 = sent(job(1, 'settlement'));
    const n1 = sent(job(2, 'nav'));
    expect(seqs(pickReady([s1, job(2, 'nav')], view({ busy: new Set([s1.id]) })))).toEqual([]);
    expect(seqs(pickReady([n1, job(3, 'nav')], view({ busy: new Set([n1.id]) })))).toEqual([]);
    expect(seqs(pickReady([s1, job(2, 'pause', A), job(3, 'config')], view({ busy: new Set([s1.id]) })))).toEqual([2]);
  });

  it('keeps a settlement behind a NAV round whose transaction reverted or is not sent (not passable)', () => {
    const n1 = job(1, 'nav', A, { attempts: 1, nextAttemptAt: 5_000 });
    expect(seqs(pickReady([n1, job(2, 'settlement')], view()))).toEqual([]);
  });

  it('goes on with other DIDs while one waits, and lets a fix (allow-list, pause, reserve, void) pass its waiting settlements', () => {
    const waiting = job(1, 'settlement', A, { attempts: 2, nextAttemptAt: 9_000 });
    const jobs = [waiting, job(2, 'settlement', A), job(3, 'nav', B), job(4, 'reserve', A), job(5, 'settlement', B)];
    expect(seqs(pickReady(jobs, view()))).toEqual([3, 4, 5]);
  });

  it('does not pass in-flight jobs of a transport that is not account-ordered (CCIP, Wormhole)', () => {
    const s1 = sent(job(1, 'settlement', A, { transport: 'ccip' }));
    expect(seqs(pickReady([s1, job(2, 'settlement', A, { transport: 'ccip' })], view({ busy: new Set([s1.id]) })))).toEqual([]);
    const s2 = sent(job(1, 'settlement'));
    expect(seqs(pickReady([s2, job(2, 'settlement', A, { transport: 'ccip' })], view({ busy: new Set([s2.id]) })))).toEqual([]);
  });

  it('lets fresh settlements of a DID join its run in one batch over a batching transport that is not account-ordered (Wormhole, CCIP)', () => {
    const w = (seq: number, kind: Job['kind'], over: Partial<Job> = {}) => job(seq, kind, A, { transport: 'wormhole', ...over });
    const batching = view({ batchTogether: (t) => t !== 'cctp', maxBatch: 3 });
    // A NAV round heads the run, three settlements follow in the same message; the fourth waits for the next batch.
    const jobs = [w(1, 'nav'), w(2, 'settlement'), w(3, 'settlement'), w(4, 'settlement'), job(5, 'settlement', B, { transport: 'wormhole' })];
    expect(seqs(pickReady(jobs, batching))).toEqual([1, 2, 3, 5]);
    // Without batched delivery each waits for the one before.
    expect(seqs(pickReady(jobs, view()))).toEqual([1, 5]);
    // The run's jobs in flight (one message, not an account nonce): the next settlements wait for it to finish.
    const inFlight = sent(w(1, 'settlement'));
    expect(seqs(pickReady([inFlight, w(2, 'settlement')], { ...batching, busy: new Set([inFlight.id]) }))).toEqual([]);
    // A NAV round never joins a run, nor does a settlement behind a job it cannot travel with.
    expect(seqs(pickReady([w(1, 'settlement'), w(2, 'nav')], batching))).toEqual([1]);
    expect(seqs(pickReady([w(1, 'settlement', { nextAttemptAt: 5_000 }), w(2, 'settlement')], batching))).toEqual([]);
    expect(seqs(pickReady([job(1, 'settlement', A, { transport: 'ccip' }), w(2, 'settlement')], batching))).toEqual([1]);
  });

  it("groups a DID's run in its own batch over a transport that is not account-ordered; account-ordered batches mix DIDs", () => {
    const t = (accountOrdered: boolean) => ({ name: 'wormhole', accountOrdered, submitBatch: async () => ({ txHash: '0x' }), simulateBatch: async () => undefined }) as unknown as Transport;
    const jobs = [job(1, 'settlement', A), job(2, 'settlement', B), job(3, 'settlement', A)];
    expect(groupsOf(jobs, 64, () => t(false)).map(seqs)).toEqual([[1, 3], [2]]);
    expect(groupsOf(jobs, 64, () => t(true)).map(seqs)).toEqual([[1, 2, 3]]);
  });

  describe('Merkle-root batches (a transport with rootBatches)', () => {
    const R1 = `0x${'01'.repeat(32)}`;
    const R2 = `0x${'02'.repeat(32)}`;
    const t = (rootBatches: boolean) => ({ name: 'cctp', accountOrdered: true, rootBatches, submitBatch: async () => ({ txHash: '0x' }), simulateBatch: async () => undefined }) as unknown as Transport;
    const rooted = (seq: number, didHash: string, root: string, over: Partial<Job> = {}) => job(seq, 'settlement', didHash, { batchRoot: root, batchProof: '0x', batchSignatures: '0xaa', ...over });

    it('puts the jobs of one root in their own batch, apart from another root and from jobs without a root', () => {
      const jobs = [rooted(1, A, R1), rooted(2, B, R2), rooted(3, A, R1), job(4, 'settlement', `0x${'cc'.repeat(32)}`), rooted(5, B, R2), rooted(6, A, R1, { kind: 'nav' })];
      expect(groupsOf(jobs, 64, () => t(true)).map(seqs)).toEqual([[1, 3, 6], [2, 5], [4]]);
      // Without root batches (today's receiveMessages): one batch.
      expect(groupsOf(jobs, 64, () => t(false)).map(seqs)).toEqual([[1, 2, 3, 4, 5, 6]]);
    });

    it("keeps a DID's order across groups: a job without root between two of its rooted ones opens a group after them", () => {
      const jobs = [job(1, 'settlement', A), rooted(2, A, R1), job(3, 'settlement', A), job(4, 'settlement', B), rooted(5, A, R2), rooted(6, A, R1)];
      // 6 is of R1 but comes after 5 (R2) of its DID: R1's open group is before R2's, so 6 opens another.
      expect(groupsOf(jobs, 64, () => t(true)).map(seqs)).toEqual([[1], [2], [3, 4], [5], [6]]);
    });

    it('leaves a gated DID (transport quorum) and kinds a root batch cannot take out of the root batch', () => {
      const gated = rooted(1, A, R1, { quorumTransports: 7 });
      const config = rooted(2, B, R2, { kind: 'config' });
      const jobs = [gated, config, rooted(3, B, R2), rooted(4, B, R2)];
      expect(groupsOf(jobs, 64, () => t(true)).map(seqs)).toEqual([[1], [2], [3, 4]]);
    });

    it('cuts a root of more than maxBatch jobs into batches in order, and follows a batch sent before whole', () => {
      const jobs = [1, 2, 3, 4, 5].map((n) => rooted(n, A, R1));
      expect(groupsOf(jobs, 2, () => t(true)).map(seqs)).toEqual([[1, 2], [3, 4], [5]]);
      const followed = [sent(rooted(1, A, R1)), sent(rooted(2, A, R1))].map((j) => ({ ...j, txHash: `0x${'ee'.repeat(32)}` }));
      expect(groupsOf([...followed, rooted(3, A, R1)], 64, () => t(true)).map(seqs)).toEqual([[1, 2], [3]]);
    });
  });

  it('holds every DID behind an unfinished governance job, and leaves out busy, disabled and not-due jobs', () => {
    const gov = job(2, 'config', GOVERNANCE_DID_HASH);
    expect(seqs(pickReady([job(1, 'nav', B), gov, job(3, 'nav', A)], view()))).toEqual([1, 2]);
    const busy = job(4, 'nav', A);
    const jobs = [busy, job(5, 'nav', B, { transport: 'wormhole' }), job(6, 'nav', `0x${'cc'.repeat(32)}`, { nextAttemptAt: 2_000 })];
    expect(seqs(pickReady(jobs, view({ busy: new Set([busy.id]), disabled: new Set(['wormhole']) })))).toEqual([]);
  });

  it("takes one job of an attestation under a transport quorum at a time; the DID's next attestation waits", () => {
    const q = (seq: number, transport: Job['transport']) => job(seq, 'settlement', A, { transport, quorumTransports: 7 });
    const jobs = [q(1, 'cctp'), q(1, 'ccip'), q(1, 'wormhole'), q(2, 'cctp')];
    expect(pickReady(jobs, view()).map((j) => `${j.seq}:${j.transport}`)).toEqual(['1:cctp']);
    expect(pickReady(jobs, view({ busy: new Set([jobs[0]!.id]) }))).toEqual([]);
  });

  it('stops at the limit', () => {
    const jobs = [1, 2, 3, 4].map((s) => job(s, 'nav', `0x${String(s).repeat(64)}`));
    expect(seqs(pickReady(jobs, view({ limit: 2 })))).toEqual([1, 2]);
  });
});

describe('batch sizing', () => {
  it.each([
    [1, 3, [[1], [2], [3]]],
    [2, 5, [[1, 2], [3, 4], [5]]],
    [64, 3, [[1, 2, 3]]],
  ])('chunk by %i items: %i jobs', (max, n, expected) => {
    expect(chunk(Array.from({ length: n }, (_, i) => i + 1), max)).toEqual(expected);
  });

  it.each([
    // items, estimate, usable gas -> items that fit
    [10, 500_000n, 1_000_000n, 10],
    [10, 2_000_000n, 1_000_000n, 5],
    [10, 1_000_001n, 1_000_000n, 9],
    [10, 50_000_000n, 1_000_000n, 1],
    [1, 5_000_000n, 1_000_000n, 1],
  ])('%i items estimated at %i gas, %i usable: %i fit', (items, estimate, usable, fits) => {
    expect(itemsThatFit(items, estimate, usable)).toBe(fits);
  });
});

describe('pickReady: mints commute, on every transport', () => {
  const settlementMessage = (seq: number, settlementKind: 'subscription' | 'redemption') =>
    encodeMessage({
      kind: 'settlement', did: A as DidHash, nonce: BigInt(seq), settlementKind, settlementRef: `0x${'01'.repeat(32)}`, investor: `0x${'22'.repeat(20)}`,
      amount: 1_000n, cashLegRef: `0x${'03'.repeat(32)}`, settledAt: 1n, peerChainId: 0n,
    });
  /** A settlement over Wormhole (not from the relayer's account: one message keeps no order with the next). */
  const wh = (seq: number, sk: 'subscription' | 'redemption', over: Partial<Job> = {}) => job(seq, 'settlement', A, { transport: 'wormhole', message: settlementMessage(seq, sk), ...over });
  const inFlight = (j: Job): Job => ({ ...j, state: 'submitted', txHash: `0x${'ee'.repeat(32)}`, txNonce: null });
  const whView = (busy: Job[]) => view({ busy: new Set(busy.map((j) => j.id)), batchTogether: (t) => t === 'wormhole', maxBatch: 64 });

  it('tells a subscription from a redemption by its message, and only a lone one not waiting on a refusal is free', () => {
    expect(freeMint(wh(1, 'subscription'))).toBe(true);
    expect(freeMint(wh(1, 'redemption'))).toBe(false);
    expect(freeMint(wh(1, 'subscription', { quorumTransports: 3 }))).toBe(false);
    expect(freeMint(wh(1, 'subscription', { attempts: 1, nextAttemptAt: 5_000 }))).toBe(false);
    expect(freeMint(job(1, 'nav', A, { message: settlementMessage(1, 'subscription') }))).toBe(false);
  });

  it("sends a DID's subscriptions while its earlier subscriptions are in flight over Wormhole", () => {
    const s1 = inFlight(wh(1, 'subscription'));
    const s2 = inFlight(wh(2, 'subscription'));
    expect(seqs(pickReady([s1, s2, wh(3, 'subscription'), wh(4, 'subscription')], whView([s1, s2])))).toEqual([3, 4]);
  });

  it('keeps a subscription behind an earlier redemption, NAV round, config or refused subscription of its DID', () => {
    const r1 = inFlight(wh(1, 'redemption'));
    expect(seqs(pickReady([r1, wh(2, 'subscription')], whView([r1])))).toEqual([]);
    const n1 = inFlight(job(1, 'nav', A, { transport: 'wormhole' }));
    expect(seqs(pickReady([n1, wh(2, 'subscription')], whView([n1])))).toEqual([]);
    const c1 = inFlight(job(1, 'config', A, { transport: 'wormhole' }));
    expect(seqs(pickReady([c1, wh(2, 'subscription')], whView([c1])))).toEqual([]);
    const refused = wh(1, 'subscription', { attempts: 2, nextAttemptAt: 5_000 });
    expect(seqs(pickReady([refused, wh(2, 'subscription')], whView([])))).toEqual([]);
  });

  it('keeps a redemption behind the subscriptions in flight before it, and a quorum subscription behind anything', () => {
    const s1 = inFlight(wh(1, 'subscription'));
    expect(seqs(pickReady([s1, wh(2, 'redemption')], whView([s1])))).toEqual([]);
    expect(seqs(pickReady([s1, wh(2, 'subscription', { quorumTransports: 3 })], whView([s1])))).toEqual([]);
  });

  it("another DID's redemption does not hold a DID's subscriptions", () => {
    const other = inFlight(job(1, 'settlement', B, { transport: 'wormhole', message: settlementMessage(1, 'redemption') }));
    const s2 = inFlight(wh(2, 'subscription'));
    expect(seqs(pickReady([other, s2, wh(3, 'subscription')], whView([other, s2])))).toEqual([3]);
  });
});
