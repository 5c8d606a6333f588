import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bytesToHex, concat, keccak256, toHex, type Hex } from 'viem';
import { batchLeaf, batchRootOf, buildBatchTree, isWholeTree, packBatchItems, verifyBatchProof } from './batch-tree.js';

const msgs = (n: number): Hex[] => Array.from({ length: n }, (_, i) => toHex(`message ${i}`));
const sorted = (a: Hex, b: Hex): Hex => (BigInt(a) < BigInt(b) ? keccak256(concat([a, b])) : keccak256(concat([b, a])));

describe('batch tree', () => {
  it('leaf is keccak256(keccak256(message))', () => {
    expect(batchLeaf('0x1234')).toBe(keccak256(keccak256('0x1234')));
  });

  it('property: leaves and parents are viem\'s keccak256 of the same hex, in either case and odd-length too', () => {
    const hex = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((b) => bytesToHex(b)),
      fc.uint8Array({ minLength: 1, maxLength: 40 }).map((b) => bytesToHex(b).toUpperCase().replace('0X', '0x') as Hex),
      fc.uint8Array({ minLength: 1, maxLength: 40 }).map((b) => bytesToHex(b).slice(0, -1) as Hex),
    );
    fc.assert(
      fc.property(fc.array(hex, { minLength: 1, maxLength: 5 }), (m) => {
        const leaves = m.map((x) => keccak256(keccak256(x)));
        expect(m.map(batchLeaf)).toEqual(leaves);
        if (m.length === 2) expect(buildBatchTree(m).root).toBe(sorted(leaves[0]!, leaves[1]!));
        expect(verifyBatchProof(buildBatchTree(m).root, m[0]!, buildBatchTree(m).proofs[0]!)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('one message: the root is its leaf and the proof is empty', () => {
    const t = buildBatchTree(['0xab']);
    expect(t).toEqual({ root: batchLeaf('0xab'), proofs: [[]] });
  });

  it('three messages: the odd last leaf moves up unchanged', () => {
    const m = msgs(3);
    const [a, b, c] = m.map(batchLeaf) as [Hex, Hex, Hex];
    const t = buildBatchTree(m);
    expect(t.root).toBe(sorted(sorted(a, b), c));
    expect(t.proofs).toEqual([[b, c], [a, c], [sorted(a, b)]]);
  });

  it('every proof of sizes 1..70 leads to the root; a proof never verifies another message or root', () => {
    for (let n = 1; n <= 70; n++) {
      const m = msgs(n);
      const t = buildBatchTree(m);
      for (const [i, msg] of m.entries()) {
        expect(verifyBatchProof(t.root, msg, t.proofs[i]!)).toBe(true);
        expect(t.proofs[i]!.length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)));
        if (n > 1) expect(verifyBatchProof(t.root, m[(i + 1) % n]!, t.proofs[i]!)).toBe(false);
      }
      expect(verifyBatchProof(t.root, toHex('not in the batch'), t.proofs[0]!)).toBe(false);
    }
  });

  it('the root depends on every message', () => {
    const m = msgs(5);
    const root = buildBatchTree(m).root;
    for (let i = 0; i < m.length; i++) {
      const changed = m.map((x, j) => (j === i ? toHex(`other ${i}`) : x));
      expect(buildBatchTree(changed).root).not.toBe(root);
    }
    expect(batchRootOf(m[0]!, buildBatchTree(m).proofs[0]!)).toBe(root);
  });

  it('refuses an empty batch', () => {
    expect(() => buildBatchTree([])).toThrow(RangeError);
  });

  it('property: for any messages (duplicates too), every proof verifies its own message against the root', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 0, maxLength: 80 }), { minLength: 1, maxLength: 40 }), (raw) => {
        const m = raw.map((b) => bytesToHex(b));
        const t = buildBatchTree(m);
        expect(t.proofs).toHaveLength(m.length);
        for (const [i, msg] of m.entries()) expect(verifyBatchProof(t.root, msg, t.proofs[i]!)).toBe(true);
      }),
      { seed: 21, numRuns: 200 },
    );
  });
});

describe('batch items (receiveBatch)', () => {
  const did = keccak256(toHex('did:rwa:items'));
  /** A message of `did`: version, kind, the DID, then `body`. */
  const message = (kind: number, body: string): Hex => `0x01${kind.toString(16).padStart(2, '0')}${did.slice(2)}${body}`;

  it('packs the messages back to back without their DID', () => {
    const a = message(1, 'aa'.repeat(141));
    const b = message(2, 'bb'.repeat(48));
    expect(packBatchItems(did, [a, b])).toBe(`0x0101${'aa'.repeat(141)}0102${'bb'.repeat(48)}`);
    expect(packBatchItems(did, [])).toBe('0x');
  });

  it('refuses a message of another DID or one too short to hold a header', () => {
    const other = `0x0101${'cd'.repeat(32)}${'aa'.repeat(141)}` as Hex;
    expect(() => packBatchItems(did, [message(1, '00'.repeat(141)), other])).toThrow(/batch item 1/);
    expect(() => packBatchItems(did, ['0x0101'])).toThrow(RangeError);
  });

  it('says whole tree only for every leaf of the root, in the tree\'s order up to swapped siblings', () => {
    const m = msgs(5);
    const root = buildBatchTree(m).root;
    expect(isWholeTree(root, m)).toBe(true);
    expect(isWholeTree(root, m.slice(0, 4))).toBe(false);
    // Siblings hash sorted, so only a move across pairs changes the root (the receiver never relied on the order).
    expect(isWholeTree(root, [m[1]!, m[0]!, ...m.slice(2)])).toBe(true);
    expect(isWholeTree(root, [m[2]!, m[1]!, m[0]!, ...m.slice(3)])).toBe(false);
    expect(isWholeTree(root, [])).toBe(false);
  });
});
