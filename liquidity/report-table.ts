import { formatLcr } from './lcr.js';
import type { Percentiles, StressReport } from './montecarlo.js';

const lcr = (v: number | null): string => formatLcr(v);
const pct = (share: number): string => `${(share * 100).toFixed(1)}%`;
const row = (cells: string[], widths: number[]): string => cells.map((c, i) => c.padStart(widths[i] ?? 8)).join('  ');

function triple(p: Percentiles | null, show: (v: number | null) => string): string {
  return p === null ? '-' : `p5 ${show(p.p5)}  p50 ${show(p.p50)}  p95 ${show(p.p95)}`;
}

/** The report as the plain-text table the command prints (and docs/liquidity.md shows). */
export function reportTable(r: StressReport): string {
  const lines = [
    `scenario ${r.scenario}: ${r.runs} runs, seed ${r.seed}, ${r.days} days, LCR horizon ${r.horizonDays} days`,
    `LCR on day 0     ${triple(r.lcrStartBps, lcr)}`,
    `lowest LCR       ${triple(r.lcrMinBps, lcr)}`,
    `cash gap         ${pct(r.breakProbability)} of runs; breaking day ${triple(r.breakDay, (v) => (v === null ? '-' : String(v)))}`,
    '',
  ];
  const widths = [3, 10, 10, 10, 5, 7, 7, 7];
  lines.push(row(['day', 'LCR p5', 'LCR p50', 'LCR p95', 'stage', 'A', 'B', 'C'], widths));
  for (const d of r.byDay) {
    lines.push(
      row(
        [String(d.day), lcr(d.lcrBps.p5), lcr(d.lcrBps.p50), lcr(d.lcrBps.p95), d.stage, pct(d.stageShare.A), pct(d.stageShare.B), pct(d.stageShare.C)],
        widths,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
