import { describe, expect, it } from 'vitest';
import { stageFor } from './redemption-rule.js';

const policy = { stageBBps: 100, stageCBps: 300, emergency: false };

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
    expect(stageFor(policy, day, pool)).toEqual({ stage, reason });
  });

  it('puts an emergency in C whatever the pressure', () => {
    expect(stageFor({ ...policy, emergency: true }, 0n, 1_000_000n)).toEqual({ stage: 3, reason: 2 });
  });

  it('follows the issuer’s thresholds', () => {
    expect(stageFor({ stageBBps: 50, stageCBps: 60, emergency: false }, 5_500n, 1_000_000n)).toEqual({ stage: 2, reason: 1 });
    expect(stageFor({ stageBBps: 50, stageCBps: 60, emergency: false }, 6_100n, 1_000_000n)).toEqual({ stage: 3, reason: 1 });
  });
});
