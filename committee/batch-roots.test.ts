import { beforeEach, describe, expect, it } from 'vitest';
import { recoverTypedDataAddress, type Address, type Hex } from 'viem';
import { DEV_COMMITTEE_KEYS } from '../schemas/dev-keys.js';
import type { SignBatchResponse } from '../schemas/committee.js';
import { batchTypedData } from '../schemas/eip712.js';
import { buildBatchTree, verifyBatchProof } from '../core/batch-tree.js';
import { CHAINS, DID_HASH, OPEN_HOLDINGS, makeSigner, navBody, newWorld, settlementBody, type World } from '../testkit/committee.js';

// Unit test: fake chains and registry; the signer's service, store and HTTP app are real.
let world: World;
let signer: ReturnType<typeof makeSigner>;

const post = (body: unknown) => signer.app.request('/v1/sign-batch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const batch = async (items: unknown[]): Promise<SignBatchResponse> => {
  const res = await post({ items });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as SignBatchResponse;
};
const item = async (ref: string, nonce: number, chainId = 31338) => ({ kind: 'settlement', request: await settlementBody({ settlementRef: ref, chainId }), nonce: String(nonce), chainIds: [chainId] });
/** The message this signer recorded at a nonce: what it built and signed itself. */
const signedMessage = (nonce: number) => signer.store.byNonce(DID_HASH, String(nonce))!.row.message as Hex;
const receiverOf = (chainId: number) => CHAINS.find((c) => c.chainId === chainId)!.receiver as Address;

beforeEach(() => {
  world = newWorld();
  world.holdings.set(31337, OPEN_HOLDINGS);
  world.holdings.set(31338, OPEN_HOLDINGS);
  signer = makeSigner(DEV_COMMITTEE_KEYS[0]!, world);
});

describe('committee signer: batch roots in POST /v1/sign-batch', () => {
  it('signs one root per destination chain over the messages it signed for it, recovering to the signer in that domain', async () => {
    const r = await batch([await item('R-1', 1), await item('R-2', 2, 31337), await item('R-3', 3), await item('R-4', 4, 31337), await item('R-5', 5, 31337)]);
    expect(r.results.every((x) => 'signatures' in x)).toBe(true);
    expect(r.roots?.map((x) => x.chainId)).toEqual([31338, 31337]);
    const expected = { 31338: [1, 3], 31337: [2, 4, 5] } as Record<number, number[]>;
    for (const x of r.roots!) {
      const nonces = expected[x.chainId]!;
      const root = buildBatchTree(nonces.map(signedMessage)).root;
      expect(x).toMatchObject({ did: DID_HASH, root, items: nonces.map((n) => n - 1), receiver: receiverOf(x.chainId) });
      const recovered = await recoverTypedDataAddress({ ...batchTypedData(BigInt(x.chainId), x.receiver as Address, DID_HASH, root), signature: x.signature as Hex });
      expect(recovered).toBe(signer.address);
      // Signed for its own chain only: the same signature recovers to someone else in the other chain's domain.
      const other = x.chainId === 31337 ? 31338 : 31337;
      expect(await recoverTypedDataAddress({ ...batchTypedData(BigInt(other), receiverOf(other), DID_HASH, root), signature: x.signature as Hex })).not.toBe(signer.address);
    }
    expect((await signer.metrics.batchRootsSigned.get()).values[0]!.value).toBe(2);
  });

  it('covers NAV beside settlements, and gives a chain with a single message no root', async () => {
    const nav = { kind: 'nav', request: await navBody(), nonce: '2', chainIds: [31337, 31338] };
    const r = await batch([await item('R-1', 1), nav]);
    expect(r.results.every((x) => 'signatures' in x)).toBe(true);
    expect(r.roots).toHaveLength(1);
    expect(r.roots![0]).toMatchObject({ chainId: 31338, items: [0, 1], root: buildBatchTree([signedMessage(1), signedMessage(2)]).root });
    const single = await batch([await item('R-3', 3)]);
    expect(single.roots).toBeUndefined();
  });

  it('never covers a message it did not validate in this request: refused items and repeats stay out', async () => {
    await batch([await item('R-1', 1)]);
    const r = await batch([
      await item('R-1', 1), // a repeat, answered from the store
      { kind: 'settlement', request: {}, nonce: '2', chainIds: [31338] }, // refused by the schema
      await item('OTHER', 1), // another message at a signed nonce: equivocation
      await item('R-2', 2),
      await item('R-3', 3),
    ]);
    expect(r.results.map((x) => 'signatures' in x)).toEqual([true, false, false, true, true]);
    expect(r.roots).toHaveLength(1);
    const root = r.roots![0]!;
    expect(root.items).toEqual([3, 4]);
    const tree = buildBatchTree([signedMessage(2), signedMessage(3)]);
    expect(root.root).toBe(tree.root);
    // Neither the repeat nor the refused message has a proof against this root.
    expect(verifyBatchProof(root.root as Hex, signedMessage(1), tree.proofs[0]!)).toBe(false);
    expect(verifyBatchProof(root.root as Hex, signedMessage(1), [])).toBe(false);
  });

  it('is never sent a root: a body naming one is refused whole and nothing is signed', async () => {
    const items = [await item('R-1', 1), await item('R-2', 2)];
    const res = await post({ items, roots: [{ chainId: 31338, root: `0x${'11'.repeat(32)}` }] });
    expect(res.status).toBe(400);
    expect(signer.store.byNonce(DID_HASH, '1')).toBeUndefined();
    // The aggregator cannot reorder what the root covers either: the root follows the request's order.
    const a = await batch([await item('R-2', 2), await item('R-1', 1)]);
    expect(a.roots![0]!.root).toBe(buildBatchTree([signedMessage(2), signedMessage(1)]).root);
  });
});
