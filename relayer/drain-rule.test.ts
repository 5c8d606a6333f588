import { describe, expect, it } from 'vitest';
import { availableAt, drainableCount, secondsUntilHeadFits } from './drain-rule.js';

const limit = { capacity: 1_000n, refillPerSecond: 10n };

describe('availableAt', () => {
  it.each([
    ['what it held at that time', { tokens: 300n, updatedAt: 100n }, 100n, 300n],
    ['plus the refill since', { tokens: 300n, updatedAt: 100n }, 130n, 600n],
    ['never above capacity', { tokens: 300n, updatedAt: 100n }, 1_000n, 1_000n],
    ['no refill for a clock behind the write', { tokens: 300n, updatedAt: 100n }, 90n, 300n],
  ])('%s', (_name, state, now, want) => {
    expect(availableAt(limit, state, now)).toBe(want);
  });
});

describe('drainableCount', () => {
  const empty = { tokens: 0n, updatedAt: 100n };
  it.each([
    ['nothing while the head does not fit', empty, [200n, 10n], 110n, 10, 0],
    ['from the head while they fit, stopping at the first that does not (a later smaller one never jumps it)', empty, [200n, 500n, 10n], 130n, 10, 1],
    ['every item that fits, cumulatively', empty, [200n, 300n, 400n], 200n, 10, 3],
    ['at most maxItems', empty, [1n, 1n, 1n], 200n, 2, 2],
    ['an empty queue', empty, [], 200n, 10, 0],
  ])('%s', (_name, state, amounts, now, max, want) => {
    expect(drainableCount(limit, state, amounts, now, max)).toBe(want);
  });

  it('lets everything through without a limit (capacity 0)', () => {
    expect(drainableCount({ capacity: 0n, refillPerSecond: 0n }, { tokens: 0n, updatedAt: 0n }, [10n ** 30n, 5n], 0n, 10)).toBe(2);
  });
});

describe('secondsUntilHeadFits', () => {
  it.each([
    ['0 when it fits now', { tokens: 500n, updatedAt: 100n }, 400n, 100n, 0n],
    ['the refill time, rounded up', { tokens: 0n, updatedAt: 100n }, 205n, 100n, 21n],
    ['counting the refill already accrued', { tokens: 0n, updatedAt: 100n }, 205n, 110n, 11n],
    ['never for an amount above the capacity', { tokens: 0n, updatedAt: 100n }, 1_001n, 100n, undefined],
  ])('%s', (_name, state, head, now, want) => {
    expect(secondsUntilHeadFits(limit, state, head, now)).toBe(want);
  });
});
