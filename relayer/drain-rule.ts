/**
 * When a queued settlement can be applied: the token bucket of its (DID, chain, direction) as RwaReceiver keeps it
 * (kind 14 brakes), refilled continuously and capped at its capacity. Pure, so the keeper's decision has table tests.
 */

/** A bucket as last written on chain: `tokens` at `updatedAt` (unix seconds). */
export interface BucketState {
  tokens: bigint;
  updatedAt: bigint;
}

/** The limit of one direction: capacity 0 = no limit. */
export interface BucketLimit {
  capacity: bigint;
  refillPerSecond: bigint;
}

/** The tokens a bucket holds at `now`: what it held plus the refill since, never above capacity. */
export function availableAt(limit: BucketLimit, state: BucketState, now: bigint): bigint {
  const elapsed = now > state.updatedAt ? now - state.updatedAt : 0n;
  const filled = state.tokens + elapsed * limit.refillPerSecond;
  return filled > limit.capacity ? limit.capacity : filled;
}

/**
 * How many queued items, from the head and in order, the bucket lets apply at `now` (the receiver applies the
 * queue strictly in order, so it stops at the first that does not fit). No limit (capacity 0): all of them.
 * At most `maxItems`.
 */
export function drainableCount(limit: BucketLimit, state: BucketState, amounts: readonly bigint[], now: bigint, maxItems: number): number {
  if (limit.capacity === 0n) return Math.min(amounts.length, maxItems);
  let left = availableAt(limit, state, now);
  let n = 0;
  for (const amount of amounts) {
    if (n >= maxItems || amount > left) break;
    left -= amount;
    n += 1;
  }
  return n;
}

/**
 * Seconds from `now` until the head item fits, or undefined when it never will under this limit (an amount above
 * the capacity: only a raised capacity lets it through). 0 when it fits now.
 */
export function secondsUntilHeadFits(limit: BucketLimit, state: BucketState, head: bigint, now: bigint): bigint | undefined {
  if (limit.capacity === 0n) return 0n;
  if (head > limit.capacity) return undefined;
  const available = availableAt(limit, state, now);
  if (head <= available) return 0n;
  if (limit.refillPerSecond === 0n) return undefined;
  const missing = head - available;
  return (missing + limit.refillPerSecond - 1n) / limit.refillPerSecond;
}
