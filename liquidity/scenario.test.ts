import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LiquidityInputError } from './errors.js';
import { parseScenario } from './scenario.js';

const dir = new URL('./scenarios/', import.meta.url);
const base = (): Record<string, unknown> => JSON.parse(readFileSync(new URL('tbill-run-30.json', dir), 'utf8')) as Record<string, unknown>;

function fieldOf(input: unknown): string {
  try {
    parseScenario(input);
  } catch (err) {
    expect(err).toBeInstanceOf(LiquidityInputError);
    return (err as LiquidityInputError).field;
  }
  throw new Error('parsed');
}

describe('parseScenario', () => {
  it('accepts every shipped scenario, and its name is its file name', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(['replay-a-b-c.json', 'run-40-depth-0.3.json', 'tbill-run-30.json', 'tbill-run-60.json']);
    for (const f of files) expect(parseScenario(JSON.parse(readFileSync(new URL(f, dir), 'utf8'))).name).toBe(f.replace(/\.json$/, ''));
  });

  it('names the field at fault', () => {
    const s = base();
    const pool = s.pool as { buckets: Record<string, unknown>[]; buyBack: Record<string, unknown> };
    const policy = s.policy as Record<string, unknown>;
    const ranges = s.ranges as Record<string, unknown>;
    expect(fieldOf({ ...s, name: undefined })).toBe('name');
    expect(fieldOf({ ...s, extra: 1 })).toBe('extra');
    expect(fieldOf({ ...s, pool: { ...pool, buckets: [pool.buckets[0], { ...pool.buckets[1], amount: -1 }] } })).toBe('pool.buckets.1.amount');
    expect(fieldOf({ ...s, pool: { ...pool, buckets: [{ ...pool.buckets[0], kind: 'gold' }] } })).toBe('pool.buckets.0.kind');
    expect(fieldOf({ ...s, pool: { ...pool, buyBack: { ...pool.buyBack, amount: 1.5 } } })).toBe('pool.buyBack.amount');
    expect(fieldOf({ ...s, policy: { ...policy, horizonDays: 0 } })).toBe('policy.horizonDays');
    expect(fieldOf({ ...s, policy: { ...policy, stageBBelowBps: 5_000 } })).toBe('policy.stageBBelowBps');
    expect(fieldOf({ ...s, ranges: { ...ranges, depth: [0.8, 0.2] } })).toBe('ranges.depth');
    expect(fieldOf({ ...s, ranges: { ...ranges, redemption: [0.1, 1.5] } })).toBe('ranges.redemption.1');
    expect(fieldOf({ ...s, ranges: { ...ranges, runDays: [1, 2, 3] } })).toBe('ranges.runDays');
    expect(fieldOf({ ...s, ranges: { ...ranges, liquidationDays: [0.5, 2] } })).toBe('ranges.liquidationDays.0');
  });
});
