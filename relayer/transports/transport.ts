import type { Hex } from 'viem';
import { RwaError } from '../../common/errors.js';
import type { Fees } from '../fees.js';
import type { Job } from '../store/outbox.js';
import type { TransportName } from '../../schemas/deployment.js';

export interface Submitted {
  txHash: Hex;
  nonce?: number;
  fees?: Fees;
  /** The receiver call a batch went in (logs and metrics); receiveBatchVerified: receiveBatch without signatures. */
  call?: 'receiveBatch' | 'receiveBatchVerified' | 'receiveMessages' | 'receiveMessage';
}

/** A stuck transaction to replace: its nonce and the fees it offered. */
export interface Replacement {
  nonce: number;
  fees: Fees;
  /** The stuck transaction: when the node no longer knows it (a restart emptied its pool), it is sent anew instead. */
  txHash?: Hex;
}

/**
 * What became of a submitted delivery: `success` (mined and buried under the chain's confirmations), `reverted`,
 * `unknown` (not mined within the wait: a replacement may be due), or `inFlight` (the source side is final and the
 * transport's own network is delivering it, as CCIP does on live networks: check again later, never send again).
 */
export type ReceiptState = { status: 'success' } | { status: 'reverted' } | { status: 'unknown' } | { status: 'inFlight'; detail: string };

/** One way of getting a job's attestation applied on its destination chain. */
export interface Transport {
  readonly name: TransportName;
  /** True when the destination already applied this attestation (checked before every submission). */
  isApplied(job: Job): Promise<boolean>;
  /** Dry-runs the delivery; throws the chain's revert when it would fail. */
  simulate(job: Job): Promise<void>;
  /**
   * Sends the delivery transaction; returns its hash (and nonce and fees when the transport manages them) as soon as
   * the node accepted it. With `replace`, the transaction replaces a stuck one: same nonce, escalated fees.
   */
  submit(job: Job, replace?: Replacement): Promise<Submitted>;
  /** Waits (bounded) for the outcome of the job's submitted delivery `txHash`. */
  waitForReceipt(txHash: Hex, job: Job): Promise<ReceiptState>;
  /**
   * True when a delivery is one transaction from the relayer's account on the destination chain (CCTP-style): the
   * account's nonces order deliveries on chain as they were sent, so a later one may be sent before an earlier lands.
   */
  readonly accountOrdered?: boolean;
  /**
   * Optional batched delivery: the jobs (one destination, this transport) in one transaction, each applied as its
   * single delivery would be; an item whose (DID, nonce) is already used is skipped. A transport without it
   * delivers one job per transaction.
   */
  submitBatch?(jobs: readonly Job[], replace?: Replacement): Promise<Submitted>;
  /**
   * Dry-runs `submitBatch`: throws the revert of the first item that fails (by that item's own error), or a
   * BatchTooLargeError when the batch would not fit a block.
   */
  simulateBatch?(jobs: readonly Job[]): Promise<void>;
  /**
   * True when `submitBatch` delivers the jobs of one Merkle root (rootBatched) in one `receiveBatch` (one quorum over
   * the root): the worker then groups them apart from other jobs.
   */
  readonly rootBatches?: boolean;
}

/**
 * A batch's dry-run reverted with an error naming one item (receiveBatch: InvalidMerkleProof(i), InvalidBatchItem(i),
 * KindNotAllowedInBatch(i, kind)): that item cannot travel under its root.
 */
export class BatchItemRevertedError extends RwaError<'batch_item_reverted'> {
  override readonly name = 'BatchItemRevertedError';
  constructor(
    readonly index: number,
    readonly revert: string,
    cause: unknown,
  ) {
    super(`batch item ${index} reverts: ${revert}`, { code: 'batch_item_reverted', retryable: true, cause });
  }
}

/** A batch's gas estimate passes what a block takes (less a margin): `fits` items would. */
export class BatchTooLargeError extends RwaError<'batch_too_large'> {
  override readonly name = 'BatchTooLargeError';
  constructor(
    readonly fits: number,
    readonly estimate: bigint,
    readonly usableGas: bigint,
  ) {
    super(`batch needs ${estimate} gas, a block takes ${usableGas}: ${fits} items fit`, { code: 'batch_too_large', retryable: true });
  }
}
