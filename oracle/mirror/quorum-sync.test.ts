import { beforeEach, describe, expect, it } from 'vitest';
import type { Hex } from 'viem';
import { decodeMessage } from '../../schemas/message.js';
import type { QuorumSnapshot } from '../../schemas/committee.js';
import { attestationFeedSchema, type AttestationFeed } from '../../schemas/http.js';
import { parserFor } from '../../schemas/validate.js';
import { HASH, HUB, SPOKE_A, SPOKE_B, makeRedemptions } from '../../testkit/oracle-redemption.js';
import type { AttestationRow } from '../store/attestations.js';

// Unit test: hub registry and chains are in-memory fakes; store, committee keys, QuorumSync and HTTP app are real.
let k: ReturnType<typeof makeRedemptions>;

beforeEach(() => {
  k = makeRedemptions();
});

const chainsOf = (row: AttestationRow) => k.store.deliveriesOf(row.seq).map((d) => d.chainId);
const snapshotOf = (row: AttestationRow) => JSON.parse(row.request) as QuorumSnapshot;

describe('QuorumSync', () => {
  it('sends nothing while every chain of the DID is ungated (0/0)', async () => {
    expect(await k.quorumSync.sync()).toEqual([]);
    expect(k.store.ofKind(k.record.did, 'transportQuorum')).toEqual([]);
  });

  it('sends one kind-12 attestation per change, to the chain of the rule only, and none again on the next pass', async () => {
    k.quorums.set(SPOKE_A, { k: 2, transports: 7 });
    const [first, ...more] = await k.quorumSync.sync();
    expect(more).toEqual([]);
    expect(first!.kind).toBe('transportQuorum');
    expect(decodeMessage(first!.message as Hex)).toEqual({ kind: 'transportQuorum', did: HASH, nonce: BigInt(first!.nonce), chainId: BigInt(SPOKE_A), k: 2, transports: 7 });
    expect(chainsOf(first!)).toEqual([SPOKE_A]);
    expect(snapshotOf(first!)).toEqual({ did: k.record.did, chainId: SPOKE_A, revision: 1, k: 2, transports: 7 });
    expect(await k.quorumSync.sync()).toEqual([]);

    // Two chains change in one pass: one attestation each, each to its own chain, each with its own revision.
    k.quorums.set(SPOKE_A, { k: 1, transports: 6 });
    k.quorums.set(SPOKE_B, { k: 1, transports: 2 });
    const next = await k.quorumSync.sync();
    expect(next.map((r) => [chainsOf(r), decodeMessage(r.message as Hex)])).toMatchObject([
      [[SPOKE_A], { chainId: BigInt(SPOKE_A), k: 1, transports: 6 }],
      [[SPOKE_B], { chainId: BigInt(SPOKE_B), k: 1, transports: 2 }],
    ]);
    expect(next.map((r) => snapshotOf(r).revision)).toEqual([2, 1]);
    expect(await k.quorumSync.sync()).toEqual([]);
    expect(k.store.ofKind(k.record.did, 'transportQuorum')).toHaveLength(3);
  });

  it('sends the way back to 0/0, and a rule set again after a change, as new revisions', async () => {
    k.quorums.set(HUB, { k: 2, transports: 3 });
    await k.quorumSync.sync();
    k.quorums.delete(HUB);
    const [ungate] = await k.quorumSync.sync();
    expect(decodeMessage(ungate!.message as Hex)).toMatchObject({ chainId: BigInt(HUB), k: 0, transports: 0 });
    expect(snapshotOf(ungate!).revision).toBe(2);
    k.quorums.set(HUB, { k: 2, transports: 3 });
    const [again] = await k.quorumSync.sync();
    expect(snapshotOf(again!)).toMatchObject({ revision: 3, k: 2, transports: 3 });
    expect(chainsOf(again!)).toEqual([HUB]);
    expect(await k.quorumSync.sync()).toEqual([]);
  });

  it('counts a chain whose rule cannot be read or signed, goes on with the others, and retries it next pass', async () => {
    k.quorums.set(SPOKE_A, { k: 2, transports: 7 });
    k.quorums.set(SPOKE_B, { k: 1, transports: 4 });
    k.quorumDown.add(SPOKE_A);
    const created = await k.quorumSync.sync();
    expect(created.map(chainsOf)).toEqual([[SPOKE_B]]);
    expect(await k.metrics.watcherFailures.get()).toMatchObject({ values: [expect.objectContaining({ labels: { watcher: 'transport-quorum', chain: String(SPOKE_A) }, value: 1 })] });
    k.quorumDown.clear();
    expect((await k.quorumSync.sync()).map(chainsOf)).toEqual([[SPOKE_A]]);
  });

  it('signs nothing when the committee holds no quorum of the signer set, and retries with the same nonce', async () => {
    k.quorums.set(SPOKE_A, { k: 2, transports: 7 });
    const signers = k.record.signers;
    k.record.signers = [];
    expect(await k.quorumSync.sync()).toEqual([]);
    k.record.signers = signers;
    const [row] = await k.quorumSync.sync();
    expect(snapshotOf(row!).revision).toBe(1);
  });

  it('publishes kind 12 on the feed the relayer reads, under the kind name transportQuorum', async () => {
    k.quorums.set(SPOKE_B, { k: 3, transports: 7 });
    const [row] = await k.quorumSync.sync();
    const res = await k.app.request('/v1/attestations?after=0');
    const page = parserFor<AttestationFeed>(attestationFeedSchema)(await res.json());
    expect(page.ok).toBe(true);
    if (!page.ok) return;
    expect(page.value.items).toMatchObject([{ id: row!.id, kind: 'transportQuorum', message: row!.message, deliveries: [{ chainId: SPOKE_B }] }]);
  });
});
