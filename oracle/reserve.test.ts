import { describe, expect, it } from 'vitest';
import { splitReserve } from './reserve.js';

const chains = (...supplies: bigint[]) => supplies.map((supply, i) => ({ chainId: BigInt(31337 + i), supply }));

describe('reserve split into per-chain mint budgets', () => {
  it.each([
    ['empty chains, even split', 300n, chains(0n, 0n, 0n), [100n, 100n, 100n]],
    ['remainder to the first chain', 301n, chains(0n, 0n, 0n), [101n, 100n, 100n]],
    ['each keeps its supply plus a share', 1_000n, chains(400n, 100n, 200n), [500n, 200n, 300n]],
    ['reserve exactly the supply', 700n, chains(400n, 100n, 200n), [400n, 100n, 200n]],
    ['one chain', 5n, chains(2n), [5n]],
  ] as const)('%s', (_name, reserve, supplies, expected) => {
    const r = splitReserve(reserve, supplies);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.caps.map((c) => c.cap)).toEqual(expected);
    expect(r.caps.reduce((a, c) => a + c.cap, 0n)).toBe(reserve);
    for (const [i, c] of r.caps.entries()) expect(c.cap).toBeGreaterThanOrEqual(supplies[i]!.supply);
  });

  it.each([
    ['reserve below supply', 699n, chains(400n, 100n, 200n), /does not cover the supply 700/],
    ['no chains', 1n, chains(), /no known chain/],
    ['cap past uint128', 1n << 129n, chains(0n), /2\^128/],
  ] as const)('refuses %s', (_name, reserve, supplies, message) => {
    const r = splitReserve(reserve, supplies);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});
