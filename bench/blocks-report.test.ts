import { describe, expect, it } from 'vitest';
import { roundRows, type ChainRound, type RoundResult } from './blocks-report.js';

const chain = (name: string, gas: bigint, applied: number, latencyMs: number[]): ChainRound => ({
  name,
  chainId: name.length,
  blockGasLimit: 30_000_000n,
  blocks: 100,
  relayerGas: gas,
  relayerTxs: applied,
  settlementsApplied: applied,
  latencyMs,
});

const round = (over: Partial<RoundResult> = {}): RoundResult => ({
  blockTimeS: 2,
  requested: 150,
  posted: 150,
  accepted: 150,
  refused: 0,
  acceptSeconds: 5,
  applied: 150,
  e2eSeconds: 200,
  partial: false,
  latencyMs: Array.from({ length: 150 }, (_, i) => (i + 1) * 1000),
  postMs: Array.from({ length: 150 }, (_, i) => i + 1),
  isolated: { blocks: [1, 2, 1, 3, 2], ms: [2000, 4000, 2000, 6000, 4000], missed: 0, idle: true },
  chains: [chain('hub', 77_000n * 50n, 50, Array(50).fill(1000)), chain('spoke-a', 100_000n * 50n, 50, Array(50).fill(2000)), chain('spoke-b', 150_000n * 50n, 50, Array(50).fill(3000))],
  ...over,
});

describe('roundRows', () => {
  it('puts the row over all chains first: rates, the summed limit, the ratios, latency and gas', () => {
    const [all, hub, a, b] = roundRows(round());
    expect(all!.scope).toBe('all (3)');
    expect(all!.acceptedPerS).toBe(30);
    expect(all!.appliedPerS).toBe(0.75);
    // 30 M / gas / 2 s per chain, summed.
    const limit = 30e6 / 77_000 / 2 + 30e6 / 100_000 / 2 + 30e6 / 150_000 / 2;
    expect(all!.limitPerS).toBeCloseTo(limit, 6);
    expect(all!.appliedToLimit).toBeCloseTo(0.75 / limit, 9);
    expect(all!.acceptedToLimit).toBeCloseTo(30 / limit, 9);
    expect(all!.postP50Ms).toBe(75);
    expect(all!.postP99Ms).toBe(149);
    expect(all!.latencyP50Ms).toBe(75_000);
    expect(all!.latencyP99Ms).toBe(149_000);
    expect(all!.isolatedP50Blocks).toBe(2);
    expect(all!.isolatedP99Blocks).toBe(3);
    expect(all!.gasPerSettlement).toBeCloseTo((77_000 + 100_000 + 150_000) / 3, 6);
    expect(all!.status).toBe('complete: 150/150 applied');
    expect([hub!.scope, a!.scope, b!.scope]).toEqual(['hub', 'spoke-a', 'spoke-b']);
  });

  it("gives each chain its own gas, limit and ratio from that chain's blocks", () => {
    const [, hub, , b] = roundRows(round());
    expect(hub!.gasPerSettlement).toBe(77_000);
    expect(hub!.limitPerS).toBeCloseTo(30e6 / 77_000 / 2, 6);
    expect(hub!.appliedPerS).toBe(0.25);
    expect(hub!.appliedToLimit).toBeCloseTo(0.25 / (30e6 / 77_000 / 2), 9);
    expect(hub!.perBlock).toBeCloseTo(30e6 / 77_000, 6);
    expect(b!.latencyP50Ms).toBe(3000);
    expect(hub!.acceptedPerS).toBeUndefined();
    expect(hub!.postP50Ms).toBeUndefined();
  });

  it('has no limit under automine, and flags a partial round with what it reached', () => {
    const [all] = roundRows(round({ blockTimeS: 0, partial: true, applied: 84, posted: 150, refused: 2, isolated: { blocks: [], ms: [], missed: 1, idle: false } }));
    expect(all!.limitPerS).toBeUndefined();
    expect(all!.appliedToLimit).toBeUndefined();
    expect(all!.isolatedP50Blocks).toBeUndefined();
    expect(all!.status).toBe('PARTIAL: 84/150 applied by the deadline (150 posted); 2 refused; 1 isolated missed; isolated not idle (backlog)');
  });

  it('has no gas figure for a chain where nothing was applied', () => {
    const r = round();
    r.chains[2] = chain('spoke-b', 50_000n, 0, []);
    const [all, , , b] = roundRows(r);
    expect(b!.gasPerSettlement).toBeUndefined();
    expect(b!.limitPerS).toBeUndefined();
    expect(all!.limitPerS).toBeUndefined();
  });
});
