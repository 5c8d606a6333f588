import { describe, expect, it } from 'vitest';
import { backoffDelay, decideRetry, DEFAULT_BACKOFF, type BackoffPolicy } from './retry.js';

const policy: BackoffPolicy = { baseMs: 100, capMs: 5_000, jitter: 0.2, maxAttempts: 5 };

describe('backoff', () => {
  it.each([
    [0, 0.5, 0],
    [1, 0.5, 100],
    [2, 0.5, 200],
    [3, 0.5, 400],
    [6, 0.5, 3_200],
    [7, 0.5, 5_000],
    [60, 0.5, 5_000],
    [1, 0, 80],
    [1, 0.999999, 120],
    [7, 0.999999, 5_000],
  ])('attempt %i with random %f waits %i ms', (attempt, random, expected) => {
    expect(backoffDelay(attempt, policy, random)).toBe(expected);
  });

  it('never exceeds the cap nor goes negative', () => {
    for (let a = 0; a < 100; a++) for (const r of [0, 0.3, 0.99]) {
      const d = backoffDelay(a, DEFAULT_BACKOFF, r);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(DEFAULT_BACKOFF.capMs);
    }
  });
});

describe('retry decision', () => {
  it.each([
    [1, true, 'retry'],
    [4, true, 'retry'],
    [5, true, 'dead'],
    [1, false, 'dead'],
  ] as const)('attempt %i retryable %s -> %s', (attempt, retryable, action) => {
    expect(decideRetry(attempt, retryable, 'why', policy, 0.5).action).toBe(action);
  });

  it('retries an unreachable chain forever, with capped backoff', () => {
    for (const attempt of [1, 5, 50, 500]) {
      const d = decideRetry(attempt, true, 'rpc: fetch failed', policy, 0.5, true);
      expect(d.action).toBe('retry');
      if (d.action === 'retry') expect(d.delayMs).toBeLessThanOrEqual(policy.capMs);
    }
  });

  it('keeps the reason in the dead letter', () => {
    const d = decideRetry(5, true, 'rpc: timeout', policy, 0.5);
    expect(d).toEqual({ action: 'dead', reason: 'gave up after 5 attempts: rpc: timeout' });
  });
});
