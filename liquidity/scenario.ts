import { parserFor, type SchemaIssue } from '../schemas/validate.js';
import type { LiquidityBands } from './bands.js';
import { LiquidityInputError } from './errors.js';
import type { BucketKind } from './lcr.js';

const range = (min: number, max: number) =>
  ({ type: 'array', prefixItems: [{ type: 'number', minimum: min, maximum: max }, { type: 'number', minimum: min, maximum: max }], minItems: 2, items: false }) as const;
const intRange = (min: number, max: number) =>
  ({ type: 'array', prefixItems: [{ type: 'integer', minimum: min, maximum: max }, { type: 'integer', minimum: min, maximum: max }], minItems: 2, items: false }) as const;
const amount = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const;
const bpsField = { type: 'integer', minimum: 0, maximum: 10_000 } as const;
const dayCount = { type: 'integer', minimum: 0, maximum: 3_650 } as const;

/**
 * A stress scenario (`npm run stress -- scenario.json`): a pool described by its liquid buckets and its buy-back pool,
 * the issuer's policy, and the ranges each Monte Carlo run draws from (figure 15 of the research: NAV shock 2-5%,
 * redemptions 10-60% of the pool, market depth 0.2-0.8, haircuts 3-15%, liquidation times 1-30 days). Amounts are
 * whole units of the pool's currency; shares are fractions (0.3 = 30%) in ranges, bps in the policy.
 */
export const SCENARIO_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'pool', 'policy', 'days', 'ranges'],
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]{0,63}$' },
    description: { type: 'string', maxLength: 500 },
    pool: {
      type: 'object',
      additionalProperties: false,
      required: ['buckets', 'buyBack'],
      properties: {
        buckets: {
          type: 'array',
          minItems: 1,
          maxItems: 20,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'kind', 'amount', 'haircutBps', 'daysToCash'],
            properties: {
              name: { type: 'string', minLength: 1, maxLength: 40 },
              kind: { enum: ['cash', 'tbill', 'other'] },
              amount,
              haircutBps: bpsField,
              daysToCash: dayCount,
            },
          },
        },
        buyBack: {
          type: 'object',
          additionalProperties: false,
          required: ['amount', 'ageDays'],
          properties: { amount, ageDays: dayCount, reportEveryDays: { type: 'integer', minimum: 1, maximum: 3_650 } },
        },
      },
    },
    policy: {
      type: 'object',
      additionalProperties: false,
      required: ['horizonDays', 'stageBBelowBps', 'stageCBelowBps', 'buyBackMinShareBps', 'buyBackMaxAgeDays'],
      properties: {
        horizonDays: { type: 'integer', minimum: 1, maximum: 365 },
        stageBBelowBps: { type: 'integer', minimum: 0, maximum: 100_000 },
        stageCBelowBps: { type: 'integer', minimum: 0, maximum: 100_000 },
        buyBackMinShareBps: bpsField,
        buyBackMaxAgeDays: dayCount,
      },
    },
    days: { type: 'integer', minimum: 1, maximum: 365 },
    ranges: {
      type: 'object',
      additionalProperties: false,
      required: ['navShock', 'redemption', 'runDays', 'depth', 'haircut', 'liquidationDays'],
      properties: {
        navShock: range(0, 1),
        redemption: range(0, 1),
        runDays: intRange(1, 365),
        depth: range(0, 1),
        haircut: range(0, 1),
        liquidationDays: intRange(1, 365),
      },
    },
  },
} as const;

export interface ScenarioBucket {
  name: string;
  kind: BucketKind;
  amount: number;
  haircutBps: number;
  daysToCash: number;
}
type Range = [number, number];
export type RangeName = 'navShock' | 'redemption' | 'runDays' | 'depth' | 'haircut' | 'liquidationDays';

/** The type SCENARIO_SCHEMA admits (written out: json-schema-to-ts does not read 2020-12 tuples). */
export interface Scenario {
  name: string;
  description?: string;
  pool: { buckets: ScenarioBucket[]; buyBack: { amount: number; ageDays: number; reportEveryDays?: number } };
  policy: { horizonDays: number; stageBBelowBps: number; stageCBelowBps: number; buyBackMinShareBps: number; buyBackMaxAgeDays: number };
  days: number;
  ranges: Record<RangeName, Range>;
}

const parse = parserFor<Scenario>(SCENARIO_SCHEMA);

/** Parse a scenario at the edge: the schema, then the rules a schema cannot say (min <= max, band order). */
export function parseScenario(input: unknown): Scenario {
  const r = parse(input);
  if (!r.ok) throw issueError(r.issue);
  const s = r.value;
  for (const [key, [min, max]] of Object.entries(s.ranges) as [RangeName, Range][]) {
    if (min > max) throw new LiquidityInputError(`ranges.${key}`, 'min must not exceed max');
  }
  if (s.policy.stageBBelowBps < s.policy.stageCBelowBps) throw new LiquidityInputError('policy.stageBBelowBps', 'must be at least stageCBelowBps');
  return s;
}

export function bandsOf(s: Scenario): LiquidityBands {
  const { stageBBelowBps, stageCBelowBps, buyBackMinShareBps, buyBackMaxAgeDays } = s.policy;
  return { stageBBelowBps, stageCBelowBps, buyBackMinShareBps, buyBackMaxAgeDays };
}

function issueError(issue: SchemaIssue): LiquidityInputError {
  return new LiquidityInputError(issue.field, issue.message);
}
