/** The arithmetic of the block-time bench: percentiles, rates, gas per settlement and the ratio to the chain's limit. */

/** Nearest-rank percentile (p in [0, 1]) of the samples; undefined without samples. */
export function percentile(xs: readonly number[], p: number): number | undefined {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile: p must be within [0, 1], got ${p}`);
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)];
}

/** Events per second over a window; undefined for an empty or zero-length window. */
export function perSecond(count: number, seconds: number): number | undefined {
  return seconds > 0 ? count / seconds : undefined;
}

/** Gas paid per settlement delivered; undefined when nothing was delivered. */
export function gasPerSettlement(gas: bigint, settlements: number): number | undefined {
  return settlements > 0 ? Number(gas) / settlements : undefined;
}

/**
 * The most settlements per second a chain can apply: a block's gas limit over the gas one settlement takes, per block
 * time. Undefined under automine (block time 0: a block per transaction, no block-time bound) or without a gas figure.
 */
export function limitPerSecond(blockGasLimit: bigint, gasPerItem: number | undefined, blockTimeS: number): number | undefined {
  if (blockTimeS <= 0 || gasPerItem === undefined || gasPerItem <= 0) return undefined;
  return Number(blockGasLimit) / gasPerItem / blockTimeS;
}

/** measured / limit, undefined when either is unknown. */
export function ratio(measured: number | undefined, limit: number | undefined): number | undefined {
  return measured === undefined || limit === undefined || limit <= 0 ? undefined : measured / limit;
}

/** Adds the defined values; undefined if any is undefined (a limit over chains needs every chain's). */
export function sumAll(xs: readonly (number | undefined)[]): number | undefined {
  let sum = 0;
  for (const x of xs) {
    if (x === undefined) return undefined;
    sum += x;
  }
  return sum;
}
