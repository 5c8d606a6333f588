import type { StressReport } from './montecarlo.js';

const W = 820;
const H = 440;
const LEFT = 60;
const RIGHT = 20;
const TOP = 40;
const PLOT_H = 280;
const STRIP_Y = TOP + PLOT_H + 40;
const STRIP_H = 22;
const STAGE_COLOUR = { A: '#3a9d5d', B: '#e0a526', C: '#c8423b' } as const;

/**
 * The report as a hand-written SVG: the LCR band (p5 to p95, shaded) and its median per day, the 100% (stage B)
 * and 70% (stage C) lines of the default bands, and under it a strip with the median run's stage each day. LCRs
 * above the top of the axis (and unbounded ones: no outflow left) are drawn at the top.
 */
export function reportChart(r: StressReport, bands: { stageBBelowBps: number; stageCBelowBps: number }): string {
  const finite = r.byDay.flatMap((d) => [d.lcrBps.p95, d.lcrBps.p50]).filter((v): v is number => v !== null);
  const top = Math.min(30_000, Math.max(15_000, Math.ceil(Math.max(0, ...finite) / 2_500) * 2_500));
  const plotW = W - LEFT - RIGHT;
  const cell = plotW / (r.days + 1);
  /** Day d is drawn at the middle of its cell in the stage strip, so the lines and the strip line up. */
  const x = (day: number): number => LEFT + (day + 0.5) * cell;
  const y = (bps: number | null): number => TOP + PLOT_H - (Math.min(bps ?? top, top) / top) * PLOT_H;
  const pt = (day: number, bps: number | null): string => `${x(day).toFixed(1)},${y(bps).toFixed(1)}`;
  const upper = r.byDay.map((d) => pt(d.day, d.lcrBps.p95));
  const lower = [...r.byDay].reverse().map((d) => pt(d.day, d.lcrBps.p5));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${LEFT}" y="22" font-size="15" font-weight="bold">${escapeXml(r.scenario)}: LCR per day (p5-p95 band, p50 line), ${r.runs} runs, seed ${r.seed}</text>`,
  ];
  for (let v = 0; v <= top; v += top / 6) {
    out.push(`<line x1="${LEFT}" x2="${W - RIGHT}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#eeeeee"/>`);
    out.push(`<text x="${LEFT - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${Math.round(v / 100)}%</text>`);
  }
  out.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="#4a78c2" fill-opacity="0.25" stroke="none"/>`);
  out.push(`<polyline points="${r.byDay.map((d) => pt(d.day, d.lcrBps.p50)).join(' ')}" fill="none" stroke="#1f4e99" stroke-width="2"/>`);
  for (const [bps, label, colour] of [
    [bands.stageBBelowBps, 'stage B below', STAGE_COLOUR.B],
    [bands.stageCBelowBps, 'stage C below', STAGE_COLOUR.C],
  ] as const) {
    if (bps > top) continue;
    out.push(`<line x1="${LEFT}" x2="${W - RIGHT}" y1="${y(bps).toFixed(1)}" y2="${y(bps).toFixed(1)}" stroke="${colour}" stroke-dasharray="6 4" stroke-width="1.5"/>`);
    out.push(`<text x="${W - RIGHT - 4}" y="${(y(bps) - 4).toFixed(1)}" text-anchor="end" fill="${colour}">${label} ${bps / 100}%</text>`);
  }
  out.push(`<line x1="${LEFT}" x2="${LEFT}" y1="${TOP}" y2="${TOP + PLOT_H}" stroke="#333333"/>`);
  out.push(`<line x1="${LEFT}" x2="${W - RIGHT}" y1="${TOP + PLOT_H}" y2="${TOP + PLOT_H}" stroke="#333333"/>`);
  const tick = Math.max(1, Math.ceil(r.days / 15));
  for (let d = 0; d <= r.days; d += tick) out.push(`<text x="${x(d).toFixed(1)}" y="${TOP + PLOT_H + 16}" text-anchor="middle">${d}</text>`);
  out.push(`<text x="${W - RIGHT}" y="${TOP + PLOT_H + 30}" text-anchor="end">day</text>`);
  out.push(`<text x="${LEFT - 6}" y="${STRIP_Y + 15}" text-anchor="end">stage</text>`);
  for (const d of r.byDay) {
    const cx = LEFT + d.day * cell;
    out.push(`<rect x="${cx.toFixed(1)}" y="${STRIP_Y}" width="${cell.toFixed(1)}" height="${STRIP_H}" fill="${STAGE_COLOUR[d.stage]}" stroke="#ffffff"/>`);
    if (cell >= 12) out.push(`<text x="${(cx + cell / 2).toFixed(1)}" y="${STRIP_Y + 15}" text-anchor="middle" fill="#ffffff">${d.stage}</text>`);
  }
  const gap = r.breakDay === null ? 'no cash gap in any run' : `cash gap in ${(r.breakProbability * 100).toFixed(1)}% of runs, median breaking day ${r.breakDay.p50}`;
  out.push(`<text x="${LEFT}" y="${STRIP_Y + STRIP_H + 20}">${gap}; strip: the median run's stage (A green, B amber, C red)</text>`);
  out.push(`<text x="${LEFT}" y="${STRIP_Y + STRIP_H + 36}" fill="#666666">an LCR above the axis, or unbounded (no outflow left in the horizon), is drawn at the top</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
