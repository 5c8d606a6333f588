import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DidHash } from '../schemas/ids.js';
import type { BuyBackReportMessage } from '../schemas/kinds/buyback-report.js';
import { stageForLiquidity } from '../liquidity/bands.js';
import { buyBackFloor } from './buyback.js';

const base: BuyBackReportMessage = {
  kind: 'buybackReport',
  did: `0x${'11'.repeat(32)}` as DidHash,
  nonce: 1n,
  asOf: 1n,
  poolCash: 2n,
  assetPoolValue: 100n,
  openRequests: 0n,
  liquidAssets: 0n,
  outflows: 0n,
  lcrBps: 12_300n,
  minShareBps: 100,
  stageBBelowBps: 10_000,
  stageCBelowBps: 7_000,
  staleFloor: true,
};

describe('buyBackFloor (the chains floor, in TypeScript for the views)', () => {
  it.each([
    ['an LCR at 100% is A', { lcrBps: 10_000n }, false, 'A', 'none'],
    ['an LCR just under 100% is B', { lcrBps: 9_999n }, false, 'B', 'lcr'],
    ['an LCR at 70% is B', { lcrBps: 7_000n }, false, 'B', 'lcr'],
    ['an LCR just under 70% is C', { lcrBps: 6_999n }, false, 'C', 'lcr'],
    ['an unbounded LCR is A', { lcrBps: null }, false, 'A', 'none'],
    ['a stale report is B when the floor asks', {}, true, 'B', 'buyBackStale'],
    ['a stale report is A when it does not', { staleFloor: false }, true, 'A', 'none'],
    ['a pool under the share is B', { poolCash: 0n }, false, 'B', 'buyBackShort'],
    ['bands of 0 never apply', { lcrBps: 0n, stageBBelowBps: 0, stageCBelowBps: 0, minShareBps: 0 }, false, 'A', 'none'],
  ] as const)('%s', (_name, over, stale, stage, reason) => {
    expect(buyBackFloor({ ...base, ...over }, stale)).toEqual({ stage, reason });
  });

  it('agrees with liquidity/bands.ts for every LCR, pool and band (fresh reports)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 20_000n }), fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.bigInt({ min: 0n, max: 10n ** 14n }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 12_000 }), fc.integer({ min: 0, max: 12_000 }), (lcr, cash, pool, share, b, c) => {
        const [cBand, bBand] = c <= b ? [c, b] : [b, c];
        const m = { ...base, lcrBps: lcr, poolCash: cash, assetPoolValue: pool, minShareBps: share, stageBBelowBps: bBand, stageCBelowBps: cBand };
        const bands = { stageBBelowBps: bBand, stageCBelowBps: cBand, buyBackMinShareBps: share, buyBackMaxAgeDays: 1 };
        const expected = stageForLiquidity(bands, lcr, { amount: cash, poolValue: pool, ageDays: 0 });
        expect(buyBackFloor(m, false).stage).toBe(expected.stage);
      }),
      { seed: 23, numRuns: 500 },
    );
  });
});
