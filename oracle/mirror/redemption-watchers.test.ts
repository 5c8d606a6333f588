import { beforeEach, describe, expect, it } from 'vitest';
import type { Hex } from 'viem';
import { decodeMessage } from '../../schemas/message.js';
import type { PolicySnapshot, RedemptionReport } from '../../schemas/committee.js';
import { HASH, HUB, INVESTOR, NOW, SPOKE_A, SPOKE_B, makeRedemptions } from '../../testkit/oracle-redemption.js';

// Unit test: registry, chains and redemptions modules are in-memory fakes; store, committee keys and services are real.
let k: ReturnType<typeof makeRedemptions>;

const requested = (requestId: bigint, amount: bigint, blockNumber: bigint, requestedAt = BigInt(NOW - 60)) => ({ did: HASH, requestId, owner: INVESTOR, amount, requestedAt, blockNumber, logIndex: 0 });
/** The request as its chain's module holds it once the custodian's acceptance (kind 13) applied. */
const accept = (chainId: number, requestId: bigint, amount: bigint, over: { accepted?: boolean; cancelled?: boolean } = {}) =>
  k.world.requests.set(`${chainId}:${requestId}`, { owner: INVESTOR, amount, fulfilled: 0n, requestedAt: BigInt(NOW - 60), cancelled: false, accepted: true, ...over });

beforeEach(() => {
  k = makeRedemptions();
  k.world.heads.set(HUB, 100n).set(SPOKE_A, 50n).set(SPOKE_B, 70n);
  k.world.supplies.set(HUB, 5_000n).set(SPOKE_A, 3_000n).set(SPOKE_B, 2_000n);
});

describe('RequestWatcher', () => {
  it('reports each final request to the hub only, with the pool supply summed at one pinned block per chain', async () => {
    k.world.requested.set(SPOKE_A, [requested(1n, 150n, 40n)]);
    k.world.requested.set(SPOKE_B, [requested(1n, 50n, 71n)]); // past spoke B's safe head: not yet
    accept(SPOKE_A, 1n, 150n);
    accept(SPOKE_B, 1n, 50n);
    const created = await k.requestWatcher.tick();
    expect(created).toHaveLength(1);
    const row = created[0]!;
    expect(k.store.deliveriesOf(row.seq).map((d) => d.chainId)).toEqual([HUB]);
    expect(decodeMessage(row.message as Hex)).toMatchObject({ kind: 'redemptionRequest', chainId: BigInt(SPOKE_A), requestId: 1n, owner: INVESTOR, amount: 150n, poolSupply: 10_000n });
    expect((JSON.parse(row.request) as RedemptionReport).pins).toEqual([
      { chainId: HUB, blockNumber: '100' },
      { chainId: SPOKE_A, blockNumber: '50' },
      { chainId: SPOKE_B, blockNumber: '70' },
    ]);
    expect(k.redemptions.cursor(SPOKE_A, 'redemption-requests')).toBe(51n);

    k.world.heads.set(SPOKE_B, 71n);
    const next = await k.requestWatcher.tick();
    expect(next.map((r) => decodeMessage(r.message as Hex))).toMatchObject([{ chainId: BigInt(SPOKE_B), requestId: 1n }]);
    expect(await k.requestWatcher.tick()).toEqual([]);
  });

  it('keeps a request and its pins when the report fails, and retries with the same message', async () => {
    k.world.requested.set(SPOKE_A, [requested(1n, 150n, 40n)]);
    accept(SPOKE_A, 1n, 150n);
    k.record.signers = []; // no quorum possible: the committee holds no key of this set
    expect(await k.requestWatcher.tick()).toEqual([]);
    const pinsBefore = k.redemptions.requests(HASH)[0]!.pins;
    expect(pinsBefore).not.toBeNull();
    k.world.heads.set(HUB, 120n); // newer heads must not change the pins of a request already pinned
    k.record.signers = makeRedemptions().record.signers;
    const [row] = await k.requestWatcher.tick();
    expect(JSON.stringify((JSON.parse(row!.request) as RedemptionReport).pins)).toBe(pinsBefore);
  });

  it('passes over requests it cannot report, so more than a page of them never starves a later one', async () => {
    const stranger = `0x${'ee'.repeat(32)}` as typeof HASH;
    const unknown = Array.from({ length: 150 }, (_, i) => ({ ...requested(BigInt(i + 1), 1n, 10n, BigInt(NOW - 1000 + i)), did: stranger, logIndex: i }));
    k.world.requested.set(SPOKE_A, [...unknown, requested(1n, 150n, 40n)]);
    accept(SPOKE_A, 1n, 150n);
    const created = await k.requestWatcher.tick();
    expect(created.map((r) => decodeMessage(r.message as Hex))).toMatchObject([{ kind: 'redemptionRequest', did: HASH, requestId: 1n }]);
    expect(k.redemptions.requestsAwaitingReport(1_000)).toHaveLength(150);
  });

  it('reports a request only once the custodian accepted it past confirmations, and never a cancelled one (issue 17)', async () => {
    k.world.requested.set(SPOKE_A, [requested(1n, 150n, 40n), requested(2n, 80n, 41n)]);
    k.world.cancelled.set(SPOKE_A, [{ did: HASH, requestId: 2n, blockNumber: 42n, logIndex: 1 }]);
    accept(SPOKE_A, 1n, 150n, { accepted: false });
    accept(SPOKE_A, 2n, 80n, { accepted: false, cancelled: true });
    expect(await k.requestWatcher.tick()).toEqual([]); // still cancellable: not pressure
    expect(k.redemptions.requestsAwaitingReport(1_000).map((r) => r.requestId)).toEqual(['1']); // the cancelled one is out for good
    accept(SPOKE_A, 1n, 150n);
    const created = await k.requestWatcher.tick();
    expect(created.map((r) => decodeMessage(r.message as Hex))).toMatchObject([{ kind: 'redemptionRequest', requestId: 1n, amount: 150n }]);
    expect(k.world.stateReads.filter((r) => r.read === 'requestOf').at(-1)).toMatchObject({ chainId: SPOKE_A, blockNumber: 50n }); // at the safe head
  });

  it('records cancellations and counts a chain it cannot read without stopping the others', async () => {
    k.world.requested.set(SPOKE_A, [requested(1n, 150n, 40n)]);
    k.world.cancelled.set(SPOKE_A, [{ did: HASH, requestId: 1n, blockNumber: 45n, logIndex: 1 }]);
    await k.requestWatcher.tick();
    expect(k.redemptions.requests(HASH)[0]!.cancelled).toBe(true);
    k.world.down = true;
    await k.requestWatcher.tick();
    expect(await k.metrics.watcherFailures.get()).toMatchObject({ values: expect.arrayContaining([expect.objectContaining({ labels: { watcher: 'redemption-requests', chain: String(SPOKE_A) } })]) });
  });
});

describe('StageWatcher', () => {
  it("sends each hub stage change to every chain but the hub, in stageSeq order, once", async () => {
    const change = (stageSeq: bigint, stage: 'B' | 'C', blockNumber: bigint) => ({ did: HASH, stageSeq, stage, since: BigInt(NOW), reason: 'threshold' as const, dayRequested: 150n, poolSupply: 10_000n, blockNumber, logIndex: 0 });
    k.world.stageLogs.set(HUB, [change(1n, 'B', 90n), change(2n, 'C', 95n), change(3n, 'B', 101n)]);
    const created = await k.stageWatcher.tick();
    expect(created.map((r) => decodeMessage(r.message as Hex))).toMatchObject([
      { kind: 'redemptionStage', stageSeq: 1n, stage: 'B' },
      { kind: 'redemptionStage', stageSeq: 2n, stage: 'C' },
    ]);
    for (const r of created) expect(k.store.deliveriesOf(r.seq).map((d) => d.chainId)).toEqual([SPOKE_A, SPOKE_B]);
    expect(await k.stageWatcher.tick()).toEqual([]);
    expect(k.redemptions.latestStage(HASH)?.stageSeq).toBe('2');
  });
});

describe('PolicySync', () => {
  it('sends nothing while the registry holds the defaults, then each change as the next revision to every chain', async () => {
    k.world.policy = { stageBBps: 100, stageCBps: 300, instalments: 7, windowSeconds: 7 * 86_400, emergency: false };
    expect(await k.policySync.sync()).toEqual([]);
    k.world.policy = { ...k.world.policy, emergency: true };
    const [first] = await k.policySync.sync();
    expect(decodeMessage(first!.message as Hex)).toMatchObject({ kind: 'redemptionPolicy', emergency: true, stageBBps: 100 });
    expect(k.store.deliveriesOf(first!.seq).map((d) => d.chainId)).toEqual([HUB, SPOKE_A, SPOKE_B]);
    expect(await k.policySync.sync()).toEqual([]);
    // Back to the defaults: a change like any other, with its own revision.
    k.world.policy = { ...k.world.policy, emergency: false };
    const [second] = await k.policySync.sync();
    expect((JSON.parse(second!.request) as PolicySnapshot).revision).toBe(2);
    expect(decodeMessage(second!.message as Hex)).toMatchObject({ emergency: false });
  });
});
