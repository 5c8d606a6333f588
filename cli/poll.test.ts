import { describe, expect, it } from 'vitest';
import { pollUntil } from './poll.js';

describe('pollUntil', () => {
  it('reads until done holds and returns that value', async () => {
    let n = 0;
    const v = await pollUntil(async () => ++n, (x) => x >= 3, 10_000, () => {
      throw new Error('timed out');
    });
    expect(v).toBe(3);
    expect(n).toBe(3);
  });

  it('hands the last value to onTimeout past the deadline', async () => {
    let n = 0;
    await expect(
      pollUntil(async () => ++n, () => false, 1, (last) => {
        throw new Error(`last ${last}`);
      }),
    ).rejects.toThrow(/^last \d+$/);
    expect(n).toBeGreaterThanOrEqual(2);
  });
});
