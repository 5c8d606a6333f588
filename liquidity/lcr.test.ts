import { describe, expect, it } from 'vitest';
import { LiquidityInputError } from './errors.js';
import { computeLcr, formatLcr, type LiquidBucket } from './lcr.js';

const M = 1_000_000n;

/**
 * The research's worked example, a T-bill fund of 100M: LCR about 123% under a 30% run, about 91% under a 60% run.
 * The 30% run is assumed to come within a week (horizon 7 days), the 60% run over a month (horizon 30 days), so a
 * longer run lets more of the fund mature into cash. By hand:
 *
 *   bucket                     amount     haircut  days  liquid in 7 days   liquid in 30 days
 *   cash                        7.8M        0%       0        7.8M               7.8M
 *   T-bills <= 1 week          30.0M        3%       1       29.1M              29.1M
 *   T-bills 2-4 weeks          18.4375M     4%      20        0                 17.7M
 *   other (corporate, 90d)     43.7625M    15%      90        0                  0
 *   pool                      100.0M                         36.9M              54.6M
 *
 *   30% run: outflows = 0 open + 30% x 100M = 30M;  LCR = 36.9 / 30 = 1.23 -> 12_300 bps
 *   60% run: outflows = 0 open + 60% x 100M = 60M;  LCR = 54.6 / 60 = 0.91 ->  9_100 bps
 */
const TBILL_FUND: LiquidBucket[] = [
  { kind: 'cash', amount: 7_800_000n, haircutBps: 0, daysToCash: 0 },
  { kind: 'tbill', amount: 30n * M, haircutBps: 300, daysToCash: 1 },
  { kind: 'tbill', amount: 18_437_500n, haircutBps: 400, daysToCash: 20 },
  { kind: 'other', amount: 43_762_500n, haircutBps: 1_500, daysToCash: 90 },
];

describe('computeLcr', () => {
  it('gives the research example: 123% under a 30% run within a week', () => {
    const r = computeLcr({ buckets: TBILL_FUND, horizonDays: 7, openRequests: 0n, stressRateBps: 3_000, poolValue: 100n * M });
    expect(r.liquid).toBe(36_900_000n);
    expect(r.outflows).toBe(30n * M);
    expect(r.lcrBps).toBe(12_300n);
    expect(formatLcr(r.lcrBps)).toBe('123.00%');
  });

  it('gives the research example: 91% under a 60% run over a month', () => {
    const r = computeLcr({ buckets: TBILL_FUND, horizonDays: 30, openRequests: 0n, stressRateBps: 6_000, poolValue: 100n * M });
    expect(r.liquid).toBe(54_600_000n);
    expect(r.outflows).toBe(60n * M);
    expect(r.lcrBps).toBe(9_100n);
  });

  it('adds open requests to the stressed outflow and counts a bucket exactly at the horizon', () => {
    // liquid: 1_000 cash + 2_000 x 0.9 (5 days, horizon 5) = 2_800; outflows: 500 open + 10% x 10_000 = 1_500
    const r = computeLcr({
      buckets: [
        { kind: 'cash', amount: 1_000n, haircutBps: 0, daysToCash: 0 },
        { kind: 'tbill', amount: 2_000n, haircutBps: 1_000, daysToCash: 5 },
        { kind: 'other', amount: 7_000n, haircutBps: 0, daysToCash: 6 },
      ],
      horizonDays: 5,
      openRequests: 500n,
      stressRateBps: 1_000,
      poolValue: 10_000n,
    });
    expect(r).toEqual({ liquid: 2_800n, outflows: 1_500n, lcrBps: 18_666n }); // 28_000_000 / 1_500 = 18_666.67, floored
  });

  it('rounds each haircut down, so rounding never overstates the ratio', () => {
    // 3 x 0.97 = 2.91 -> 2 per bucket; two buckets 4, not 5 (the sum 5.82 floored)
    const b: LiquidBucket = { kind: 'tbill', amount: 3n, haircutBps: 300, daysToCash: 0 };
    const r = computeLcr({ buckets: [b, b], horizonDays: 0, openRequests: 3n, stressRateBps: 0, poolValue: 6n });
    expect(r.liquid).toBe(4n);
    expect(r.lcrBps).toBe(13_333n);
  });

  it('is unbounded (null) with no outflow, and 0 with outflow but nothing liquid in time', () => {
    const none = computeLcr({ buckets: TBILL_FUND, horizonDays: 7, openRequests: 0n, stressRateBps: 0, poolValue: 100n * M });
    expect(none.lcrBps).toBeNull();
    expect(formatLcr(none.lcrBps)).toBe('unbounded');
    const late = computeLcr({ buckets: [TBILL_FUND[3]!], horizonDays: 30, openRequests: 1n, stressRateBps: 0, poolValue: 0n });
    expect(late.lcrBps).toBe(0n);
  });

  it.each([
    ['openRequests', { openRequests: -1n }],
    ['poolValue', { poolValue: -5n }],
    ['stressRateBps', { stressRateBps: 10_001 }],
    ['stressRateBps', { stressRateBps: -1 }],
    ['horizonDays', { horizonDays: -1 }],
    ['buckets.1.amount', { buckets: [TBILL_FUND[0]!, { ...TBILL_FUND[1]!, amount: -1n }] }],
    ['buckets.0.haircutBps', { buckets: [{ ...TBILL_FUND[0]!, haircutBps: 1.5 }] }],
    ['buckets.0.daysToCash', { buckets: [{ ...TBILL_FUND[0]!, daysToCash: -2 }] }],
  ])('refuses a bad %s with a typed error naming the field', (field, patch) => {
    const input = { buckets: TBILL_FUND, horizonDays: 7, openRequests: 0n, stressRateBps: 3_000, poolValue: 100n * M, ...patch };
    let caught: unknown;
    try {
      computeLcr(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(LiquidityInputError);
    expect((caught as LiquidityInputError).field).toBe(field);
    expect((caught as LiquidityInputError).code).toBe('invalid_liquidity_input');
  });
});
