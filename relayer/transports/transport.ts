import type { Hex } from 'viem';
import type { Fees } from '../fees.js';
import type { Job } from '../store/outbox.js';

export interface Submitted {
  txHash: Hex;
  nonce?: number;
  fees?: Fees;
}

/** A stuck transaction to replace: its nonce and the fees it offered. */
export interface Replacement {
  nonce: number;
  fees: Fees;
}

export type ReceiptState = { status: 'success' } | { status: 'reverted' } | { status: 'unknown' };

/** One way of getting a job's attestation applied on its destination chain. */
export interface Transport {
  readonly name: 'cctp' | 'ccip';
  /** True when the destination already applied this attestation (checked before every submission). */
  isApplied(job: Job): Promise<boolean>;
  /** Dry-runs the delivery; throws the chain's revert when it would fail. */
  simulate(job: Job): Promise<void>;
  /**
   * Sends the delivery transaction; returns its hash (and nonce and fees when the transport manages them) as soon as
   * the node accepted it. With `replace`, the transaction replaces a stuck one: same nonce, escalated fees.
   */
  submit(job: Job, replace?: Replacement): Promise<Submitted>;
  /** Waits (bounded) for the receipt of a submitted delivery. */
  waitForReceipt(txHash: Hex): Promise<ReceiptState>;
}
