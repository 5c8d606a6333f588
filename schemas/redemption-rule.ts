import { REDEMPTION_STAGE, REDEMPTION_STAGE_REASON } from './redemption-message.js';

/** The policy fields the stage rule reads (RedemptionPolicy.Policy on chain). */
export interface StagePolicy {
  stageBBps: number;
  stageCBps: number;
  emergency: boolean;
}

export interface StageDecision {
  stage: (typeof REDEMPTION_STAGE)[keyof typeof REDEMPTION_STAGE];
  reason: (typeof REDEMPTION_STAGE_REASON)[keyof typeof REDEMPTION_STAGE_REASON];
}

/**
 * The hub's stage rule, restated (RwaRedemptions._recomputeStage is the authority): emergency -> C; no pool, or more
 * requested today than the whole pool -> C; today's requests above stage C's share of the pool -> C; above stage B's
 * -> B; else A. Off-chain code uses it only to decide whether the chain would change its stage.
 */
export function stageFor(policy: StagePolicy, dayRequested: bigint, poolSupply: bigint): StageDecision {
  if (policy.emergency) return { stage: REDEMPTION_STAGE.C, reason: REDEMPTION_STAGE_REASON.emergency };
  if (poolSupply === 0n || dayRequested > poolSupply) return { stage: REDEMPTION_STAGE.C, reason: REDEMPTION_STAGE_REASON.threshold };
  const bps = (dayRequested * 10_000n) / poolSupply;
  if (bps > BigInt(policy.stageCBps)) return { stage: REDEMPTION_STAGE.C, reason: REDEMPTION_STAGE_REASON.threshold };
  if (bps > BigInt(policy.stageBBps)) return { stage: REDEMPTION_STAGE.B, reason: REDEMPTION_STAGE_REASON.threshold };
  return { stage: REDEMPTION_STAGE.A, reason: REDEMPTION_STAGE_REASON.none };
}
