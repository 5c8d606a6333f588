import { RwaError } from '../common/errors.js';

/** An input the liquidity tools cannot use (a negative amount, a bps share above 100%, a bad scenario): never retryable. */
export class LiquidityInputError extends RwaError<'invalid_liquidity_input'> {
  override readonly name = 'LiquidityInputError';
  /** The dotted path of the field at fault, e.g. `buckets.1.haircutBps`. */
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`, { code: 'invalid_liquidity_input', retryable: false, details: { field } });
    this.field = field;
  }
}

/** Refuse a negative bigint, naming its field. */
export function nonNegative(field: string, value: bigint): bigint {
  if (value < 0n) throw new LiquidityInputError(field, 'must not be negative');
  return value;
}

/** Refuse a basis-point share that is not an integer in 0..10_000, naming its field. */
export function bps(field: string, value: number): bigint {
  if (!Number.isInteger(value) || value < 0 || value > 10_000) throw new LiquidityInputError(field, 'must be an integer from 0 to 10000 (bps)');
  return BigInt(value);
}

/** Refuse a day count that is not a non-negative integer, naming its field. */
export function days(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new LiquidityInputError(field, 'must be a non-negative integer (days)');
  return value;
}
