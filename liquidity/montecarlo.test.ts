import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { percentiles, runMonteCarlo } from './montecarlo.js';
import { parseScenario, type Scenario } from './scenario.js';

const shipped = (name: string): Scenario => parseScenario(JSON.parse(readFileSync(new URL(`./scenarios/${name}.json`, import.meta.url), 'utf8')));

/** Every range collapsed to a point: each run is the same, and the whole run can be done by hand (below). */
const POINT: Scenario = {
  name: 'point',
  pool: {
    buckets: [
      { name: 'cash', kind: 'cash', amount: 200, haircutBps: 0, daysToCash: 0 },
      { name: 'bills', kind: 'tbill', amount: 1_000, haircutBps: 100, daysToCash: 2 },
    ],
    buyBack: { amount: 0, ageDays: 0, reportEveryDays: 1 },
  },
  policy: { horizonDays: 2, stageBBelowBps: 10_000, stageCBelowBps: 7_000, buyBackMinShareBps: 0, buyBackMaxAgeDays: 1 },
  days: 4,
  ranges: { navShock: [0.1, 0.1], redemption: [0.5, 0.5], runDays: [3, 3], depth: [0.5, 0.5], haircut: [0.02, 0.02], liquidationDays: [3, 3] },
};

describe('runMonteCarlo', () => {
  it('equals the hand computation for a deterministic scenario', () => {
    // Pool 1_200 -> run 50% = 600 over 3 days: 200 a day (days 1-3). Bills: 1_000 - 10% shock = 900, sellable from
    // day 2, 900 x 0.5 / 3 = 150 a day, haircut max(1%, 2%) = 2% -> 147 cash per 150 sold. Horizon 2 days.
    // day 0: liquid 200 cash + 150 x 0.98 (day 2 only) = 347; outflows rb(2) = 400;            LCR 8_675 -> B
    // day 1: 200 paid from cash; liquid 0 + 300 x 0.98 = 294; outflows rb(3) - rb(1) = 400;   LCR 7_350 -> B
    // day 2: 200 due, 150 sold -> 147; 53 unpaid: cash gap (break day 2); outflows 53 + 200;  LCR 294 / 253 = 11_620 -> A
    // day 3: 253 due, 150 sold -> 147; 106 unpaid; liquid min(600, 300) x 0.98 = 294;        LCR 294 / 106 = 27_735 -> A
    // day 4: 106 due, sell ceil(106 / 0.98) = 109 -> 106; all paid; no outflow left:          LCR unbounded -> A
    const r = runMonteCarlo(POINT, { runs: 3, seed: 9 });
    expect(r.byDay.map((d) => d.lcrBps.p50)).toEqual([8_675, 7_350, 11_620, 27_735, null]);
    expect(r.byDay.map((d) => d.lcrBps.p5)).toEqual([8_675, 7_350, 11_620, 27_735, null]);
    expect(r.byDay.map((d) => d.stage)).toEqual(['B', 'B', 'A', 'A', 'A']);
    expect(r.byDay[0]!.stageShare).toEqual({ A: 0, B: 1, C: 0 });
    expect(r.breakProbability).toBe(1);
    expect(r.breakDay).toEqual({ p5: 2, p50: 2, p95: 2 });
    expect(r.lcrStartBps).toEqual({ p5: 8_675, p50: 8_675, p95: 8_675 });
    expect(r.lcrMinBps.p50).toBe(7_350);
  });

  it('gives the same report for the same seed, and another for another seed', () => {
    const s = shipped('run-40-depth-0.3');
    const a = runMonteCarlo(s, { runs: 200, seed: 42 });
    expect(JSON.stringify(runMonteCarlo(s, { runs: 200, seed: 42 }))).toBe(JSON.stringify(a));
    expect(runMonteCarlo(s, { runs: 200, seed: 43 }).lcrStartBps).not.toEqual(a.lcrStartBps);
  });

  it("holds the research's rule of thumb: above 40% redemptions with depth below 0.3, LCR under 70% -> stage C", () => {
    const s = shipped('run-40-depth-0.3');
    expect(s.ranges.redemption[0]).toBeGreaterThanOrEqual(0.4);
    expect(s.ranges.depth[1]).toBeLessThanOrEqual(0.3);
    const r = runMonteCarlo(s, { runs: 500, seed: 1 });
    expect(r.lcrStartBps.p95).toBeLessThan(7_000);
    expect(r.byDay[0]!.stage).toBe('C');
    expect(r.byDay[0]!.stageShare.C).toBeGreaterThan(0.95);
    // The same fund in a calm market with a small run stays above 100%: the rule is about the run and the freeze.
    const calm = runMonteCarlo({ ...s, ranges: { ...s.ranges, redemption: [0.2, 0.2], depth: [0.8, 0.8], liquidationDays: [1, 3] } }, { runs: 200, seed: 1 });
    expect(calm.lcrStartBps.p5).toBeGreaterThan(10_000);
    expect(calm.byDay[0]!.stage).toBe('A');
  });

  it("puts the research's T-bill fund near 123% under a 30% run and near 91% under a 60% run", () => {
    const r30 = runMonteCarlo(shipped('tbill-run-30'), { runs: 300, seed: 1 });
    const r60 = runMonteCarlo(shipped('tbill-run-60'), { runs: 300, seed: 1 });
    expect(r30.lcrStartBps.p50).toBeGreaterThan(12_000);
    expect(r30.lcrStartBps.p50).toBeLessThan(12_600);
    expect(r60.lcrStartBps.p50).toBeGreaterThan(8_800);
    expect(r60.lcrStartBps.p50).toBeLessThan(9_300);
    expect(r30.breakProbability).toBe(0);
    expect(r60.byDay[0]!.stage).toBe('B');
  });

  it('reports progress once per run', () => {
    const seen: number[] = [];
    runMonteCarlo(POINT, { runs: 4, seed: 1, onProgress: (n) => seen.push(n) });
    expect(seen).toEqual([1, 2, 3, 4]);
  });
});

describe('percentiles', () => {
  it('takes nearest ranks and sorts unbounded values last', () => {
    const xs = Array.from({ length: 20 }, (_, i) => i + 1); // 1..20: p5 = 1st, p50 = 10th, p95 = 19th
    expect(percentiles(xs)).toEqual({ p5: 1, p50: 10, p95: 19 });
    expect(percentiles([5, null, null])).toEqual({ p5: 5, p50: null, p95: null });
  });
});
