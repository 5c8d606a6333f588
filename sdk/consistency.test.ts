import { describe, expect, it } from 'vitest';
import { COMPARED, consistencyReport, diffSnapshots, type ChainSnapshot } from './consistency.js';
import { ChainUnreachableError } from './errors.js';

const chain = (chainId: number, over: Partial<ChainSnapshot> = {}): ChainSnapshot => ({
  chainId,
  name: `chain-${chainId}`,
  blockNumber: 100n + BigInt(chainId),
  configured: true,
  navRound: 3n,
  navAnswer: 100_120_000n,
  navAsOf: 1_800_000_000n,
  navDecimals: 8,
  tokenDecimals: 6,
  heartbeat: 86_400n,
  maxMoveBps: 500,
  threshold: 2,
  configNonce: 1n,
  reserveAsOf: 1_799_999_000n,
  paused: false,
  pauseNonce: null,
  stage: 'A',
  stageSeq: 0n,
  emergency: false,
  supplyCap: 1_000_000n * BigInt(chainId),
  totalSupply: 7n * BigInt(chainId),
  ...over,
});

describe('diffSnapshots', () => {
  it('chains that agree have no difference, though caps, supplies and blocks differ per chain', () => {
    expect(diffSnapshots([chain(1), chain(2), chain(3)])).toEqual([]);
  });

  it('a NAV not yet applied on one chain differs in round, answer and as-of, with every chain value', () => {
    const d = diffSnapshots([chain(1), chain(2, { navRound: 4n, navAnswer: 100_130_000n, navAsOf: 1_800_003_600n }), chain(3)]);
    expect(d.map((x) => x.field)).toEqual(['navRound', 'navAnswer', 'navAsOf']);
    expect(d[0]).toEqual({ group: 'nav', field: 'navRound', values: [{ chainId: 1, value: 3n }, { chainId: 2, value: 4n }, { chainId: 3, value: 3n }] });
  });

  it.each([
    ['config', { heartbeat: 3600n }, 'heartbeat'],
    ['config', { configNonce: 9n }, 'configNonce'],
    ['cap', { reserveAsOf: 1_800_000_500n }, 'reserveAsOf'],
    ['pause', { paused: true, pauseNonce: 12n }, 'paused'],
    ['redemption', { stage: 'C', stageSeq: 2n }, 'stage'],
    ['redemption', { emergency: true }, 'emergency'],
  ] as const)('reports a %s difference (%o)', (group, over, field) => {
    const d = diffSnapshots([chain(1), chain(2), chain(3, over)]);
    expect(d.length).toBe(Object.keys(over).length);
    expect(d[0]).toMatchObject({ group, field });
    expect(d[0]?.values.find((v) => v.chainId === 3)?.value).toBe(over[field as keyof typeof over]);
  });

  it('a chain without the DID differs once, in `configured`, and is left out of the other fields', () => {
    const bare: ChainSnapshot = { ...chain(3), configured: false, navRound: null, navAnswer: null, navAsOf: null, heartbeat: null, paused: null, stage: null };
    expect(diffSnapshots([chain(1), chain(2), bare])).toEqual([
      { group: 'deployment', field: 'configured', values: [{ chainId: 1, value: true }, { chainId: 2, value: true }, { chainId: 3, value: false }] },
    ]);
  });

  it('null (no NAV yet) differs from a value', () => {
    const d = diffSnapshots([chain(1, { navRound: 0n, navAnswer: null, navAsOf: null }), chain(2, { navRound: 1n })]);
    expect(d.map((x) => x.field)).toEqual(['navRound', 'navAnswer', 'navAsOf']);
  });

  it('one chain or none has nothing to differ from', () => {
    expect(diffSnapshots([chain(1)])).toEqual([]);
    expect(diffSnapshots([])).toEqual([]);
  });

  it('compares every field it names, and never the per-chain cap or supply', () => {
    const fields = Object.values(COMPARED).flat();
    expect(fields).not.toContain('supplyCap');
    expect(fields).not.toContain('totalSupply');
    for (const field of fields.filter((f) => f !== 'configured')) {
      const d = diffSnapshots([chain(1), chain(2, { [field]: 'changed' } as Partial<ChainSnapshot>)]);
      expect(d.map((x) => x.field), field).toEqual([field]);
    }
  });
});

describe('consistencyReport', () => {
  it('is consistent only with no difference and every chain answering', () => {
    expect(consistencyReport('did:rwa:x', [chain(1), chain(2)], []).consistent).toBe(true);
    expect(consistencyReport('did:rwa:x', [chain(1), chain(2, { paused: true })], []).consistent).toBe(false);
    const down = new ChainUnreachableError(3, new Error('ECONNREFUSED'));
    const r = consistencyReport('did:rwa:x', [chain(1), chain(2)], [down]);
    expect(r.consistent).toBe(false);
    expect(r.differences).toEqual([]);
    expect(r.unreachable.map((e) => e.chainId)).toEqual([3]);
  });
});
