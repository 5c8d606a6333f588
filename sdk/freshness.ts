/**
 * Freshness of a NAV feed and the "do not use" rule, as pure arithmetic on the values the chain returns. Same rule
 * as RwaNavFeed.isStale(): stale when no NAV was ever applied, or when `now > asOf + heartbeat` (strictly later;
 * at exactly asOf + heartbeat the NAV is still fresh). All times are unix seconds as bigint.
 */

export type RedemptionStageName = 'A' | 'B' | 'C';

/** Why a NAV should not be used: each reason is listed, in this order. */
export type DoNotUseReason = 'no_data' | 'stale' | 'paused' | 'halted';

export interface FreshnessInput {
  /** 0n when no NAV was ever applied on the chain. */
  roundId: bigint;
  /** The NAV's as-of time (RwaNavFeed returns it as `updatedAt`); 0n when no NAV yet. */
  asOf: bigint;
  heartbeat: bigint;
  /** The chain's time the values were read at (block timestamp), or the caller's clock. */
  now: bigint;
  /** The DID's token is paused on this chain: nothing moves. */
  paused: boolean;
  stage: RedemptionStageName;
  /** The issuer's emergency flag of the redemption policy in force on this chain. */
  emergency: boolean;
}

export interface Freshness {
  /** Seconds since the as-of time; undefined without a NAV. */
  ageSeconds: bigint | undefined;
  /** When the next NAV is due: asOf + heartbeat; undefined without a NAV. */
  nextDueBy: bigint | undefined;
  /** Seconds until `nextDueBy` (negative when overdue); undefined without a NAV. */
  dueInSeconds: bigint | undefined;
  stale: boolean;
  /** Redemptions halted: stage C, or the emergency flag (which halts before the hub's stage C arrives). */
  halted: boolean;
  doNotUse: boolean;
  reasons: DoNotUseReason[];
}

export function freshnessOf(i: FreshnessInput): Freshness {
  const hasData = i.roundId !== 0n && i.asOf !== 0n;
  const nextDueBy = hasData ? i.asOf + i.heartbeat : undefined;
  const stale = nextDueBy === undefined || i.now > nextDueBy;
  const halted = i.stage === 'C' || i.emergency;
  const reasons: DoNotUseReason[] = [];
  if (!hasData) reasons.push('no_data');
  else if (stale) reasons.push('stale');
  if (i.paused) reasons.push('paused');
  if (halted) reasons.push('halted');
  return {
    ageSeconds: hasData ? i.now - i.asOf : undefined,
    nextDueBy,
    dueInSeconds: nextDueBy === undefined ? undefined : nextDueBy - i.now,
    stale,
    halted,
    doNotUse: reasons.length > 0,
    reasons,
  };
}

/** RwaRedemptions' stage code (1..3; stageOf already reads a never-set 0 as 1) as a name. */
export function stageName(code: number): RedemptionStageName {
  const name = (['A', 'A', 'B', 'C'] as const)[code];
  if (name === undefined) throw new RangeError(`not a redemption stage code: ${code}`);
  return name;
}
