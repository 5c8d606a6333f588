import { describe, expect, it } from 'vitest';
import type { Failure } from './errors.js';
import { backoffDelay, decideFailure, DEFAULT_BACKOFF, type BackoffPolicy, type FailedJob, type FailureDecision, type FailurePolicies } from './retry.js';

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

const policies: FailurePolicies = {
  policy,
  parkPolicy: { baseMs: 1_000, capMs: 60_000, jitter: 0.2, maxAttempts: Number.POSITIVE_INFINITY },
  didWaitPolicy: { baseMs: 500, capMs: 20_000, jitter: 0.2, maxAttempts: Number.POSITIVE_INFINITY },
  maxCcipExecutions: 3,
};

const F = {
  applied: { kind: 'applied', reason: 'NonceAlreadyUsed' },
  blocked: { kind: 'blocked-chain', reason: 'rpc: fetch failed', cause: 'rpc' },
  stage: { kind: 'wait-stage', reason: 'reverted: RedemptionsHalted', revert: 'RedemptionsHalted' },
  did: { kind: 'wait-did', reason: 'reverted: AssetPaused', revert: 'AssetPaused' },
  ccip: { kind: 'ccip-execution-failed', reason: 'execution FAILURE' },
  retry: { kind: 'retryable', reason: 'why' },
  dead: { kind: 'dead-letter', reason: 'reverted: StaleAsOf' },
} as const satisfies Record<string, Failure>;

describe('failure decision', () => {
  // [failure, attempts so far, parking, expected decision] at random 0.5 (no jitter).
  it.each([
    [F.applied, 0, 'none', { action: 'check-chain' }],
    [F.applied, 3, 'fulfilment', { action: 'check-chain' }],
    [F.blocked, 0, 'none', { action: 'block-chain', delayMs: 600 }],
    [F.blocked, 500, 'none', { action: 'block-chain', delayMs: 600 }],
    [F.blocked, 0, 'fulfilment', { action: 'block-chain', delayMs: 600 }],
    [F.blocked, 0, 'move-leg', { action: 'block-chain', delayMs: 600 }],
    [F.stage, 0, 'fulfilment', { action: 'park', attempts: 1, delayMs: 1_000, alert: false, reason: 'reverted: RedemptionsHalted' }],
    [F.stage, 0, 'none', { action: 'wait-did', attempts: 1, delayMs: 500 }],
    [F.stage, 0, 'move-leg', { action: 'park', attempts: 1, delayMs: 1_000, alert: false, reason: 'reverted: RedemptionsHalted' }],
    [F.did, 0, 'none', { action: 'wait-did', attempts: 1, delayMs: 500 }],
    [F.did, 99, 'none', { action: 'wait-did', attempts: 100, delayMs: 20_000 }],
    [F.did, 0, 'fulfilment', { action: 'wait-did', attempts: 1, delayMs: 500 }],
    [F.did, 2, 'move-leg', { action: 'park', attempts: 3, delayMs: 4_000, alert: false, reason: 'reverted: AssetPaused' }],
    [F.ccip, 0, 'none', { action: 'retry', attempts: 1, delayMs: 100, reexecute: true }],
    [F.ccip, 1, 'none', { action: 'retry', attempts: 2, delayMs: 200, reexecute: true }],
    [F.ccip, 2, 'none', { action: 'park', attempts: 3, delayMs: 4_000, alert: true, reason: 'parked after 3 failed CCIP executions: execution FAILURE' }],
    [F.ccip, 0, 'move-leg', { action: 'park', attempts: 1, delayMs: 1_000, alert: false, reason: 'execution FAILURE' }],
    [F.retry, 0, 'none', { action: 'retry', attempts: 1, delayMs: 100, reexecute: false }],
    [F.retry, 3, 'fulfilment', { action: 'retry', attempts: 4, delayMs: 800, reexecute: false }],
    [F.retry, 4, 'none', { action: 'dead', attempts: 5, reason: 'gave up after 5 attempts: why' }],
    [F.retry, 4, 'move-leg', { action: 'park', attempts: 5, delayMs: 16_000, alert: false, reason: 'why' }],
    [F.dead, 0, 'none', { action: 'dead', attempts: 1, reason: 'reverted: StaleAsOf' }],
    [F.dead, 0, 'fulfilment', { action: 'dead', attempts: 1, reason: 'reverted: StaleAsOf' }],
    [F.dead, 0, 'move-leg', { action: 'dead', attempts: 1, reason: 'reverted: StaleAsOf' }],
  ] as const satisfies readonly (readonly [Failure, number, FailedJob['parking'], FailureDecision])[])('%o after %i attempts (%s) -> %o', (failure, attempts, parking, expected) => {
    expect(decideFailure(failure, { attempts, parking }, policies, 0.5)).toEqual(expected);
  });

  it('probes a blocked chain forever within the cap, whatever the random', () => {
    for (const random of [0, 0.5, 0.999999]) {
      const d = decideFailure(F.blocked, { attempts: 10_000, parking: 'none' }, policies, random);
      expect(d.action).toBe('block-chain');
      if (d.action === 'block-chain') expect(d.delayMs).toBeLessThanOrEqual(policy.capMs);
    }
  });
});
