import { describe, expect, it } from 'vitest';
import { freshnessOf, stageName, type FreshnessInput } from './freshness.js';

const HOUR = 3600n;
const base: FreshnessInput = { roundId: 4n, asOf: 1_800_000_000n, heartbeat: 24n * HOUR, now: 1_800_000_000n + HOUR, paused: false, stage: 'A', emergency: false };

describe('freshnessOf', () => {
  it('a NAV within its heartbeat is usable; due by asOf + heartbeat', () => {
    expect(freshnessOf(base)).toEqual({ ageSeconds: HOUR, nextDueBy: base.asOf + 24n * HOUR, dueInSeconds: 23n * HOUR, stale: false, halted: false, doNotUse: false, reasons: [] });
  });

  it.each([
    ['one second before the deadline', 24n * HOUR - 1n, false],
    ['at exactly asOf + heartbeat (the contract compares strictly)', 24n * HOUR, false],
    ['one second past the deadline', 24n * HOUR + 1n, true],
  ])('%s: stale %s', (_, age, stale) => {
    const f = freshnessOf({ ...base, now: base.asOf + age });
    expect(f.stale).toBe(stale);
    expect(f.doNotUse).toBe(stale);
    expect(f.reasons).toEqual(stale ? ['stale'] : []);
    expect(f.dueInSeconds).toBe(24n * HOUR - age);
  });

  it('no NAV yet (round 0): no data, stale, nothing due', () => {
    const f = freshnessOf({ ...base, roundId: 0n, asOf: 0n });
    expect(f).toMatchObject({ stale: true, doNotUse: true, reasons: ['no_data'], ageSeconds: undefined, nextDueBy: undefined, dueInSeconds: undefined });
  });

  it('a chain whose clock is behind the as-of time gives a negative age, not a stale NAV', () => {
    const f = freshnessOf({ ...base, now: base.asOf - 10n });
    expect(f.ageSeconds).toBe(-10n);
    expect(f.stale).toBe(false);
  });

  it.each([
    ['paused', { paused: true }, ['paused'], false],
    ['stage C', { stage: 'C' }, ['halted'], true],
    ['the emergency flag before stage C arrives', { emergency: true }, ['halted'], true],
    ['stage B (instalments, still priced)', { stage: 'B' }, [], false],
  ] as const)('%s', (_, over, reasons, halted) => {
    const f = freshnessOf({ ...base, ...over });
    expect(f.reasons).toEqual(reasons);
    expect(f.halted).toBe(halted);
    expect(f.doNotUse).toBe(reasons.length > 0);
  });

  it('lists every reason at once, in order', () => {
    expect(freshnessOf({ ...base, now: base.asOf + 25n * HOUR, paused: true, stage: 'C' }).reasons).toEqual(['stale', 'paused', 'halted']);
  });
});

describe('stageName', () => {
  it('maps the contract codes (0 never set reads as A)', () => {
    expect([0, 1, 2, 3].map(stageName)).toEqual(['A', 'A', 'B', 'C']);
  });
  it('refuses a code the contract never returns', () => {
    expect(() => stageName(4)).toThrow(RangeError);
  });
});
