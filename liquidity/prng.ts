/**
 * A small seeded pseudo-random generator (mulberry32: a 32-bit state stepped by a Weyl constant, then mixed by two
 * multiply-xorshift rounds). Not for secrets; for reproducible Monte Carlo runs: the same seed gives the same stream
 * on every machine, since it uses only 32-bit integer arithmetic (Math.imul, >>>).
 */
export interface Prng {
  /** A float in [0, 1). */
  next(): number;
  /** A float uniform in [min, max]; exactly `min` when min == max. */
  uniform(min: number, max: number): number;
  /** An integer uniform in [min, max] (both inclusive). */
  int(min: number, max: number): number;
}

export function mulberry32(seed: number): Prng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    uniform: (min, max) => (min === max ? min : min + (max - min) * next()),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
  };
}
