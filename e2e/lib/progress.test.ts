import { describe, expect, it } from 'vitest';
import { deadline, progressLine, throttle } from './progress.js';

describe('progressLine', () => {
  it('shows time, applied over all chains with the rate, each chain, posting and faults', () => {
    const line = progressLine({
      elapsedMs: 40_400,
      remainingMs: 109_600,
      posted: 600,
      toPost: 1_000,
      chains: [
        { name: 'hub', applied: 140, expected: 353 },
        { name: 'spoke-a', applied: 130, expected: 353 },
        { name: 'spoke-b', applied: 134, expected: 354, down: true },
      ],
      faults: ['relayer killed 1x', 'spoke-b down'],
    });
    expect(line).toBe('40 s (110 s left): applied 404/1060 (38.1%, 10.0/s) | hub 140/353 spoke-a 130/353 spoke-b 134/354 (down) | posted 600/1000 | relayer killed 1x, spoke-b down');
  });

  it('says why a chain could not be read', () => {
    const line = progressLine({ elapsedMs: 1_000, remainingMs: 1_000, posted: 1, toPost: 1, chains: [{ name: 'hub', applied: 0, expected: 1, error: 'HTTP request failed' }], faults: [] });
    expect(line).toContain('| hub 0/1 (unreadable: HTTP request failed) |');
  });

  it('copes with nothing elapsed, nothing expected and a passed deadline', () => {
    expect(progressLine({ elapsedMs: 0, remainingMs: -5_000, posted: 0, toPost: 0, chains: [], faults: [] })).toBe('0 s (0 s left): applied 0/0 (100%, 0.0/s) |  | posted 0/0');
  });
});

describe('deadline', () => {
  it('counts down from its start to zero, never below', () => {
    let t = 1_000;
    const d = deadline(1_000, 5_000, () => t);
    expect(d.remainingMs()).toBe(5_000);
    t = 4_500;
    expect(d.remainingMs()).toBe(1_500);
    expect(d.elapsedMs()).toBe(3_500);
    t = 9_000;
    expect(d.remainingMs()).toBe(0);
  });
});

describe('throttle', () => {
  it('says yes first, then at most once per interval', () => {
    let t = 0;
    const due = throttle(5_000, () => t);
    const at = (ms: number) => ((t = ms), due());
    expect([at(0), at(100), at(4_999), at(5_000), at(9_000), at(10_001)]).toEqual([true, false, false, true, false, true]);
  });
});
