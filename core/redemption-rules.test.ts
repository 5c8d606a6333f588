import { describe, expect, it } from 'vitest';
import type { RequestState } from './chain/redemption-types.js';
import { checkFulfilment, checkPins, dailyRateBps, dayOf } from './redemption-rules.js';

const req = (over: Partial<RequestState> = {}): RequestState => ({
  owner: '0x90F79bf6EB2c4f870365E785982E1f101E93b906',
  amount: 700n,
  fulfilled: 0n,
  requestedAt: 1_800_000_000n,
  cancelled: false,
  accepted: true,
  ...over,
});

describe('checkFulfilment', () => {
  it.each([
    ['an unknown request', 1n, undefined, 0n, 0n, { code: 'unknown_request', field: 'requestId' }],
    ['a cancelled request', 1n, req({ cancelled: true }), 700n, 0n, { code: 'request_closed', field: 'requestId' }],
    ['a request not accepted yet', 1n, req({ accepted: false }), 700n, 0n, { code: 'not_accepted', field: 'requestId' }],
    ['a request fulfilled in full', 1n, req({ fulfilled: 700n }), 0n, 0n, { code: 'request_closed', field: 'requestId' }],
    ['a request whose remainder is pending on chain', 1n, req({ fulfilled: 300n }), 400n, 400n, { code: 'request_closed', field: 'requestId' }],
    ['more than the remainder', 401n, req({ fulfilled: 300n }), 400n, 0n, { code: 'exceeds_request', field: 'amount' }],
    ['more than the remainder less what is pending', 201n, req({ fulfilled: 300n }), 400n, 200n, { code: 'exceeds_request', field: 'amount' }],
    ['more than the stage allows (stage C: 0)', 1n, req(), 0n, 0n, { code: 'exceeds_allowance', field: 'amount' }],
    ['more than the instalment (stage B: 100 of 700)', 101n, req(), 100n, 0n, { code: 'exceeds_allowance', field: 'amount' }],
    ['an instalment already spent by a pending fulfilment', 1n, req(), 100n, 100n, { code: 'exceeds_allowance', field: 'amount' }],
  ])('refuses %s', (_name, amount, request, allowance, pending, expected) => {
    expect(checkFulfilment(amount, request, allowance, pending)).toMatchObject(expected);
  });

  it.each([
    ['the whole request in stage A', 700n, req(), 700n, 0n],
    ['exactly the instalment in stage B', 100n, req(), 100n, 0n],
    ['the rest of an instalment beside a pending part', 60n, req(), 100n, 40n],
    ['the last part of a partly fulfilled request', 400n, req({ fulfilled: 300n }), 400n, 0n],
  ])('accepts %s', (_name, amount, request, allowance, pending) => {
    expect(checkFulfilment(amount, request, allowance, pending)).toBeUndefined();
  });
});

describe('checkPins', () => {
  it.each([
    ['one pin per chain', [31337, 31338], [{ chainId: 31338 }, { chainId: 31337 }], undefined],
    ['a missing chain', [31337, 31338], [{ chainId: 31337 }], 'no pinned block for chain(s) 31338'],
    ['a chain pinned twice', [31337], [{ chainId: 31337 }, { chainId: 31337 }], 'chain 31337 is pinned twice'],
    ['a chain that is not enabled', [31337], [{ chainId: 31337 }, { chainId: 1 }], 'chain 1 is not enabled for the DID'],
  ])('%s', (_name, expected, pins, message) => {
    const r = checkPins(expected, pins);
    if (message === undefined) expect(r).toBeUndefined();
    else expect(r).toEqual({ code: 'pins_mismatch', field: 'pins', message });
  });
});

describe('dailyRateBps and dayOf', () => {
  it('floors the share in basis points and has none for an empty pool', () => {
    expect(dailyRateBps(150n, 10_000n)).toBe(150);
    expect(dailyRateBps(1n, 30_000n)).toBe(0);
    expect(dailyRateBps(5n, 0n)).toBeUndefined();
  });
  it('counts days from the unix epoch in UTC', () => {
    expect(dayOf(86_399n)).toBe(0);
    expect(dayOf(86_400)).toBe(1);
  });
});
