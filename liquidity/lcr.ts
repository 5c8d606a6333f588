import { bps, days, nonNegative } from './errors.js';

export type BucketKind = 'cash' | 'tbill' | 'other';

export interface LiquidBucket {
  kind: BucketKind;
  /** Value today in the pool's smallest unit. */
  amount: bigint;
  /** Discount taken when turning it into cash, in bps of its value. */
  haircutBps: number;
  /** Days until it is cash (0: cash now). */
  daysToCash: number;
}

export interface LcrInput {
  buckets: readonly LiquidBucket[];
  horizonDays: number;
  /** Redemption requests already made and not yet paid, in the pool's unit. */
  openRequests: bigint;
  /** The policy's stress rate: the share of the pool assumed to leave within the horizon, in bps. */
  stressRateBps: number;
  /** The asset pool's value, in the pool's unit. */
  poolValue: bigint;
}

export interface LcrResult {
  /** Liquid assets after haircuts within the horizon. */
  liquid: bigint;
  /** Projected net outflows over the horizon. */
  outflows: bigint;
  /** floor(10_000 * liquid / outflows); null when there is no outflow. */
  lcrBps: bigint | null;
}

const BPS = 10_000n;

/** The value a bucket adds to the liquid assets of a horizon: after its haircut, zero if it is not cash in time. */
export function liquidValue(bucket: LiquidBucket, horizonDays: number, field = 'bucket'): bigint {
  const amount = nonNegative(`${field}.amount`, bucket.amount);
  const haircut = bps(`${field}.haircutBps`, bucket.haircutBps);
  const lag = days(`${field}.daysToCash`, bucket.daysToCash);
  if (lag > horizonDays) return 0n;
  return (amount * (BPS - haircut)) / BPS;
}

/**
 * The liquidity coverage ratio (LCR) of an asset pool over a horizon of H days:
 *
 * ```
 *           sum over buckets b with daysToCash_b <= H of  floor(amount_b * (10_000 - haircutBps_b) / 10_000)
 * LCR   =   ------------------------------------------------------------------------------------------------
 *                       openRequests + floor(stressRateBps * poolValue / 10_000)
 *
 * lcrBps = floor(10_000 * liquid / outflows)          (10_000 bps = 100%)
 * ```
 *
 * - liquid assets: each bucket (cash, T-bills, other) counts at its value after its haircut, and only if it can be
 *   turned into cash within the horizon (`daysToCash <= horizonDays`); a bucket that needs longer counts zero.
 * - projected net outflows over the horizon: the open redemption requests plus the policy's stress rate times the pool.
 * - arithmetic: bigint end to end, amounts in the pool's smallest unit; every division rounds down (floor), each
 *   bucket's haircut on its own, so the ratio is never overstated by rounding.
 * - no outflow (zero open requests and a zero stress rate or empty pool): `lcrBps` is `null`, read as "covered
 *   without limit" (the bands map it to stage A).
 * - a negative amount, a bps share outside 0..10_000 or a negative day count throws LiquidityInputError naming the field.
 */
export function computeLcr(input: LcrInput): LcrResult {
  const horizon = days('horizonDays', input.horizonDays);
  const open = nonNegative('openRequests', input.openRequests);
  const stress = bps('stressRateBps', input.stressRateBps);
  const pool = nonNegative('poolValue', input.poolValue);
  let liquid = 0n;
  input.buckets.forEach((b, i) => {
    liquid += liquidValue(b, horizon, `buckets.${i}`);
  });
  const outflows = open + (stress * pool) / BPS;
  return { liquid, outflows, lcrBps: outflows === 0n ? null : (BPS * liquid) / outflows };
}

/** An LCR in bps as a percentage string with two decimals ("123.00%"), or "unbounded" for no outflow. */
export function formatLcr(lcrBps: bigint | number | null): string {
  if (lcrBps === null) return 'unbounded';
  const v = BigInt(lcrBps);
  return `${v / 100n}.${(v % 100n).toString().padStart(2, '0')}%`;
}
