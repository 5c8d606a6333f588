import { describe, expect, it } from 'vitest';
import { brakesIssue, isRepresentableLine, NO_BRAKES_VALUES, type BrakesValues } from './brakes-source.js';

// The rule of RwaDidRegistry.setBrakes (libraries/HubBrakes.sol), restated for the signers: same cases as the forge tests.
const ok: BrakesValues = { mintCapacity: 1_000n, mintRefillPerSecond: 10n, burnCapacity: 0n, burnRefillPerSecond: 0n, largeAmount: 500n, largeThreshold: 3 };

describe('brakesIssue (DID threshold 2 of 3 signers)', () => {
  it.each([
    ['no brakes', NO_BRAKES_VALUES, undefined],
    ['buckets and a line', ok, undefined],
    ['a line at the DID threshold', { ...ok, largeThreshold: 2 }, undefined],
    ['a capacity without refill', { ...ok, mintRefillPerSecond: 0n }, 'mint capacity and refill must both be zero or both be set'],
    ['a refill without capacity', { ...ok, burnRefillPerSecond: 1n }, 'burn capacity and refill must both be zero or both be set'],
    ['a line threshold below the DID threshold', { ...ok, largeThreshold: 1 }, 'largeThreshold must be 2..3 (1)'],
    ['a line threshold above the signer count', { ...ok, largeThreshold: 4 }, 'largeThreshold must be 2..3 (4)'],
    ['a threshold without a line', { ...ok, largeAmount: 0n }, 'largeThreshold must be 0 without a line (3)'],
    ['a capacity past 96 bits', { ...ok, mintCapacity: 1n << 96n }, "mintCapacity exceeds 2^96 - 1 (the receivers' range)"],
  ])('%s', (_name, b, issue) => {
    expect(brakesIssue(b as BrakesValues, 2, 3)).toBe(issue);
  });

  it('refuses a line the receivers cannot store exactly', () => {
    expect(brakesIssue({ ...ok, largeAmount: 4_294_967_297n }, 2, 3)).toMatch(/not a 32-bit mantissa/);
  });
});

describe('isRepresentableLine (BrakeBucket.encode is exact)', () => {
  it.each([
    [0n, true],
    [4_294_967_295n, true],
    [4_294_967_296n, false],
    [4_294_967_295n * 10n ** 12n, true],
    [42_949_672_950n, true],
    [42_949_672_960n, false],
    [4_294_967_297n * 10n, false],
  ])('%s -> %s', (value, want) => {
    expect(isRepresentableLine(value)).toBe(want);
  });
});
