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

export type RetryDecision = { action: 'retry'; delayMs: number } | { action: 'dead'; reason: string };

/**
 * `attempt` counts failures the message itself may cause; an unreachable chain is retried forever (capped backoff)
 * because an outage says nothing about the message.
 */
export function decideRetry(attempt: number, retryable: boolean, reason: string, policy: BackoffPolicy, random: number, chainUnreachable = false): RetryDecision {
  // Probe an unreachable chain every 4-8 base delays (1-2 s by default): soon back after an outage, no busy loop.
  if (chainUnreachable) return { action: 'retry', delayMs: Math.round(Math.min(policy.capMs, policy.baseMs * 4 * (1 + random))) };
  if (!retryable) return { action: 'dead', reason };
  if (attempt >= policy.maxAttempts) return { action: 'dead', reason: `gave up after ${attempt} attempts: ${reason}` };
  return { action: 'retry', delayMs: backoffDelay(attempt, policy, random) };
}
