import { describe, expect, it } from 'vitest';
import { reportChart } from './chart.js';
import type { StressReport } from './montecarlo.js';

const report: StressReport = {
  scenario: 'x<y',
  runs: 10,
  seed: 1,
  days: 2,
  horizonDays: 7,
  lcrStartBps: { p5: 9_000, p50: 12_000, p95: 14_000 },
  lcrMinBps: { p5: 6_000, p50: 8_000, p95: 9_000 },
  breakProbability: 0.5,
  breakDay: { p5: 1, p50: 2, p95: 2 },
  byDay: [
    { day: 0, lcrBps: { p5: 9_000, p50: 12_000, p95: 14_000 }, stage: 'A', stageShare: { A: 1, B: 0, C: 0 } },
    { day: 1, lcrBps: { p5: 6_000, p50: 8_000, p95: 9_000 }, stage: 'B', stageShare: { A: 0, B: 1, C: 0 } },
    { day: 2, lcrBps: { p5: 3_000, p50: null, p95: null }, stage: 'C', stageShare: { A: 0, B: 0, C: 1 } },
  ],
};

describe('reportChart', () => {
  const svg = reportChart(report, { stageBBelowBps: 10_000, stageCBelowBps: 7_000 });

  it('draws the band lines, the median, one stage cell per day and escapes the title', () => {
    expect(svg).toContain('stage B below 100%');
    expect(svg).toContain('stage C below 70%');
    expect(svg.match(/<polyline /g)).toHaveLength(1);
    expect(svg.match(/<rect x=/g)).toHaveLength(3);
    expect(svg).toContain('fill="#c8423b" stroke="#ffffff"'); // day 2 at C
    expect(svg).toContain('x&lt;y');
    expect(svg).toContain('median breaking day 2');
  });

  it('puts 100% and an unbounded LCR where the axis says (top 150%, plot 280 px from y=40)', () => {
    // y(bps) = 40 + 280 - bps / 15_000 * 280: 100% -> 133.3; unbounded -> the top, 40.0
    // x(day) = 60 + (day + 0.5) * 740 / 3 (3 days, each the middle of its stage cell): 183.3, 430.0, 676.7
    expect(svg).toContain('y1="133.3" y2="133.3" stroke="#e0a526"');
    expect(svg).toMatch(/<polyline points="183\.3,[\d.]+ 430\.0,[\d.]+ 676\.7,40\.0"/);
  });
});
