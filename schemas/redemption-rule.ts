import { REDEMPTION_STAGE, REDEMPTION_STAGE_REASON } from './kinds/redemption-stage.js';

/** The policy fields the stage rule reads (RedemptionPolicy.Policy on chain). */
export interface StagePolicy {
  stageBBps: number;
  stageCBps: number;
  windowSeconds: number;
  emergency: boolean;
}

/** The hub's stage now: stage (0 never set, read as A), its reason and the unix time it began. */
export interface CurrentStage {
  stage: number;
  reason: number;
  since: bigint;
}

export interface StageDecision {
  stage: (typeof REDEMPTION_STAGE)[keyof typeof REDEMPTION_STAGE];
  reason: (typeof REDEMPTION_STAGE_REASON)[keyof typeof REDEMPTION_STAGE_REASON];
}

/**
 * The hub's stage rule, restated (RwaRedemptions._recomputeStage is the authority). On today's pressure: emergency
 * -> C; no pool, or more requested today than the whole pool -> C; today's requests above stage C's share of the pool
 * -> C; above stage B's -> B; else A. Then the hold: a stage raised by pressure does not fall before `windowSeconds`
 * since it began (a lifted emergency falls at once; a higher stage applies at once). Off-chain code uses it only to
 * decide whether the chain would change its stage.
 */
export function stageFor(policy: StagePolicy, dayRequested: bigint, poolSupply: bigint, current: CurrentStage, now: bigint): StageDecision {
  const pressure = pressureStage(policy, dayRequested, poolSupply);
  const stage = current.stage === 0 ? REDEMPTION_STAGE.A : current.stage;
  const held = pressure.stage < stage && current.reason === REDEMPTION_STAGE_REASON.threshold && now < current.since + BigInt(policy.windowSeconds);
  return held ? { stage: stage as StageDecision['stage'], reason: REDEMPTION_STAGE_REASON.threshold } : pressure;
}

function pressureStage(policy: StagePolicy, dayRequested: bigint, poolSupply: bigint): StageDecision {
  if (policy.emergency) return { stage: REDEMPTION_STAGE.C, reason: REDEMPTION_STAGE_REASON.emergency };
  if (poolSupply === 0n || dayRequested > poolSupply) return { stage: REDEMPTION_STAGE.C, reason: REDEMPTION_STAGE_REASON.threshold };
  const bps = (dayRequested * 10_000n) / poolSupply;
  if (bps > BigInt(policy.stageCBps)) return { stage: REDEMPTION_STAGE.C, reason: REDEMPTION_STAGE_REASON.threshold };
  if (bps > BigInt(policy.stageBBps)) return { stage: REDEMPTION_STAGE.B, reason: REDEMPTION_STAGE_REASON.threshold };
  return { stage: REDEMPTION_STAGE.A, reason: REDEMPTION_STAGE_REASON.none };
}
