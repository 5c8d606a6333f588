import { describe, expect, it } from 'vitest';
import { finishesWithin } from './lifecycle.js';

describe('finishesWithin', () => {
  it('is true for a stop that ends before the deadline', async () => {
    expect(await finishesWithin(1_000, async () => undefined)).toBe(true);
  });

  it('is false for a stop that never ends, at the deadline', async () => {
    const started = Date.now();
    expect(await finishesWithin(50, () => new Promise<void>(() => undefined))).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('passes on a stop that throws', async () => {
    await expect(finishesWithin(1_000, async () => Promise.reject(new Error('db locked')))).rejects.toThrow('db locked');
  });
});
