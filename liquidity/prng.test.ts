import { describe, expect, it } from 'vitest';
import { mulberry32 } from './prng.js';

describe('mulberry32', () => {
  it('gives the same stream for the same seed and another for another seed', () => {
    const take = (seed: number) => {
      const r = mulberry32(seed);
      return Array.from({ length: 5 }, () => r.next());
    };
    expect(take(42)).toEqual(take(42));
    expect(take(42)).not.toEqual(take(43));
  });

  it('stays in range and covers it', () => {
    const r = mulberry32(7);
    const xs = Array.from({ length: 10_000 }, () => r.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
    const ints = new Set(Array.from({ length: 1_000 }, () => r.int(1, 30)));
    expect([...ints].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(r.uniform(0.3, 0.3)).toBe(0.3);
  });
});
