import { describe, expect, it } from 'vitest';
import { keccak256, stringToBytes, type Address } from 'viem';
import { holdingsProblems, navOrderProblems, settlementProblems, type NavRound, type PostedNav, type PostedSettlement } from './exactly-once.js';

const A: Address = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const B: Address = '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65';
const s = (nonce: bigint, investor: Address = A, amount = 100n): PostedSettlement => ({ nonce, ref: keccak256(stringToBytes(`REF-${nonce}`)), investor, amount });

describe('settlementProblems', () => {
  const posted = [s(3n), s(5n, B), s(8n)];

  it('holds when each posted settlement is applied once, in any order', () => {
    expect(settlementProblems('hub', posted, [s(8n), s(3n), s(5n, B)])).toEqual([]);
  });

  it('names a settlement applied twice, one missing, one never posted for the chain, one altered', () => {
    const altered = { ...s(5n, B), amount: 101n };
    const problems = settlementProblems('hub', posted, [s(3n), s(3n), altered, s(9n)]);
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^hub: nonce 3 .* applied more than once$/);
    expect(problems[1]).toMatch(/nonce 5 .*101\) applied, posted as nonce 5 .*100\)$/);
    expect(problems[2]).toMatch(/nonce 9 .* applied but not posted for this chain$/);
    expect(problems[3]).toMatch(/nonce 8 .* not applied$/);
  });

  it('compares investors whatever their letter case', () => {
    expect(settlementProblems('hub', [s(1n)], [{ ...s(1n), investor: A.toLowerCase() as Address }])).toEqual([]);
  });
});

describe('holdingsProblems', () => {
  const posted = [s(1n, A, 10n), s(2n, A, 5n), s(3n, B, 7n)];

  it('holds when each balance is the sum of its settlements', () => {
    expect(holdingsProblems('spoke-a', posted, new Map([[A.toLowerCase() as Address, 15n], [B, 7n]]))).toEqual([]);
  });

  it('names a balance off its sum and a holder with no settlement', () => {
    const C: Address = '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc';
    expect(holdingsProblems('spoke-a', posted, new Map([[A, 25n], [B, 7n], [C, 1n]]))).toEqual([
      `spoke-a: ${A} holds 25, its settlements sum to 15`,
      `spoke-a: ${C} holds 1, its settlements sum to 0`,
    ]);
  });

  it('names a posted investor the chain shows nothing for', () => {
    expect(holdingsProblems('spoke-a', posted, new Map([[A, 15n]]))).toEqual([`spoke-a: ${B} holds 0, its settlements sum to 7`]);
  });
});

describe('navOrderProblems', () => {
  const posted: PostedNav[] = [
    { nonce: 4n, nav: 100n, asOf: 10n },
    { nonce: 9n, nav: 101n, asOf: 11n },
    { nonce: 12n, nav: 102n, asOf: 12n },
  ];
  const rounds: NavRound[] = posted.map((p, i) => ({ roundId: BigInt(i + 1), nav: p.nav, asOf: p.asOf }));

  it('holds when the rounds count up and carry the posted NAVs in order', () => {
    expect(navOrderProblems('spoke-b', posted, rounds, [4n, 9n, 12n])).toEqual([]);
  });

  it('holds from a later first round (NAVs before the run)', () => {
    expect(navOrderProblems('spoke-b', posted, rounds.map((r) => ({ ...r, roundId: r.roundId + 7n })), [4n, 9n, 12n])).toEqual([]);
  });

  it('names two NAVs applied out of order', () => {
    const swapped = [rounds[0]!, { ...rounds[2]!, roundId: 2n }, { ...rounds[1]!, roundId: 3n }];
    const problems = navOrderProblems('spoke-b', posted, swapped, [4n, 12n, 9n]);
    expect(problems).toContain('spoke-b: round 2 is nav 102 asOf 12, NAV #2 posted was nav 101 asOf 11');
    expect(problems).toContain('spoke-b: NAV nonce 9 applied after nonce 12');
  });

  it('names a skipped round, a missing NAV and a NAV applied twice', () => {
    expect(navOrderProblems('hub', posted, [rounds[0]!, { ...rounds[1]!, roundId: 3n }], [4n, 9n])).toEqual([
      'hub: round 3 follows round 1',
      'hub: 2 NAV rounds, 3 posted',
      'hub: NAV nonces applied [4, 9], posted [4, 9, 12]',
    ]);
    expect(navOrderProblems('hub', posted, [...rounds, { roundId: 4n, nav: 102n, asOf: 12n }], [4n, 9n, 12n, 12n])).toEqual([
      'hub: round 4 (nav 102, asOf 12) beyond the 3 posted',
      'hub: NAV nonce 12 applied after nonce 12',
      'hub: NAV nonces applied [4, 9, 12, 12], posted [4, 9, 12]',
    ]);
  });
});
