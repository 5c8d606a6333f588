import { describe, expect, it } from 'vitest';
import { gasPerSettlement, limitPerSecond, percentile, perSecond, ratio, sumAll } from './blocks-stats.js';

describe('percentile (nearest rank)', () => {
  const xs = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose
  it.each([
    [0.5, 50],
    [0.99, 99],
    [1, 100],
    [0, 1],
    [0.01, 1],
  ])('p%s of 1..100 is %s', (p, want) => expect(percentile(xs, p)).toBe(want));

  it('of one sample is that sample, of none undefined', () => {
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBeUndefined();
  });

  it('p99 of 10 samples is the largest (no sample lies above the 99th percent of ten)', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.99)).toBe(10);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5)).toBe(5);
  });

  it('refuses p outside [0, 1]', () => {
    expect(() => percentile([1], 1.5)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('rates, gas and the limit', () => {
  it('perSecond: count over the window; undefined for an empty window', () => {
    expect(perSecond(150, 200)).toBe(0.75);
    expect(perSecond(0, 10)).toBe(0);
    expect(perSecond(5, 0)).toBeUndefined();
  });

  it('gasPerSettlement: gas over settlements delivered; undefined for none', () => {
    expect(gasPerSettlement(774_500n, 10)).toBe(77_450);
    expect(gasPerSettlement(1000n, 0)).toBeUndefined();
  });

  it("limitPerSecond: the issue's figure, a 30 M block at 77 k gas every 2 s, is about 195 /s", () => {
    expect(limitPerSecond(30_000_000n, 77_000, 2)).toBeCloseTo(194.8, 1);
    expect(limitPerSecond(30_000_000n, 77_000, 12)).toBeCloseTo(32.47, 2);
  });

  it('limitPerSecond: none under automine or without a gas figure', () => {
    expect(limitPerSecond(30_000_000n, 77_000, 0)).toBeUndefined();
    expect(limitPerSecond(30_000_000n, undefined, 2)).toBeUndefined();
    expect(limitPerSecond(30_000_000n, 0, 2)).toBeUndefined();
  });

  it('ratio and sumAll: undefined as soon as a part is unknown', () => {
    expect(ratio(0.7, 194.8)).toBeCloseTo(0.0036, 4);
    expect(ratio(undefined, 10)).toBeUndefined();
    expect(ratio(1, undefined)).toBeUndefined();
    expect(sumAll([1, 2, 3])).toBe(6);
    expect(sumAll([1, undefined])).toBeUndefined();
    expect(sumAll([])).toBe(0);
  });
});
