import { rwaRedemptionsAbi } from '../schemas/abi.js';
import type { ReaderChain, ReaderContext, ReaderDid } from './context.js';
import { stageName, type RedemptionStageName } from './freshness.js';

export type StageReason = 'none' | 'threshold' | 'emergency';
const REASONS: readonly StageReason[] = ['none', 'threshold', 'emergency'];

/** The issuer's redemption policy in force on the chain (the attested one, or the contract's defaults). */
export interface RedemptionPolicyView {
  stageBBps: number;
  stageCBps: number;
  instalments: number;
  windowSeconds: number;
  emergency: boolean;
}

/**
 * A DID's redemption gate on one chain. The hub sets the stage from the pressure (accepted units in the last 24 to 25
 * hours as a share of the pool) and sends it to every other chain; `aggregation` is present only on the chain that
 * aggregates (the one that has received request reports).
 */
export interface RedemptionStageView {
  did: string;
  chainId: number;
  stage: RedemptionStageName;
  stageSeq: bigint;
  /** Unix seconds the stage started; 0 when never set (stage A by default). */
  since: bigint;
  reason: StageReason;
  /** The pressure and pool the stage was set from (token base units). */
  dayRequested: bigint;
  poolSupply: bigint;
  policy: RedemptionPolicyView;
  /** No fulfilment possible now: stage C or the emergency flag. */
  halted: boolean;
  aggregation: { reports: bigint; poolSupply: bigint; pressure: bigint } | undefined;
  blockNumber: bigint;
}

export async function readRedemptionStage(ctx: ReaderContext, chain: ReaderChain, did: ReaderDid): Promise<RedemptionStageView> {
  const block = await ctx.block(chain);
  const a = await ctx.requireAssets(chain, did, block.number);
  const module = { address: a.redemptions, abi: rwaRedemptionsAbi } as const;
  const [stage, policy, aggregation, pressure] = await chain.client.multicall({
    contracts: [
      { ...module, functionName: 'stageOf', args: [did.didHash] },
      { ...module, functionName: 'policyOf', args: [did.didHash] },
      { ...module, functionName: 'aggregationOf', args: [did.didHash] },
      { ...module, functionName: 'pressureOf', args: [did.didHash] },
    ],
    allowFailure: false,
    deployless: true,
    blockNumber: block.number,
  });
  const name = stageName(stage.stage);
  const reason = REASONS[stage.reason];
  if (reason === undefined) throw new RangeError(`not a stage reason code: ${stage.reason}`);
  const [reports, poolSupply] = aggregation;
  return {
    did: did.did,
    chainId: chain.chainId,
    stage: name,
    stageSeq: stage.stageSeq,
    since: stage.since,
    reason,
    dayRequested: stage.dayRequested,
    poolSupply: stage.poolSupply,
    policy: { stageBBps: policy.stageBBps, stageCBps: policy.stageCBps, instalments: policy.instalments, windowSeconds: policy.windowSeconds, emergency: policy.emergency },
    halted: name === 'C' || policy.emergency,
    aggregation: reports === 0n ? undefined : { reports, poolSupply, pressure },
    blockNumber: block.number,
  };
}
