import { describe, expect, it } from 'vitest';
import { DEFAULT_BANDS, stageForLiquidity, type LiquidityBands } from './bands.js';
import { LiquidityInputError } from './errors.js';

const issuer: LiquidityBands = { stageBBelowBps: 10_000, stageCBelowBps: 7_000, buyBackMinShareBps: 100, buyBackMaxAgeDays: 1 };
const healthyPool = { amount: 2_000n, poolValue: 100_000n, ageDays: 0 }; // 2% of the pool, reported today

describe('stageForLiquidity', () => {
  it.each([
    [12_300n, 'A', 'none'],
    [10_000n, 'A', 'none'], // exactly 100% is not under 100%
    [9_999n, 'B', 'lcr'],
    [9_100n, 'B', 'lcr'],
    [7_000n, 'B', 'lcr'],
    [6_999n, 'C', 'lcr'],
    [0n, 'C', 'lcr'],
    [null, 'A', 'none'],
  ] as const)('maps LCR %s bps to stage %s with the default bands', (lcr, stage, reason) => {
    const s = stageForLiquidity(DEFAULT_BANDS, lcr);
    expect(s.stage).toBe(stage);
    expect(s.reason).toBe(reason);
    expect(s.code).toBe({ A: 1, B: 2, C: 3 }[stage]);
  });

  it('uses the issuer bands, not the defaults', () => {
    const strict = { ...issuer, stageBBelowBps: 15_000, stageCBelowBps: 12_000 };
    expect(stageForLiquidity(strict, 12_300n).stage).toBe('B');
    expect(stageForLiquidity(strict, 11_999n).stage).toBe('C');
  });

  it('requires stage B at least when the buy-back pool is stale', () => {
    expect(stageForLiquidity(issuer, 20_000n, { ...healthyPool, ageDays: 1 }).stage).toBe('A');
    expect(stageForLiquidity(issuer, 20_000n, { ...healthyPool, ageDays: 2 })).toEqual({ stage: 'B', code: 2, reason: 'buyBackStale' });
  });

  it("requires stage B at least when the buy-back pool is below the issuer's share", () => {
    expect(stageForLiquidity(issuer, null, { ...healthyPool, amount: 1_000n }).stage).toBe('A'); // exactly 1%
    expect(stageForLiquidity(issuer, null, { ...healthyPool, amount: 999n })).toEqual({ stage: 'B', code: 2, reason: 'buyBackShort' });
  });

  it('never lowers the stage the LCR set', () => {
    expect(stageForLiquidity(issuer, 6_000n, { ...healthyPool, ageDays: 9 })).toEqual({ stage: 'C', code: 3, reason: 'lcr' });
  });

  it.each([
    ['bands.stageBBelowBps', { ...issuer, stageBBelowBps: 6_000 }, 5_000n, undefined],
    ['bands.stageCBelowBps', { ...issuer, stageCBelowBps: -1 }, 5_000n, undefined],
    ['bands.buyBackMinShareBps', { ...issuer, buyBackMinShareBps: 20_000 }, 5_000n, undefined],
    ['lcrBps', issuer, -1n, undefined],
    ['buyBack.amount', issuer, 20_000n, { ...healthyPool, amount: -1n }],
    ['buyBack.ageDays', issuer, 20_000n, { ...healthyPool, ageDays: -1 }],
  ] as const)('refuses a bad %s', (field, bands, lcr, pool) => {
    expect(() => stageForLiquidity(bands, lcr, pool)).toThrow(LiquidityInputError);
    try {
      stageForLiquidity(bands, lcr, pool);
    } catch (err) {
      expect((err as LiquidityInputError).field).toBe(field);
    }
  });
});
