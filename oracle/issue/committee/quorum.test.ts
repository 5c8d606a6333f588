import { describe, expect, it } from 'vitest';
import { concat, type Address, type Hex } from 'viem';
import { packQuorum } from './quorum.js';

const sig = (byte: string): Hex => `0x${byte.repeat(65)}`;
const A: Address = '0x1000000000000000000000000000000000000000';
const B: Address = '0x2000000000000000000000000000000000000000';
const C: Address = '0xF000000000000000000000000000000000000000';

describe('packQuorum', () => {
  it.each([
    ['ascending input', [{ signer: A, signature: sig('aa') }, { signer: B, signature: sig('bb') }], 2, concat([sig('aa'), sig('bb')])],
    ['descending input is sorted by address', [{ signer: C, signature: sig('cc') }, { signer: A, signature: sig('aa') }], 2, concat([sig('aa'), sig('cc')])],
    ['more than threshold: the lowest addresses', [{ signer: C, signature: sig('cc') }, { signer: B, signature: sig('bb') }, { signer: A, signature: sig('aa') }], 2, concat([sig('aa'), sig('bb')])],
    ['a signer twice counts once', [{ signer: A, signature: sig('aa') }, { signer: A, signature: sig('a1') }], 2, undefined],
    ['fewer than threshold', [{ signer: A, signature: sig('aa') }], 2, undefined],
    ['threshold 0 is never a quorum', [{ signer: A, signature: sig('aa') }], 0, undefined],
  ] as const)('%s', (_name, collected, threshold, expected) => {
    expect(packQuorum(collected, threshold)).toBe(expected);
  });

  it('compares addresses as numbers, not by letter case', () => {
    const lower: Address = '0xabc0000000000000000000000000000000000000';
    const upper: Address = '0xB000000000000000000000000000000000000000';
    expect(packQuorum([{ signer: upper, signature: sig('bb') }, { signer: lower, signature: sig('aa') }], 2)).toBe(concat([sig('aa'), sig('bb')]));
  });
});
