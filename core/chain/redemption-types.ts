import type { Address } from 'viem';
import type { DidHash } from '../../schemas/ids.js';
import type { RedemptionStageName, RedemptionStageReasonName } from '../../schemas/message.js';

/** Where a log sits on its chain: enough to order logs and to find the event again. */
export interface LogPosition {
  blockNumber: bigint;
  logIndex: number;
}

/** RedeemRequested(did, requestId, owner, amount, requestedAt) of a chain's redemptions module. */
export interface RedeemRequestedLog extends LogPosition {
  did: DidHash;
  requestId: bigint;
  owner: Address;
  amount: bigint;
  requestedAt: bigint;
}

/** RedeemCancelled(did, requestId, owner, amount): the unfulfilled remainder went back to the owner. */
export interface RedeemCancelledLog extends LogPosition {
  did: DidHash;
  requestId: bigint;
}

/** RedemptionStageChanged(did, stageSeq, stage, since, reason, dayRequested, poolSupply) of the hub's module. */
export interface StageChangedLog extends LogPosition {
  did: DidHash;
  stageSeq: bigint;
  stage: RedemptionStageName;
  since: bigint;
  reason: RedemptionStageReasonName;
  dayRequested: bigint;
  poolSupply: bigint;
}

/** A request as the module on its chain holds it; `undefined` from a reader means no such request. */
export interface RequestState {
  owner: Address;
  amount: bigint;
  fulfilled: bigint;
  requestedAt: bigint;
  cancelled: boolean;
  /** The custodian's acceptance (kind 13) applied: no longer cancellable, may be fulfilled. */
  accepted: boolean;
}

/** A DID's stage on one chain (stage A with stageSeq 0 before any change). */
export interface StageState {
  stage: RedemptionStageName;
  stageSeq: bigint;
  since: bigint;
  reason: RedemptionStageReasonName;
  dayRequested: bigint;
  poolSupply: bigint;
}

export interface RedemptionPolicy {
  stageBBps: number;
  stageCBps: number;
  instalments: number;
  windowSeconds: number;
  emergency: boolean;
}

/**
 * What the redemption flows read from the chains (the oracle and each signer with its own endpoints). `safeHead` is
 * the newest block past the chain's confirmations; reads `at` a block are pinned to it. State reads take an optional
 * `blockNumber` (latest without it) so that one check can read everything it compares at the same block.
 */
export interface RedemptionChainsPort {
  safeHead(chainId: number): Promise<bigint>;
  /** The chain's newest block, confirmations or not: the pin of checks that read the chain's current state. */
  latestBlock(chainId: number): Promise<bigint>;
  blockTimestamp(chainId: number, blockNumber: bigint): Promise<bigint>;
  /** Requests and cancellations of every DID in [fromBlock, toBlock], in chain order. */
  requestLogs(chainId: number, fromBlock: bigint, toBlock: bigint): Promise<{ requested: RedeemRequestedLog[]; cancelled: RedeemCancelledLog[] }>;
  /** The RedeemRequested event of one request in one block, if it is there. */
  requestLogAt(chainId: number, did: DidHash, requestId: bigint, blockNumber: bigint): Promise<RedeemRequestedLog | undefined>;
  /** Stage changes of every DID (or one) in [fromBlock, toBlock], in chain order. */
  stageLogs(chainId: number, fromBlock: bigint, toBlock: bigint, did?: DidHash): Promise<StageChangedLog[]>;
  requestOf(chainId: number, did: DidHash, requestId: bigint, blockNumber?: bigint): Promise<RequestState | undefined>;
  /** The module's own rule for what may be fulfilled now (RwaRedemptions.redeemableNow), as of `blockNumber` if given. */
  redeemableNow(chainId: number, did: DidHash, requestId: bigint, blockNumber?: bigint): Promise<bigint>;
  stageOf(chainId: number, did: DidHash): Promise<StageState>;
  /** Total supply of the DID's holdings at a block (0 where the DID had no holdings yet). */
  totalSupplyAt(chainId: number, did: DidHash, blockNumber: bigint): Promise<bigint>;
}

/** The hub registry's redemption policy of a DID; undefined until the issuer set one (the chains apply defaults). */
export interface RedemptionPolicyPort {
  redemptionPolicyOf(did: DidHash): Promise<RedemptionPolicy | undefined>;
}
