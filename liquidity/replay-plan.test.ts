import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runMonteCarlo } from './montecarlo.js';
import { liquidFor, midpointDraw, replayPlan, split } from './replay-plan.js';
import { parseScenario, type Scenario } from './scenario.js';

const shipped = (name: string): Scenario => parseScenario(JSON.parse(readFileSync(new URL(`./scenarios/${name}.json`, import.meta.url), 'utf8')));

/** replay-a-b-c: a 98.5M fund, 40.5M cash, 58M paper that cannot be sold within the 3-day horizon; 50% over 5 days. */
const abc = shipped('replay-a-b-c');

describe('replayPlan', () => {
  it('draws every range at its midpoint, rounded like the Monte Carlo', () => {
    expect(midpointDraw(shipped('run-40-depth-0.3'))).toEqual({ navShockBps: 350, redemptionBps: 5_000, runDays: 8, depthBps: 2_500, haircutBps: 900, liquidationDays: 16 });
  });

  it('plans each day: the requests split among the investors, the stage and LCR by hand', () => {
    const p = replayPlan(abc, { chainPool: 985_000n, investors: 2 });
    // scale 985,000 chain units for 98.5M: 1 unit per 100 of the scenario's.
    expect(p.holdings).toEqual([492_500n, 492_500n]);
    // 50% of 98.5M over 5 days: 9.85M a day = 98,500 units, 49,250 each.
    expect(p.byDay.map((d) => d.requests)).toEqual([[0n, 0n], [49_250n, 49_250n], [49_250n, 49_250n], [49_250n, 49_250n]]);
    // Liquid: the cash left + the 1.5M buy-back pool; outflows: 3 days of requests (29.55M).
    // day 0: 42.0 / 29.55 = 142.13%; day 1: 32.15 / 29.55 = 108.79%; day 2: 22.3 / 29.55 = 75.46%; day 3: 12.45 / 19.7 = 63.19%.
    expect(p.byDay.map((d) => d.lcrBps)).toEqual([14_213, 10_879, 7_546, 6_319]);
    expect(p.byDay.map((d) => d.stage)).toEqual(['A', 'A', 'B', 'C']);
    expect(p.byDay.map((d) => d.buyBack)).toEqual([15_000n, 15_000n, 15_000n, 15_000n]);
    expect(p.byDay[0]!.monteCarlo).toBeNull();
  });

  it('shortens to --days, keeps the Monte Carlo beside each day, and refuses bad options', () => {
    const s = shipped('tbill-run-60');
    const mc = runMonteCarlo(s, { runs: 50, seed: 1 });
    const p = replayPlan(s, { chainPool: 10n ** 12n, investors: 2, days: 5, monteCarlo: mc });
    expect(p.days).toBe(5);
    expect(p.byDay).toHaveLength(6);
    expect(p.byDay[3]!.monteCarlo).toEqual({ stage: mc.byDay[3]!.stage, share: mc.byDay[3]!.stageShare });
    expect(p.byDay.every((d) => d.stage === 'B')).toBe(true);
    expect(() => replayPlan(s, { chainPool: 0n, investors: 2 })).toThrow(/chainPool/);
    expect(() => replayPlan(s, { chainPool: 1n, investors: 0 })).toThrow(/investors/);
    expect(() => replayPlan(s, { chainPool: 1n, investors: 1, days: 0 })).toThrow(/days/);
  });

  it('splits evenly with the remainder to the last investor', () => {
    expect(split(10n, 3)).toEqual([3n, 3n, 4n]);
    expect(split(0n, 2)).toEqual([0n, 0n]);
  });
});

describe('liquidFor', () => {
  it.each([
    [14_213, 295_500n],
    [6_319, 197_000n],
    [10_000, 123_456_789n],
    [0, 50_000n],
  ])('makes the oracle’s floor(10000 x liquid / outflows) exactly %i bps', (lcr, outflows) => {
    expect((10_000n * liquidFor(lcr, outflows)) / outflows).toBe(BigInt(lcr));
  });

  it('posts an unbounded prediction as 1000 x the outflows', () => {
    expect(liquidFor(null, 7n)).toBe(7_000n);
  });
});
