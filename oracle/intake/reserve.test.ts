import { describe, expect, it } from 'vitest';
import { splitReserve, type ChainSupply } from './reserve.js';

/** Chains 31337, 31338, ... with [supply, cap in force]. */
const chains = (...states: (readonly [bigint, bigint])[]): ChainSupply[] =>
  states.map(([supply, capInForce], i) => ({ chainId: BigInt(31337 + i), supply, capInForce }));
const fresh = (...supplies: bigint[]) => chains(...supplies.map((s) => [s, 0n] as const));

/** What a receiver requires before a cap raises its chain: every chain's max(cap, ceiling) fits the reserve. */
const covered = (caps: { cap: bigint; ceiling: bigint }[]) => caps.reduce((a, c) => a + (c.cap > c.ceiling ? c.cap : c.ceiling), 0n);

describe('reserve split into per-chain mint budgets', () => {
  it.each([
    ['empty chains, even split', 300n, fresh(0n, 0n, 0n), [100n, 100n, 100n]],
    ['remainder to the first chain', 301n, fresh(0n, 0n, 0n), [101n, 100n, 100n]],
    ['each keeps its supply plus a share', 1_000n, fresh(400n, 100n, 200n), [500n, 200n, 300n]],
    ['reserve exactly the supply', 700n, fresh(400n, 100n, 200n), [400n, 100n, 200n]],
    ['one chain', 5n, fresh(2n), [5n]],
    // Caps in force count as ceilings: both 500s could still be minted, so 1000 - 1000 = 0 is shared out; nobody is lowered.
    ['keeps each chain at its ceiling, shares only what the ceilings leave', 1_000n, chains([100n, 500n], [100n, 500n]), [500n, 500n]],
    ['a signed mint not yet applied keeps its budget (no cap drops to the supply)', 1_001n, chains([100n, 500n], [100n, 500n]), [501n, 500n]],
    ['shares what the ceilings leave on top of them', 1_000n, chains([100n, 100n], [100n, 500n]), [300n, 700n]],
    ['reserve below the ceilings: lowers only, never above a ceiling', 600n, chains([100n, 500n], [100n, 500n]), [300n, 300n]],
  ] as const)('%s', (_name, reserve, states, expected) => {
    const r = splitReserve(reserve, states);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.caps.map((c) => c.cap)).toEqual(expected);
    expect(r.caps.reduce((a, c) => a + c.cap, 0n)).toBeLessThanOrEqual(reserve);
    for (const [i, c] of r.caps.entries()) {
      const s = states[i]!;
      expect(c.cap).toBeGreaterThanOrEqual(s.supply);
      expect(c.ceiling).toBe(s.supply > s.capInForce ? s.supply : s.capInForce);
      // Every cap that raises its chain is one the receiver applies: the ceilings and caps together fit the reserve.
      if (c.cap > s.capInForce) expect(covered(r.caps)).toBeLessThanOrEqual(reserve);
    }
  });

  it.each([
    ['reserve below supply', 699n, fresh(400n, 100n, 200n), /does not cover the supply 700/],
    ['no chains', 1n, fresh(), /no known chain/],
    ['cap past uint128', 1n << 129n, fresh(0n), /2\^128/],
  ] as const)('refuses %s', (_name, reserve, states, message) => {
    const r = splitReserve(reserve, states);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});
