import type { Address, Hex, LocalAccount } from 'viem';
import type { RootSignature } from '../schemas/committee.js';
import { batchTypedData } from '../schemas/eip712.js';
import { buildBatchTree } from '../core/batch-tree.js';

/** A message this signer validated and signed in the current sign-batch request, and the chains it signed it for. */
export interface ValidatedItem {
  /** Its index among the request's items. */
  index: number;
  did: Hex;
  /** The bytes this signer built and signed itself (never the aggregator's copy). */
  message: Hex;
  chains: readonly { chainId: number; receiver: Address }[];
}

/**
 * The batch roots of one sign-batch request: per DID and destination chain, the Merkle root (core/batch-tree.ts)
 * over the messages this signer validated and signed for that chain in this request, in request order, signed as
 * EIP-712 AttestationBatch{did, root} in that chain's domain. The root is computed here from `validated` only, so a
 * root never covers a message this request did not validate (a refused item, a repeat answered from the store, or
 * anything the aggregator might name). A chain with one such message gets no root: its own signature is enough.
 */
export async function signBatchRoots(account: LocalAccount, validated: readonly ValidatedItem[]): Promise<RootSignature[]> {
  const groups = new Map<string, { did: Hex; chainId: number; receiver: Address; items: ValidatedItem[] }>();
  for (const v of [...validated].sort((a, b) => a.index - b.index)) {
    for (const c of v.chains) {
      const key = `${v.did}:${c.chainId}:${c.receiver.toLowerCase()}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { did: v.did, chainId: c.chainId, receiver: c.receiver, items: [] }));
      g.items.push(v);
    }
  }
  const out: RootSignature[] = [];
  for (const g of groups.values()) {
    if (g.items.length < 2) continue;
    const { root } = buildBatchTree(g.items.map((v) => v.message));
    const signature = await account.signTypedData(batchTypedData(BigInt(g.chainId), g.receiver, g.did, root));
    out.push({ did: g.did, chainId: g.chainId, receiver: g.receiver, root, items: g.items.map((v) => v.index), signature });
  }
  return out;
}
