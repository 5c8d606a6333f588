import { REDEMPTION_STAGE, type RedemptionStageName } from '../schemas/kinds/redemption-stage.js';
import { mulberry32, type Prng } from './prng.js';
import { bandsOf, type Scenario } from './scenario.js';
import { simulateRun, type Draw, type RunResult } from './simulate.js';

/** Percentiles of a distribution; null where the value is unbounded (LCR with no outflow). */
export interface Percentiles {
  p5: number | null;
  p50: number | null;
  p95: number | null;
}

export interface DayReport {
  day: number;
  /** LCR that day across runs, bps. */
  lcrBps: Percentiles;
  /** The median run's stage (p50 of the stage codes). */
  stage: RedemptionStageName;
  /** Share of runs at each stage that day, 0..1. */
  stageShare: Record<RedemptionStageName, number>;
}

export interface StressReport {
  scenario: string;
  runs: number;
  seed: number;
  days: number;
  horizonDays: number;
  /** LCR on day 0 (before the run) and the lowest each run reaches, bps. */
  lcrStartBps: Percentiles;
  lcrMinBps: Percentiles;
  /** Share of runs in which a cash gap opens. */
  breakProbability: number;
  /** Breaking day among the runs that break; null when none does. */
  breakDay: Percentiles | null;
  byDay: DayReport[];
}

export interface MonteCarloOptions {
  runs: number;
  seed: number;
  /** Called after each run with the number done (progress for long runs). */
  onProgress?: (done: number) => void;
}

/** One run's draws from the scenario's ranges: fractions rounded to whole bps, days to whole days. */
export function drawFrom(s: Scenario, rng: Prng): Draw {
  const frac = (r: [number, number]): number => Math.round(rng.uniform(r[0], r[1]) * 10_000);
  return {
    navShockBps: frac(s.ranges.navShock),
    redemptionBps: frac(s.ranges.redemption),
    runDays: rng.int(s.ranges.runDays[0], s.ranges.runDays[1]),
    depthBps: frac(s.ranges.depth),
    haircutBps: frac(s.ranges.haircut),
    liquidationDays: rng.int(s.ranges.liquidationDays[0], s.ranges.liquidationDays[1]),
  };
}

/**
 * The seeded Monte Carlo: `runs` runs of simulateRun, each with fresh draws from one mulberry32 stream seeded by
 * `seed` (same scenario, runs and seed -> the same report, byte for byte), summarised as percentiles (nearest rank).
 */
export function runMonteCarlo(s: Scenario, options: MonteCarloOptions): StressReport {
  const rng = mulberry32(options.seed);
  const input = { buckets: s.pool.buckets, buyBack: s.pool.buyBack, horizonDays: s.policy.horizonDays, bands: bandsOf(s), days: s.days };
  const results: RunResult[] = [];
  for (let i = 0; i < options.runs; i++) {
    results.push(simulateRun(input, drawFrom(s, rng)));
    options.onProgress?.(i + 1);
  }
  const broken = results.map((r) => r.breakDay).filter((d): d is number => d !== null);
  const byDay: DayReport[] = [];
  for (let day = 0; day <= s.days; day++) {
    const stages = results.map((r) => r.stage[day] ?? REDEMPTION_STAGE.A);
    const share = (code: number): number => stages.filter((c) => c === code).length / results.length;
    byDay.push({
      day,
      lcrBps: percentiles(results.map((r) => r.lcrBps[day] ?? null)),
      stage: stageName(percentile(stages, 50)),
      stageShare: { A: share(REDEMPTION_STAGE.A), B: share(REDEMPTION_STAGE.B), C: share(REDEMPTION_STAGE.C) },
    });
  }
  return {
    scenario: s.name,
    runs: options.runs,
    seed: options.seed,
    days: s.days,
    horizonDays: s.policy.horizonDays,
    lcrStartBps: percentiles(results.map((r) => r.lcrBps[0] ?? null)),
    lcrMinBps: percentiles(results.map((r) => lowest(r.lcrBps))),
    breakProbability: broken.length / results.length,
    breakDay: broken.length === 0 ? null : percentiles(broken),
    byDay,
  };
}

/** p5, p50, p95 by nearest rank; null (unbounded) sorts above every number. */
export function percentiles(values: readonly (number | null)[]): Percentiles {
  const sorted = values.map((v) => (v === null ? Infinity : v)).sort((a, b) => a - b);
  const at = (p: number): number | null => {
    const v = percentile(sorted, p);
    return Number.isFinite(v) ? v : null;
  };
  return { p5: at(5), p50: at(50), p95: at(95) };
}

/** Nearest-rank percentile of values (sorted here): the ceil(p% * n)-th smallest. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

function lowest(values: readonly (number | null)[]): number | null {
  const finite = values.filter((v): v is number => v !== null);
  return finite.length === 0 ? null : Math.min(...finite);
}

function stageName(code: number): RedemptionStageName {
  return code >= REDEMPTION_STAGE.C ? 'C' : code >= REDEMPTION_STAGE.B ? 'B' : 'A';
}
