import { concat, keccak256, type Hex } from 'viem';
import { keccak256Bytes, keccak256Hex } from './keccak.js';

/**
 * The Merkle tree of a batch root (RwaReceiver.receiveBatch), shared by the committee (which signs the root), the
 * oracle (which stores each attestation's proof) and the relayer (which delivers messages with their proofs). It is
 * exactly the tree contracts/src/libraries/BatchProof.sol verifies:
 * - leaf = keccak256(keccak256(message)): double-hashed, so no 64-byte inner node can pass as a leaf;
 * - an inner node = keccak256 of its two children in ascending order (as OZ MerkleProof), so a proof is just the
 *   list of siblings from the leaf up, with no left/right bits;
 * - odd rule: the last node of a level with an odd count has no sibling and moves up unchanged; its proof gets no
 *   element for that level. rootOf(proof, leaf) only hashes the siblings it is given, so it accepts these proofs.
 * Leaves stay in the order of `messages` (proofs[i] is the proof of messages[i]); one message: root = its leaf,
 * proof = []. Imports viem and core/keccak.ts only (native Keccak where it loads, else viem's), so any part may use it.
 */

export interface BatchTree {
  root: Hex;
  /** proofs[i]: the siblings of messages[i]'s leaf, bottom up. */
  proofs: Hex[][];
}

/** Canonical hex (even length, hex digits only) is hashed as its bytes by core/keccak.ts; anything else as viem reads it. */
const EVEN_HEX = /^0x(?:[0-9a-fA-F]{2})*$/;
const bytesOf = (h: Hex) => Buffer.from(h.slice(2), 'hex');

export function batchLeaf(message: Hex): Hex {
  if (!EVEN_HEX.test(message)) return keccak256(keccak256(message));
  return keccak256Hex(keccak256Bytes(bytesOf(message)));
}

/** The parent of two nodes: hashed in ascending order (as BatchProof.rootOf). */
function parentOf(a: Hex, b: Hex): Hex {
  const [lo, hi] = BigInt(a) < BigInt(b) ? [a, b] : [b, a];
  if (!EVEN_HEX.test(lo) || !EVEN_HEX.test(hi)) return keccak256(concat([lo, hi]));
  return keccak256Hex(Buffer.concat([bytesOf(lo), bytesOf(hi)]));
}

export function buildBatchTree(messages: readonly Hex[]): BatchTree {
  if (messages.length === 0) throw new RangeError('a batch tree needs at least one message');
  let level = messages.map(batchLeaf);
  // positions[i]: where message i's path currently is in `level`.
  const positions = messages.map((_, i) => i);
  const proofs: Hex[][] = messages.map(() => []);
  while (level.length > 1) {
    const next: Hex[] = [];
    for (let j = 0; j < level.length; j += 2) {
      next.push(j + 1 < level.length ? parentOf(level[j]!, level[j + 1]!) : level[j]!);
    }
    for (const [i, p] of positions.entries()) {
      const sibling = p ^ 1;
      if (sibling < level.length) proofs[i]!.push(level[sibling]!);
      positions[i] = p >> 1;
    }
    level = next;
  }
  return { root: level[0]!, proofs };
}

/** The root a proof leads to from a message (BatchProof.rootOf(proof, leafOf(message))). */
export function batchRootOf(message: Hex, proof: readonly Hex[]): Hex {
  return proof.reduce<Hex>((node, sibling) => parentOf(node, sibling), batchLeaf(message));
}

export function verifyBatchProof(root: Hex, message: Hex, proof: readonly Hex[]): boolean {
  return batchRootOf(message, proof).toLowerCase() === root.toLowerCase();
}

/**
 * The `items` of `receiveBatch` (contracts/src/libraries/BatchItems.sol): the messages back to back, each without its
 * DID (bytes 2..34; the call names the DID once). Every message must be of `did`: the receiver rebuilds each leaf with
 * the call's DID, so a message of another DID would not be the leaf the tree holds.
 */
export function packBatchItems(did: Hex, messages: readonly Hex[]): Hex {
  const didBody = did.slice(2).toLowerCase();
  const parts = messages.map((m, i) => {
    if (m.length < 2 + 2 * 42 || m.slice(6, 70).toLowerCase() !== didBody) throw new RangeError(`batch item ${i} is not a message of DID ${did}`);
    return m.slice(2, 6) + m.slice(70);
  });
  return `0x${parts.join('')}`;
}

/** Whether `messages` are every leaf of `root`, in the tree's order: then `receiveBatch` needs no proofs. */
export function isWholeTree(root: Hex, messages: readonly Hex[]): boolean {
  return messages.length > 0 && buildBatchTree(messages).root.toLowerCase() === root.toLowerCase();
}
