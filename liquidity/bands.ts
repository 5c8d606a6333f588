import { REDEMPTION_STAGE, type RedemptionStageName } from '../schemas/kinds/redemption-stage.js';
import { bps, days, LiquidityInputError, nonNegative } from './errors.js';

/**
 * The issuer's liquidity bands: the redemption stage an LCR and the buy-back pool call for.
 *
 * - LCR below `stageCBelowBps` -> C; else below `stageBBelowBps` -> B; else A (defaults: 7_000 = 70%, 10_000 = 100%).
 *   An unbounded LCR (no outflow) is A.
 * - the buy-back pool: stage B at least when its last report is older than `buyBackMaxAgeDays` (stale) or it holds
 *   less than `buyBackMinShareBps` of the asset pool. It never lowers a stage the LCR set.
 */
export interface LiquidityBands {
  stageBBelowBps: number;
  stageCBelowBps: number;
  /** The issuer's minimum buy-back pool, in bps of the asset pool (0: no minimum). */
  buyBackMinShareBps: number;
  /** Age past which the buy-back pool's report is stale, in days. */
  buyBackMaxAgeDays: number;
}

export const DEFAULT_BANDS: LiquidityBands = { stageBBelowBps: 10_000, stageCBelowBps: 7_000, buyBackMinShareBps: 0, buyBackMaxAgeDays: 1 };

export interface BuyBackState {
  /** Cash in the buy-back pool, in the asset pool's unit. */
  amount: bigint;
  /** Value of the asset pool, same unit. */
  poolValue: bigint;
  /** Days since the pool's last report. */
  ageDays: number;
}

export type StageReason = 'lcr' | 'buyBackStale' | 'buyBackShort' | 'none';

export interface LiquidityStage {
  stage: RedemptionStageName;
  /** Numeric stage as on chain (REDEMPTION_STAGE): A=1, B=2, C=3. */
  code: number;
  reason: StageReason;
}

export function checkBands(b: LiquidityBands): LiquidityBands {
  if (!Number.isInteger(b.stageCBelowBps) || b.stageCBelowBps < 0) throw new LiquidityInputError('bands.stageCBelowBps', 'must be a non-negative integer (bps)');
  if (!Number.isInteger(b.stageBBelowBps) || b.stageBBelowBps < b.stageCBelowBps) {
    throw new LiquidityInputError('bands.stageBBelowBps', 'must be an integer at least stageCBelowBps');
  }
  bps('bands.buyBackMinShareBps', b.buyBackMinShareBps);
  days('bands.buyBackMaxAgeDays', b.buyBackMaxAgeDays);
  return b;
}

/** The stage the bands set for an LCR (bps, null = unbounded) and, when given, the buy-back pool's state. */
export function stageForLiquidity(bands: LiquidityBands, lcrBps: bigint | null, buyBack?: BuyBackState): LiquidityStage {
  checkBands(bands);
  if (lcrBps !== null && lcrBps < 0n) throw new LiquidityInputError('lcrBps', 'must not be negative');
  if (lcrBps !== null && lcrBps < BigInt(bands.stageCBelowBps)) return at('C', 'lcr');
  if (lcrBps !== null && lcrBps < BigInt(bands.stageBBelowBps)) return at('B', 'lcr');
  if (buyBack) {
    const amount = nonNegative('buyBack.amount', buyBack.amount);
    const pool = nonNegative('buyBack.poolValue', buyBack.poolValue);
    if (days('buyBack.ageDays', buyBack.ageDays) > bands.buyBackMaxAgeDays) return at('B', 'buyBackStale');
    if (amount * 10_000n < BigInt(bands.buyBackMinShareBps) * pool) return at('B', 'buyBackShort');
  }
  return at('A', 'none');
}

function at(stage: RedemptionStageName, reason: StageReason): LiquidityStage {
  return { stage, code: REDEMPTION_STAGE[stage], reason: stage === 'A' ? 'none' : reason };
}
