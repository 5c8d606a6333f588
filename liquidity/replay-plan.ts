import type { RedemptionStageName } from '../schemas/kinds/redemption-stage.js';
import { LiquidityInputError } from './errors.js';
import type { StressReport } from './montecarlo.js';
import { bandsOf, type RangeName, type Scenario } from './scenario.js';
import { simulateRun, type Draw } from './simulate.js';

/**
 * The plan of a replay (`npm run stress -- scenario.json --replay`): the scenario's one deterministic run (every range
 * at its midpoint), day by day, scaled from the scenario's units to the chain's (the investors' holdings), with the
 * stage and LCR that run predicts and the requests each investor makes. Pure: the driver (devnet/replay.ts) plays it.
 */
export interface PlanDay {
  day: number;
  /** What the replayed run predicts (simulate.ts on the midpoint draw). */
  stage: RedemptionStageName;
  /** LCR that day, bps; null: unbounded (no outflow within the horizon). */
  lcrBps: number | null;
  /** The Monte Carlo's median stage that day and the share of its runs at each stage (when a report is given). */
  monteCarlo: { stage: RedemptionStageName; share: Record<RedemptionStageName, number> } | null;
  /** Chain units: the requests each investor makes that day (index = investor), the buy-back pool and the fund. */
  requests: bigint[];
  buyBack: bigint;
  fund: bigint;
}

export interface ReplayPlan {
  scenario: string;
  draw: Draw;
  /** Days replayed (the scenario's, or fewer with --days); day 0 is the state before the run. */
  days: number;
  /** Scale: chain units = scenario units x chainPool / scenarioPool (floored). */
  chainPool: bigint;
  scenarioPool: bigint;
  /** Each investor's holding at the start, chain units (they add up to chainPool). */
  holdings: bigint[];
  byDay: PlanDay[];
}

export interface PlanOptions {
  /** The investors' holdings together, in the chain token's base units. */
  chainPool: bigint;
  investors: number;
  /** Replay only the first N days (default: the scenario's days). */
  days?: number;
  /** The scenario's Monte Carlo report: shown beside each day's prediction. */
  monteCarlo?: StressReport;
}

const STAGE_NAMES: Record<number, RedemptionStageName> = { 1: 'A', 2: 'B', 3: 'C' };

/** The deterministic draw of a scenario: every range at its midpoint, rounded like the Monte Carlo's draws. */
export function midpointDraw(s: Scenario): Draw {
  const mid = (k: RangeName): number => (s.ranges[k][0] + s.ranges[k][1]) / 2;
  const frac = (k: RangeName): number => Math.round(mid(k) * 10_000);
  return {
    navShockBps: frac('navShock'),
    redemptionBps: frac('redemption'),
    runDays: Math.round(mid('runDays')),
    depthBps: frac('depth'),
    haircutBps: frac('haircut'),
    liquidationDays: Math.round(mid('liquidationDays')),
  };
}

/** Split `total` among `n` investors: equal floors, the remainder to the last. */
export function split(total: bigint, n: number): bigint[] {
  const each = total / BigInt(n);
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? total - each * BigInt(n - 1) : each));
}

/** The day plan of a scenario: what to request each day and what the run predicts the chains will show. */
export function replayPlan(s: Scenario, o: PlanOptions): ReplayPlan {
  if (!Number.isInteger(o.investors) || o.investors < 1) throw new LiquidityInputError('investors', 'must be a positive integer');
  if (o.chainPool <= 0n) throw new LiquidityInputError('chainPool', 'must be positive');
  if (o.days !== undefined && (!Number.isInteger(o.days) || o.days < 1)) throw new LiquidityInputError('days', 'must be a positive integer');
  const days = Math.min(s.days, o.days ?? s.days);
  const draw = midpointDraw(s);
  const run = simulateRun({ buckets: s.pool.buckets, buyBack: s.pool.buyBack, horizonDays: s.policy.horizonDays, bands: bandsOf(s), days }, draw);
  const scenarioPool = s.pool.buckets.reduce((sum, b) => sum + BigInt(b.amount), 0n);
  if (scenarioPool === 0n) throw new LiquidityInputError('pool.buckets', 'the pool must not be empty');
  const scale = (x: bigint): bigint => (x * o.chainPool) / scenarioPool;
  const byDay: PlanDay[] = [];
  for (let day = 0; day <= days; day++) {
    const mc = o.monteCarlo?.byDay[day];
    byDay.push({
      day,
      stage: STAGE_NAMES[run.stage[day]!] ?? 'A',
      lcrBps: run.lcrBps[day] ?? null,
      monteCarlo: mc ? { stage: mc.stage, share: mc.stageShare } : null,
      requests: split(scale(run.requested[day] ?? 0n), o.investors),
      buyBack: scale(run.buyBack[day] ?? 0n),
      fund: scale(run.fund[day] ?? 0n),
    });
  }
  return { scenario: s.name, draw, days, chainPool: o.chainPool, scenarioPool, holdings: split(o.chainPool, o.investors), byDay };
}

/**
 * The liquid assets the buy-back custodian reports so that the oracle's LCR (floor(10_000 x liquid / outflows)) is
 * exactly `lcrBps` for the outflows the oracle will compute; an unbounded prediction is posted as 1000 x outflows
 * (LCR 100,000%), since a chain with open requests cannot show "unbounded".
 */
export function liquidFor(lcrBps: number | null, outflows: bigint): bigint {
  if (outflows < 0n) throw new LiquidityInputError('outflows', 'must not be negative');
  if (lcrBps === null) return outflows * 1_000n;
  return (BigInt(lcrBps) * outflows + 9_999n) / 10_000n;
}
