import { describe, expect, it, vi } from 'vitest';
import { finishesWithin, watchParent } from './lifecycle.js';

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

describe('watchParent', () => {
  it('calls back once when the parent process changes (the starter died and this one was re-parented), not before', () => {
    vi.useFakeTimers();
    try {
      let ppid = 4242;
      let gone = 0;
      watchParent(() => gone++, 5, () => ppid);
      vi.advanceTimersByTime(50);
      expect(gone).toBe(0);
      ppid = 1;
      vi.advanceTimersByTime(5);
      expect(gone).toBe(1);
      vi.advanceTimersByTime(50);
      expect(gone).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
