import { describe, expect, it } from 'vitest';
import { checkAmount, checkNav, checkNotInFuture, checkRedemptionCovered, checkSettlementApplies } from './rules.js';

describe('oracle rules', () => {
  it.each([
    [0n, 'amount_not_positive'],
    [-1n, 'amount_not_positive'],
    [1n, undefined],
    [(1n << 128n) - 1n, undefined],
    [1n << 128n, 'amount_too_large'],
  ])('amount %s -> %s', (amount, code) => {
    expect(checkAmount(amount)?.code).toBe(code);
  });

  it.each([
    [1000n, 1000n, 0, undefined],
    [1001n, 1000n, 0, 'time_in_future'],
    [1300n, 1000n, 300, undefined],
    [1301n, 1000n, 300, 'time_in_future'],
  ])('time %s at now %s with skew %s -> %s', (at, now, skew, code) => {
    const r = checkNotInFuture('settledAt', at, now, skew);
    expect(r?.code).toBe(code);
    if (r) expect(r.field).toBe('settledAt');
  });

  it.each([
    [5n, 5n, undefined],
    [6n, 5n, 'insufficient_holdings'],
  ])('redeem %s with balance %s -> %s', (amount, balance, code) => {
    expect(checkRedemptionCovered(amount, balance)?.code).toBe(code);
  });

  const prev = { nav: 100_000_000n, asOf: 1_000n };
  it.each([
    ['first NAV any positive value', { nav: 1n, asOf: 1n }, undefined, undefined],
    ['zero NAV', { nav: 0n, asOf: 2_000n }, prev, 'nav_not_positive'],
    ['NAV past uint192', { nav: 1n << 192n, asOf: 2_000n }, prev, 'nav_too_large'],
    ['same as-of', { nav: 100_000_000n, asOf: 1_000n }, prev, 'nav_not_newer'],
    ['older as-of', { nav: 100_000_000n, asOf: 999n }, prev, 'nav_not_newer'],
    ['move exactly 5%', { nav: 105_000_000n, asOf: 2_000n }, prev, undefined],
    ['move down exactly 5%', { nav: 95_000_000n, asOf: 2_000n }, prev, undefined],
    ['move just over 5%', { nav: 105_000_001n, asOf: 2_000n }, prev, 'nav_move_too_large'],
    ['move down just over 5%', { nav: 94_999_999n, asOf: 2_000n }, prev, 'nav_move_too_large'],
  ] as const)('%s', (_name, next, previous, code) => {
    expect(checkNav(next, previous, 500)?.code).toBe(code);
  });
});

describe('settlement must apply on its chain', () => {
  const chain = { configured: true, totalSupply: 900n, supplyCap: 1_000n, paused: false, investorAllowed: true, investorBalance: 50n };
  it.each([
    ['subscription within the cap', 'subscription', 100n, chain, undefined],
    ['subscription past the cap', 'subscription', 101n, chain, 'exceeds_reserve_budget'],
    ['subscription to an investor off the list', 'subscription', 1n, { ...chain, investorAllowed: false }, 'investor_not_allowed'],
    ['anything while paused', 'subscription', 1n, { ...chain, paused: true }, 'asset_paused'],
    ['redemption while paused', 'redemption', 1n, { ...chain, paused: true }, 'asset_paused'],
    ['anything before the DID is configured', 'redemption', 1n, { ...chain, configured: false }, 'did_not_configured'],
    ['redemption within holdings, even off the list', 'redemption', 50n, { ...chain, investorAllowed: false }, undefined],
    ['redemption past holdings', 'redemption', 51n, chain, 'insufficient_holdings'],
  ] as const)('%s', (_name, kind, amount, state, code) => {
    expect(checkSettlementApplies(kind, amount, state)?.code).toBe(code);
  });
});
