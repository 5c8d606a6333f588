import { describe, expect, it } from 'vitest';
import { nextRange } from './chain-scan.js';

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
