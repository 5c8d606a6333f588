/**
 * Writes schemas/batch-vectors.json: batch trees built by core/batch-tree.ts (sizes 1..17 and 64, odd sizes where
 * the last node moves up unchanged) and each root's EIP-712 AttestationBatch digest, which
 * contracts/test/libraries/BatchProofVectors.t.sol checks against BatchProof.rootOf / leafOf and
 * Eip712Attestation.batchHash; and `packed`: trees of real settlements and NAV rounds with their receiveBatch items
 * (packBatchItems), which the receiver's verifier must recompute to the same root without proofs.
 * `--check` fails when the committed file is stale.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { hashTypedData, keccak256, slice, stringToBytes, type Address, type Hex } from 'viem';
import { batchTypedData } from '../schemas/eip712.js';
import { buildBatchTree, packBatchItems } from '../core/batch-tree.js';
import { encodeMessage, type AttestationMessage } from '../schemas/message.js';
import { didHash, type DidString } from '../schemas/ids.js';

const target = join(import.meta.dirname, '..', 'schemas', 'batch-vectors.json');
const CHAIN_ID = 31338n;
const RECEIVER: Address = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const DID = didHash('did:rwa:vector:batch' as DidString);
const SIZES = [...Array.from({ length: 17 }, (_, i) => i + 1), 64];

/** Messages of varied lengths (1..96 bytes), so a leaf never depends on a fixed size. */
const messageOf = (n: number, i: number): Hex => {
  const seed = keccak256(stringToBytes(`batch ${n} item ${i}`));
  const bytes = 1 + ((n * 31 + i * 7) % 96);
  return slice(`${seed}${seed.slice(2)}${seed.slice(2)}` as Hex, 0, bytes);
};

const trees = SIZES.map((n) => {
  const messages = Array.from({ length: n }, (_, i) => messageOf(n, i));
  const { root, proofs } = buildBatchTree(messages);
  return { size: n, root, digest: hashTypedData(batchTypedData(CHAIN_ID, RECEIVER, DID, root)), messages, proofs };
});

/** Item i of a packed tree: a NAV round every fifth, else a settlement (amounts and refs varying with i). */
const attestationOf = (n: number, i: number): AttestationMessage => {
  const nonce = BigInt(n * 1_000 + i);
  if (i % 5 === 4) return { kind: 'nav', did: DID, nonce, nav: 100_000_000n + BigInt(i), asOf: 1_764_000_000n + BigInt(i) };
  const ref = keccak256(stringToBytes(`packed ${n} item ${i}`));
  return { kind: 'settlement', did: DID, nonce, settlementKind: i % 3 === 2 ? 'redemption' : 'subscription', settlementRef: ref, investor: `0x${ref.slice(26)}`, amount: BigInt(i + 1) * 1_000_000n, cashLegRef: keccak256(ref), settledAt: 1_764_000_000n, peerChainId: 0n };
};
const PACKED_SIZES = [1, 2, 3, 5, 64];
const packed = PACKED_SIZES.map((n) => {
  const messages = Array.from({ length: n }, (_, i) => encodeMessage(attestationOf(n, i)));
  return { size: n, root: buildBatchTree(messages).root, items: packBatchItems(DID, messages) };
});

const rendered = `${JSON.stringify({ chainId: Number(CHAIN_ID), receiver: RECEIVER, did: DID, count: trees.length, trees, packedCount: packed.length, packed }, null, 2)}\n`;

if (process.argv.includes('--check')) {
  if (!existsSync(target) || readFileSync(target, 'utf8') !== rendered) {
    console.error('schemas/batch-vectors.json is stale: run npm run gen:batch-vectors');
    process.exit(1);
  }
} else {
  writeFileSync(target, rendered);
  console.log(`wrote ${target} (${trees.length} trees)`);
}
