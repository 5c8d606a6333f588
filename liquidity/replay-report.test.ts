import { describe, expect, it } from 'vitest';
import { buildReplayReport, compareDay, investorCash, replayTable, type ChainShown, type DayShown } from './replay-report.js';
import type { ReplayPlan } from './replay-plan.js';

const day = (d: number, stage: 'A' | 'B' | 'C', lcrBps: number | null, buyBack: bigint) => ({
  day: d,
  stage,
  lcrBps,
  monteCarlo: { stage, share: { A: stage === 'A' ? 1 : 0, B: stage === 'B' ? 1 : 0, C: stage === 'C' ? 1 : 0 } },
  requests: [0n, 0n],
  buyBack,
  fund: 1_000n,
});

const plan: ReplayPlan = {
  scenario: 'abc',
  draw: { navShockBps: 0, redemptionBps: 5_000, runDays: 5, depthBps: 0, haircutBps: 0, liquidationDays: 1 },
  days: 2,
  chainPool: 1_000n,
  scenarioPool: 1_000n,
  holdings: [500n, 500n],
  byDay: [day(0, 'A', 14_213, 15n), day(1, 'B', 7_546, 15n), day(2, 'C', null, 0n)],
};

const chains = (stage: 'A' | 'B' | 'C', lcrBps: number | null, poolCash: bigint, hubStage = stage): ChainShown[] => [
  { chain: 'hub', chainId: 31337, stage: hubStage, lcrBps, poolCash },
  { chain: 'spoke-a', chainId: 31338, stage, lcrBps, poolCash },
  { chain: 'spoke-b', chainId: 31339, stage, lcrBps, poolCash },
];

describe('compareDay', () => {
  it('finds nothing when every chain shows the prediction', () => {
    expect(compareDay(plan, { day: 0, chains: chains('A', 14_213, 15n) })).toEqual([]);
  });

  it('names the chain, the day and what differs: stage, LCR, buy-back pool', () => {
    expect(compareDay(plan, { day: 1, chains: chains('B', 7_546, 15n, 'C') })).toEqual([{ day: 1, chain: 'hub', what: 'stage', predicted: 'B', shown: 'C' }]);
    expect(compareDay(plan, { day: 1, chains: chains('B', 7_545, 14n) })).toHaveLength(6);
    expect(compareDay(plan, { day: 1, chains: chains('B', 7_545, 15n) })[0]).toEqual({ day: 1, chain: 'hub', what: 'lcr', predicted: '75.46%', shown: '75.45%' });
  });

  it('takes an unbounded prediction as met by an unbounded LCR or the posted stand-in, not by a finite one', () => {
    expect(compareDay(plan, { day: 2, chains: chains('C', null, 0n) })).toEqual([]);
    expect(compareDay(plan, { day: 2, chains: chains('C', 10_000_000, 0n) })).toEqual([]);
    expect(compareDay(plan, { day: 2, chains: chains('C', 9_999, 0n) }).map((m) => m.what)).toEqual(['lcr', 'lcr', 'lcr']);
  });

  it('reports a day the plan does not have', () => {
    expect(compareDay(plan, { day: 9, chains: [] })).toHaveLength(1);
  });
});

describe('investorCash', () => {
  it('counts days from each request to its last payment, and the unpaid ones', () => {
    const r = investorCash([
      { investor: 1, chain: 'spoke-b', day: 1, amount: 5n, paidDay: null },
      { investor: 0, chain: 'spoke-a', day: 1, amount: 5n, paidDay: 1 },
      { investor: 0, chain: 'spoke-a', day: 2, amount: 7n, paidDay: 6 },
    ]);
    expect(r).toEqual([
      { investor: 0, chain: 'spoke-a', requests: 2, requested: '12', daysToCash: [0, 4], maxDaysToCash: 4, unpaid: 0 },
      { investor: 1, chain: 'spoke-b', requests: 1, requested: '5', daysToCash: [], maxDaysToCash: null, unpaid: 1 },
    ]);
  });
});

describe('buildReplayReport and replayTable', () => {
  const shown: DayShown[] = [
    { day: 0, chains: chains('A', 14_213, 15n) },
    { day: 1, chains: chains('B', 7_546, 15n) },
    { day: 2, chains: chains('C', null, 0n) },
  ];

  it('is ok when every chain showed the predicted stage every day, and says so', () => {
    const r = buildReplayReport(plan, shown, [{ investor: 0, chain: 'spoke-a', day: 1, amount: 5n, paidDay: 1 }]);
    expect(r.ok).toBe(true);
    expect(r.chains).toEqual(['hub', 'spoke-a', 'spoke-b']);
    expect(r.byDay[1]).toMatchObject({ predicted: { stage: 'B', lcrBps: 7_546, buyBack: '15' }, shown: [{ chain: 'hub', stage: 'B', lcrBps: 7_546, poolCash: '15' }, {}, {}] });
    const t = replayTable(r);
    expect(t).toContain('replay abc: 2 days on hub, spoke-a, spoke-b');
    expect(t).toContain('day   pred    LCR pred   MC      hub         LCR        buy-back  spoke-a         LCR        buy-back  spoke-b');
    expect(t).toMatch(/^ {2}1 {2}\s+B {2}\s+75\.46% {2}\s+B {2}\s+B {2}\s+75\.46% {2}\s+15 {2}\s+B/m);
    expect(t).toContain('every chain showed the predicted stage, LCR and buy-back pool every day');
  });

  it('is not ok when a chain showed another stage, and prints the mismatch with a mark in the table', () => {
    const bad = shown.map((d) => (d.day === 1 ? { day: 1, chains: chains('B', 7_546, 15n, 'A') } : d));
    const r = buildReplayReport(plan, bad, []);
    expect(r.ok).toBe(false);
    const t = replayTable(r);
    expect(t).toContain('MISMATCH day 1 hub stage: predicted B, shown A');
    expect(t).toContain('A!');
    expect(t).toContain('1 stage mismatch(es)');
  });

  it('stays ok for an LCR or pool mismatch alone (printed, not a stage the report did not predict)', () => {
    const r = buildReplayReport(plan, [{ day: 0, chains: chains('A', 14_000, 15n) }], []);
    expect(r.ok).toBe(true);
    expect(r.mismatches).toHaveLength(3);
  });
});
