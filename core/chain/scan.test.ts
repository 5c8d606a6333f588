import { describe, expect, it } from 'vitest';
import { nextRange, reportAwaiting } from './scan.js';

describe('nextRange', () => {
  it.each([
    ['no cursor: from the start block', undefined, 5n, 100n, 1000n, { from: 5n, to: 100n }],
    ['a cursor within reach of the safe head', 90n, 0n, 100n, 1000n, { from: 90n, to: 100n }],
    ['a long way behind: one span at a time', 0n, 0n, 5000n, 1000n, { from: 0n, to: 999n }],
    ['the cursor at the safe head: one block', 100n, 0n, 100n, 1000n, { from: 100n, to: 100n }],
    ['the cursor past the safe head: nothing', 101n, 0n, 100n, 1000n, undefined],
  ])('%s', (_name, cursor, start, safe, span, expected) => {
    expect(nextRange(cursor, start, safe, span)).toEqual(expected);
  });
});

describe('reportAwaiting', () => {
  it('reports every awaiting row page after page, passing over those left or failed so they never starve the rest', async () => {
    // 7 rows awaiting; rows 1 and 4 cannot be reported yet (left), row 2 fails, row 5 existed already.
    const awaiting = new Set([0, 1, 2, 3, 4, 5, 6]);
    const page = (limit: number, offset: number) => [...awaiting].slice(offset, offset + limit);
    const errors: number[] = [];
    const created = await reportAwaiting(
      page,
      async (row: number) => {
        if (row === 1 || row === 4) return 'left' as const;
        if (row === 2) throw new Error('chain unreadable');
        awaiting.delete(row);
        return row === 5 ? ('existing' as const) : `attestation-${row}`;
      },
      (row) => errors.push(row),
      2,
    );
    expect(created).toEqual(['attestation-0', 'attestation-3', 'attestation-6']);
    expect(errors).toEqual([2]);
    expect([...awaiting]).toEqual([1, 2, 4]);
  });
});
