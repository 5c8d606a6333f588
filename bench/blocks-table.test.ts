import { describe, expect, it } from 'vitest';
import type { Row } from './blocks-report.js';
import { fmtGas, fmtMs, fmtRate, fmtRatio, renderPeers, renderRows, TABLE_HEADER } from './blocks-table.js';

const all: Row = {
  blockTimeS: 2,
  scope: 'all (3)',
  acceptedPerS: 28.04,
  appliedPerS: 0.7,
  limitPerS: 585.2,
  appliedToLimit: 0.7 / 585.2,
  acceptedToLimit: 28.04 / 585.2,
  postP50Ms: 756,
  postP99Ms: 965,
  latencyP50Ms: 41_200,
  latencyP99Ms: 95_300,
  isolatedP50Blocks: 2,
  isolatedP99Blocks: 3,
  isolatedP50Ms: 3100,
  isolatedP99Ms: 5200,
  gasPerSettlement: 110_354.4,
  perBlock: 271.8,
  status: 'PARTIAL: 84/300 applied by the deadline (300 posted)',
};
const hub: Row = { blockTimeS: 2, scope: 'hub', appliedPerS: 0.25, limitPerS: 125, appliedToLimit: 0.002, gasPerSettlement: 120_387, perBlock: 249.2, status: '10 applied' };

describe('formats', () => {
  it.each([
    [fmtRate(0.7), '0.70'],
    [fmtRate(28.04), '28.0'],
    [fmtRate(585.2), '585'],
    [fmtRate(undefined), '-'],
    [fmtRatio(0.7 / 585.2), '0.12%'],
    [fmtRatio(0.25), '25.0%'],
    [fmtRatio(undefined), '-'],
    [fmtMs(756.4), '756 ms'],
    [fmtMs(41_230), '41.2 s'],
    [fmtMs(undefined), '-'],
    [fmtGas(77_450.4), '77,450'],
    [fmtGas(undefined), '-'],
  ])('%s is %s', (got, want) => expect(got).toBe(want));
});

describe('renderRows', () => {
  const lines = renderRows([all, hub]).split('\n');

  it('is one markdown table: header, rule, a row per scope, all columns aligned', () => {
    expect(lines).toHaveLength(4);
    expect(lines[0]!.split('|').slice(1, -1).map((c) => c.trim())).toEqual([...TABLE_HEADER]);
    expect(lines[1]).toMatch(/^\|(-+\|)+$/);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });

  it('writes the block time on the row over all chains, latency also in blocks, isolated in blocks', () => {
    const cells = lines[2]!.split('|').map((c) => c.trim());
    expect(cells.slice(1, 14)).toEqual([
      '2 s',
      'all (3)',
      '28.0',
      '0.70',
      '585',
      '0.12%',
      '4.8%',
      '756 ms / 965 ms',
      '41.2 s / 95.3 s (20.6 / 47.6 blocks)',
      '2 / 3 blocks (3.1 s / 5.2 s)',
      '110,354',
      '271',
      'PARTIAL: 84/300 applied by the deadline (300 posted)',
    ]);
    const chainCells = lines[3]!.split('|').map((c) => c.trim());
    expect(chainCells.slice(1, 4)).toEqual(['', 'hub', '-']);
  });

  it('says n/a for the limit under automine, and latency in time only', () => {
    const row = renderRows([{ ...all, blockTimeS: 0, limitPerS: undefined, appliedToLimit: undefined, acceptedToLimit: undefined }]).split('\n')[2]!;
    const cells = row.split('|').map((c) => c.trim());
    expect(cells[1]).toBe('automine');
    expect(cells[5]).toBe('n/a (automine)');
    expect(cells[9]).toBe('41.2 s / 95.3 s');
  });
});

describe('renderPeers', () => {
  it("puts each peer's gas beside ours as a ratio, per block time", () => {
    const text = renderPeers([{ peer: 'Circle CCTP v1', gas: 75_790, cell: '75,790' }], [all, hub, { ...all, blockTimeS: 12, gasPerSettlement: undefined }]);
    const rows = text.split('\n');
    expect(rows[0]).toContain('ours ÷ peer, 2 s');
    expect(rows[0]).toContain('ours ÷ peer, 12 s');
    expect(rows[2]!.split('|').map((c) => c.trim()).slice(1, 5)).toEqual(['Circle CCTP v1', '75,790', '1.46', '-']);
  });
});
