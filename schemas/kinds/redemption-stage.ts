import { concat } from 'viem';
import type { FromSchema } from 'json-schema-to-ts';
import type { DidHash } from '../ids.js';
import { nameOf, u } from './codec.js';
import { DRAFT, blockNumber, registryDid, uint64String, uintString } from './json.js';
import { defineKind, defineSource } from './spec.js';
import { checkUint64 } from './redemption-request.js';

/**
 * Kind 8: the hub's redemption stage, sent to every other chain; applied only when stageSeq is newer than the chain's.
 *
 * ```
 * offset size field
 *  42     1   stage          REDEMPTION_STAGE
 *  43     8   stageSeq
 *  51     8   since          unix seconds the stage began on the hub
 *  59     1   reason         REDEMPTION_STAGE_REASON
 *  60    32   dayRequested
 *  92    32   poolSupply
 * ```
 */
export const REDEMPTION_STAGE_LENGTH = 124;
/** Stage of a DID's redemption gate: A fulfils in full, B in instalments over a window, C holds every fulfilment. */
export const REDEMPTION_STAGE = { A: 1, B: 2, C: 3 } as const;
export type RedemptionStageName = keyof typeof REDEMPTION_STAGE;
/** Why the gate is at its stage: none (stage A), the day's requests passed a threshold, or the issuer's emergency flag. */
export const REDEMPTION_STAGE_REASON = { none: 0, threshold: 1, emergency: 2 } as const;
export type RedemptionStageReasonName = keyof typeof REDEMPTION_STAGE_REASON;

export interface RedemptionStageMessage {
  kind: 'redemptionStage';
  did: DidHash;
  nonce: bigint;
  stage: RedemptionStageName;
  stageSeq: bigint;
  /** Unix seconds the stage began on the hub. */
  since: bigint;
  reason: RedemptionStageReasonName;
  dayRequested: bigint;
  poolSupply: bigint;
}

/** A RedemptionStageChanged event the aggregator read on the hub's redemptions module. */
export const stageReportSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/stage-report.json',
  title: "The hub's redemption stage change, sent to every other chain",
  type: 'object',
  additionalProperties: false,
  required: ['did', 'stage', 'stageSeq', 'since', 'reason', 'dayRequested', 'poolSupply', 'blockNumber'],
  properties: {
    did: registryDid,
    stage: { enum: ['A', 'B', 'C'] },
    stageSeq: uint64String,
    since: { type: 'integer', minimum: 0, maximum: 18446744073709551615 },
    reason: { enum: ['none', 'threshold', 'emergency'] },
    dayRequested: uintString,
    poolSupply: uintString,
    blockNumber: { ...blockNumber, description: 'block of the event on the hub' },
  },
} as const;
export type StageReport = FromSchema<typeof stageReportSchema>;

export const redemptionStage = defineKind({
  code: 8,
  name: 'redemptionStage',
  label: 'redemption stage',
  encodeBody: (m: RedemptionStageMessage) =>
    concat([u(REDEMPTION_STAGE[m.stage], 1), u(m.stageSeq, 8), u(m.since, 8), u(REDEMPTION_STAGE_REASON[m.reason], 1), u(m.dayRequested, 32), u(m.poolSupply, 32)]),
  decodeBody: ({ did, nonce }, r): RedemptionStageMessage => {
    r.exact(REDEMPTION_STAGE_LENGTH, 'redemption stage');
    return {
      kind: 'redemptionStage',
      did,
      nonce,
      stage: nameOf(REDEMPTION_STAGE, r.num(42, 43), 'redemption stage', r),
      stageSeq: r.big(43, 51),
      since: r.big(51, 59),
      reason: nameOf(REDEMPTION_STAGE_REASON, r.num(59, 60), 'redemption stage reason', r),
      dayRequested: r.big(60, 92),
      poolSupply: r.big(92, 124),
    };
  },
});

/** The idempotency key of a hub stage change's kind 8 report. */
export const stageSourceRef = (stageSeq: bigint | string): string => `stage:${stageSeq}`;

export const redemptionStageSource = defineSource({
  kind: 'redemptionStage',
  requestSchema: stageReportSchema,
  fromRequest: (request: StageReport) => {
    checkUint64(request.stageSeq, 'request.stageSeq');
    checkUint64(request.blockNumber, 'request.blockNumber');
    return { kind: 'redemptionStage' as const, request };
  },
  build: ({ request: r }: { kind: 'redemptionStage'; request: StageReport }, did, nonce): RedemptionStageMessage => ({
    kind: 'redemptionStage',
    did,
    nonce,
    stage: r.stage,
    stageSeq: BigInt(r.stageSeq),
    since: BigInt(r.since),
    reason: r.reason,
    dayRequested: BigInt(r.dayRequested),
    poolSupply: BigInt(r.poolSupply),
  }),
  ref: (s) => stageSourceRef(s.request.stageSeq),
});
