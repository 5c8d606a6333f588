import { describe, expect, it } from 'vitest';
import { loopBackoffMs, runPeriodic } from './periodic.js';

const until = async (cond: () => boolean, what: string, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('runPeriodic', () => {
  it('runs passes, backs off after failures with the failure count, and resets it after a success', async () => {
    const outcomes = [new Error('a'), new Error('b'), undefined, new Error('c'), undefined];
    let passes = 0;
    const backoffs: number[] = [];
    const errors: string[] = [];
    const loop = runPeriodic(
      async () => {
        const o = outcomes[passes++];
        if (o) throw o;
      },
      { everyMs: 1, backoffMs: (n) => (backoffs.push(n), 1), onError: (err) => errors.push((err as Error).message) },
    );
    await until(() => passes >= outcomes.length, 'five passes');
    await loop.stop();
    expect(errors).toEqual(['a', 'b', 'c']);
    expect(backoffs).toEqual([1, 2, 1]);
  });

  it('wakes early when notified, and stop() waits for the pass in progress', async () => {
    let passes = 0;
    let finished = 0;
    const loop = runPeriodic(
      async () => {
        passes += 1;
        await new Promise((r) => setTimeout(r, 20));
        finished += 1;
      },
      { everyMs: 60_000, backoffMs: () => 60_000, onError: () => undefined },
    );
    await until(() => finished === 1, 'the first pass');
    loop.wakeup.notify();
    await until(() => passes === 2, 'a second pass after notify, long before everyMs');
    await loop.stop();
    expect(finished).toBe(2);
  });

  it('caps the services backoff at 30 s', () => {
    expect([1, 2, 3, 7, 8, 20].map(loopBackoffMs)).toEqual([500, 1_000, 2_000, 30_000, 30_000, 30_000]);
  });
});
