import type { Failure } from './errors.js';

/**
 * Retry policy as pure functions, so every step is table-tested.
 * Backoff: base * 2^(attempt-1), capped, with +-jitter (fraction of the delay) from an injected random in [0, 1).
 */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  jitter: number;
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 250, capMs: 30_000, jitter: 0.2, maxAttempts: 12 };

/** Parked fulfilments: 5 s, 10 s ... every 5 minutes at most, for as long as the chain refuses them. */
export const PARK_BACKOFF: BackoffPolicy = { baseMs: 5_000, capMs: 300_000, jitter: 0.2, maxAttempts: Number.POSITIVE_INFINITY };

/** A DID the chain refuses for now (cap exhausted, asset paused): 2 s, 4 s ... every minute at most, no limit. */
export const DID_WAIT_BACKOFF: BackoffPolicy = { baseMs: 2_000, capMs: 60_000, jitter: 0.2, maxAttempts: Number.POSITIVE_INFINITY };

/** CCIP executions ending FAILURE a delivery may have before it is parked with an alert. */
export const MAX_CCIP_EXECUTIONS = 5;

export function backoffDelay(attempt: number, policy: BackoffPolicy, random: number): number {
  if (attempt < 1) return 0;
  const raw = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt - 1, 30));
  const spread = raw * policy.jitter * (2 * random - 1);
  return Math.max(0, Math.round(Math.min(policy.capMs, raw + spread)));
}

/** The worker's next step for a failed job: what it writes to the outbox, and nothing else. */
export type FailureDecision =
  /** The chain says the message is already there: ask it which message did it, then settle. */
  | { action: 'check-chain' }
  /** Hold every delivery to the chain and probe again after `delayMs`; no attempt is counted. */
  | { action: 'block-chain'; delayMs: number }
  /** Out of the chain's order (later attestations go on), tried again after `delayMs`, without a limit. */
  | { action: 'park'; attempts: number; delayMs: number; alert: boolean; reason: string }
  /** The DID waits alone, with its own backoff and no attempt limit; other DIDs go on. */
  | { action: 'wait-did'; attempts: number; delayMs: number }
  /** Tried again in the chain's order after `delayMs`; `reexecute`: a CCIP execution, on the same source send. */
  | { action: 'retry'; attempts: number; delayMs: number; reexecute: boolean }
  | { action: 'dead'; attempts: number; reason: string };

/** What about the job itself bears on the decision. */
export interface FailedJob {
  /** Failures counted so far. */
  attempts: number;
  /**
   * `fulfilment`: a redemption fulfilment (parked when the redemption stage refuses it); `move-leg`: a move's in leg
   * or a return (parked whenever the chain refuses it for now: the oracle voids the move once its patience is over);
   * `none`: any other attestation.
   */
  parking: 'fulfilment' | 'move-leg' | 'none';
}

export interface FailurePolicies {
  policy: BackoffPolicy;
  parkPolicy: BackoffPolicy;
  didWaitPolicy: BackoffPolicy;
  maxCcipExecutions: number;
}

/**
 * The whole retry / park / dead-letter rule, a function of the failure's kind and the job alone. The order matters:
 * a stage refusal parks a fulfilment before anything else; a blocked chain is never a move leg's fault; a move leg
 * the chain refuses for any retryable reason is parked so it never holds the chain's other deliveries.
 */
export function decideFailure(f: Failure, job: FailedJob, p: FailurePolicies, random: number): FailureDecision {
  const attempts = job.attempts + 1;
  if (f.kind === 'applied') return { action: 'check-chain' };
  if (f.kind === 'wait-stage' && job.parking === 'fulfilment') {
    return { action: 'park', attempts, delayMs: backoffDelay(attempts, p.parkPolicy, random), alert: false, reason: f.reason };
  }
  // Probe a blocked chain every 4-8 base delays (1-2 s by default): soon back after an outage, no busy loop.
  if (f.kind === 'blocked-chain') return { action: 'block-chain', delayMs: Math.round(Math.min(p.policy.capMs, p.policy.baseMs * 4 * (1 + random))) };
  if (f.kind !== 'dead-letter' && job.parking === 'move-leg') {
    return { action: 'park', attempts, delayMs: backoffDelay(attempts, p.parkPolicy, random), alert: false, reason: f.reason };
  }
  switch (f.kind) {
    case 'wait-stage':
    case 'wait-did':
      return { action: 'wait-did', attempts, delayMs: backoffDelay(attempts, p.didWaitPolicy, random) };
    case 'ccip-execution-failed':
      if (attempts < p.maxCcipExecutions) return { action: 'retry', attempts, delayMs: backoffDelay(attempts, p.policy, random), reexecute: true };
      return { action: 'park', attempts, delayMs: backoffDelay(attempts, p.parkPolicy, random), alert: true, reason: `parked after ${attempts} failed CCIP executions: ${f.reason}` };
    case 'dead-letter':
      return { action: 'dead', attempts, reason: f.reason };
    case 'retryable':
      if (attempts >= p.policy.maxAttempts) return { action: 'dead', attempts, reason: `gave up after ${attempts} attempts: ${f.reason}` };
      return { action: 'retry', attempts, delayMs: backoffDelay(attempts, p.policy, random), reexecute: false };
  }
}
