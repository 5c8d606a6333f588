import { describe, expect, it } from 'vitest';
import { stageFor } from './redemption-rule.js';

const policy = { stageBBps: 100, stageCBps: 300, windowSeconds: 7 * 86_400, emergency: false };
const fresh = { stage: 0, reason: 0, since: 0n };
const NOW = 1_800_000_000n;

describe('stageFor (the hub stage rule)', () => {
  it.each([
    // [dayRequested, pool, stage, reason]
    [0n, 1_000_000n, 1, 0],
    [10_000n, 1_000_000n, 1, 0], // exactly 1%: still A
    [10_099n, 1_000_000n, 1, 0], // 1.0099% floors to 100 bps: A
    [10_100n, 1_000_000n, 2, 1], // 101 bps: B
    [30_000n, 1_000_000n, 2, 1], // exactly 3%: still B
    [30_100n, 1_000_000n, 3, 1], // 301 bps: C
    [2_000_000n, 1_000_000n, 3, 1], // more than the pool
    [0n, 0n, 3, 1], // no pool
  ] as const)('%s of %s -> stage %i, reason %i', (day, pool, stage, reason) => {
    expect(stageFor(policy, day, pool, fresh, NOW)).toEqual({ stage, reason });
  });

  it('puts an emergency in C whatever the pressure', () => {
    expect(stageFor({ ...policy, emergency: true }, 0n, 1_000_000n, fresh, NOW)).toEqual({ stage: 3, reason: 2 });
  });

  it('follows the issuer’s thresholds', () => {
    expect(stageFor({ ...policy, stageBBps: 50, stageCBps: 60 }, 5_500n, 1_000_000n, fresh, NOW)).toEqual({ stage: 2, reason: 1 });
    expect(stageFor({ ...policy, stageBBps: 50, stageCBps: 60 }, 6_100n, 1_000_000n, fresh, NOW)).toEqual({ stage: 3, reason: 1 });
  });

  it.each([
    // [current stage, reason, seconds since it began, today's requests, expected stage, reason]
    [3, 1, 86_400, 0n, 3, 1], // C by pressure, a day later, no pressure: held
    [3, 1, 7 * 86_400 - 1, 0n, 3, 1], // one second before the window ends: held
    [3, 1, 7 * 86_400, 0n, 1, 0], // the window has passed: falls to what the pressure says
    [3, 1, 86_400, 20_000n, 3, 1], // B pressure under a held C: still C
    [2, 1, 86_400, 40_000n, 3, 1], // higher pressure during a hold: raised at once
    [3, 2, 60, 0n, 1, 0], // C by an emergency that was lifted: falls at once
  ] as const)('current %i (reason %i) after %i s with %s requested today -> %i (%i)', (stage, reason, elapsed, day, want, wantReason) => {
    const current = { stage, reason, since: NOW - BigInt(elapsed) };
    expect(stageFor(policy, day, 1_000_000n, current, NOW)).toEqual({ stage: want, reason: wantReason });
  });
});
