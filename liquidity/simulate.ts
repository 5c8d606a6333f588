import { stageForLiquidity, type LiquidityBands } from './bands.js';
import { computeLcr, type LiquidBucket } from './lcr.js';
import type { ScenarioBucket } from './scenario.js';

/** One run's draws, all integers: what the Monte Carlo picked from the scenario's ranges. */
export interface Draw {
  /** One-off fall of every non-cash bucket's value on day 1 (asset shock), bps. */
  navShockBps: number;
  /** Total redemptions requested, bps of the pool's value on day 0 (liability run). */
  redemptionBps: number;
  /** Days over which the run's requests arrive, evenly. */
  runDays: number;
  /** Market depth, bps: the share of a bucket's normal daily sale the market takes (market freeze). */
  depthBps: number;
  /** Stress haircut, bps: a sale takes the larger of it and the bucket's own haircut. */
  haircutBps: number;
  /** Days a normal market needs to sell a whole bucket (liquidation time). */
  liquidationDays: number;
}

export interface RunInput {
  buckets: readonly ScenarioBucket[];
  buyBack: { amount: number; ageDays: number; reportEveryDays?: number };
  horizonDays: number;
  bands: LiquidityBands;
  days: number;
}

/** Day by day, index 0 = the state before the run. */
export interface RunResult {
  /** LCR each day in bps; null: no outflow within the horizon. */
  lcrBps: (number | null)[];
  /** Stage code each day (A=1, B=2, C=3). */
  stage: number[];
  /** First day a cash gap opens (requests left unpaid at the end of the day); null if none. */
  breakDay: number | null;
  /** Requests unpaid at the end of each day. */
  unpaid: bigint[];
  /** Requests made on each day (0 on day 0). */
  requested: bigint[];
  /** The issuer's buy-back pool at the end of each day. */
  buyBack: bigint[];
  /** The fund's own value (cash and unsold buckets) at the end of each day. */
  fund: bigint[];
}

interface Holding {
  value: bigint;
  haircutBps: bigint;
  /** First day it may be sold. */
  from: number;
  /** Most it may be sold for (gross) per day. */
  perDay: bigint;
}

const BPS = 10_000n;

/**
 * One run, deterministic given its draws; every amount a bigint, every division floored.
 * Day t = 1..days: the run's requests arrive (cumulative requests through day t = floor(total * min(t, runDays) /
 * runDays)). They are paid from the fund's cash, then by selling the non-cash buckets in the scenario's order, then
 * from the issuer's buy-back pool (the backstop). A bucket sells from day max(1, daysToCash), at most
 * value * depth / liquidationDays a day, at the larger of its haircut and the stress haircut. What stays unpaid is
 * a cash gap; the first such day is the breaking point.
 * At the end of each day (and on day 0): LCR = (cash + buy-back pool + what each bucket can still be sold for within
 * the next horizonDays, after haircut) / (unpaid requests + the requests the run still makes within the horizon);
 * the stage is the bands' stage for that LCR and the buy-back pool (its share of the fund and its report's age).
 */
export function simulateRun(input: RunInput, draw: Draw): RunResult {
  const poolValue = input.buckets.reduce((sum, b) => sum + BigInt(b.amount), 0n);
  const total = (poolValue * BigInt(draw.redemptionBps)) / BPS;
  const requestedBy = (t: number): bigint => (total * BigInt(Math.min(Math.max(t, 0), draw.runDays))) / BigInt(draw.runDays);
  let cash = 0n;
  const holdings: Holding[] = [];
  for (const b of input.buckets) {
    if (b.kind === 'cash') {
      cash += BigInt(b.amount);
      continue;
    }
    const value = (BigInt(b.amount) * (BPS - BigInt(draw.navShockBps))) / BPS;
    const haircutBps = BigInt(Math.max(b.haircutBps, draw.haircutBps));
    const perDay = (value * BigInt(draw.depthBps)) / (BPS * BigInt(draw.liquidationDays));
    holdings.push({ value, haircutBps, from: Math.max(1, b.daysToCash), perDay });
  }
  let buyBack = BigInt(input.buyBack.amount);
  let queue = 0n;
  let breakDay: number | null = null;
  const result: RunResult = { lcrBps: [], stage: [], breakDay: null, unpaid: [], requested: [], buyBack: [], fund: [] };
  const record = (t: number): void => {
    const liquid: LiquidBucket[] = [{ kind: 'cash', amount: cash + buyBack, haircutBps: 0, daysToCash: 0 }];
    for (const h of holdings) {
      const sellDays = Math.max(0, t + input.horizonDays - Math.max(t + 1, h.from) + 1);
      const sellable = min(h.value, h.perDay * BigInt(sellDays));
      liquid.push({ kind: 'other', amount: sellable, haircutBps: Number(h.haircutBps), daysToCash: 0 });
    }
    const outflows = queue + requestedBy(t + input.horizonDays) - requestedBy(t);
    const lcr = computeLcr({ buckets: liquid, horizonDays: input.horizonDays, openRequests: outflows, stressRateBps: 0, poolValue: 0n });
    const fund = cash + holdings.reduce((s, h) => s + h.value, 0n);
    const every = input.buyBack.reportEveryDays;
    const ageDays = every === undefined ? input.buyBack.ageDays + t : (input.buyBack.ageDays + t) % every;
    const stage = stageForLiquidity(input.bands, lcr.lcrBps, { amount: buyBack, poolValue: fund, ageDays });
    result.lcrBps.push(lcr.lcrBps === null ? null : Number(lcr.lcrBps));
    result.stage.push(stage.code);
    result.unpaid.push(queue);
    result.requested.push(requestedBy(t) - requestedBy(t - 1));
    result.buyBack.push(buyBack);
    result.fund.push(fund);
  };
  record(0);
  for (let t = 1; t <= input.days; t++) {
    queue += requestedBy(t) - requestedBy(t - 1);
    const fromCash = min(queue, cash);
    cash -= fromCash;
    queue -= fromCash;
    for (const h of holdings) {
      if (queue === 0n || t < h.from) continue;
      const keep = BPS - h.haircutBps;
      if (keep === 0n) continue;
      const gross = min(min(ceilDiv(queue * BPS, keep), h.value), h.perDay);
      const raised = (gross * keep) / BPS;
      h.value -= gross;
      const paid = min(queue, raised);
      queue -= paid;
      cash += raised - paid;
    }
    const fromBuyBack = min(queue, buyBack);
    buyBack -= fromBuyBack;
    queue -= fromBuyBack;
    if (queue > 0n && breakDay === null) breakDay = t;
    record(t);
  }
  result.breakDay = breakDay;
  return result;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}
