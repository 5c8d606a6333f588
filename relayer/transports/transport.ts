import type { Hex } from 'viem';
import type { Job } from '../store/outbox.js';

export type ReceiptState = { status: 'success' } | { status: 'reverted' } | { status: 'unknown' };

/** One way of getting a job's attestation applied on its destination chain. */
export interface Transport {
  readonly name: 'cctp' | 'ccip';
  /** True when the destination already applied this attestation (checked before every submission). */
  isApplied(job: Job): Promise<boolean>;
  /** Dry-runs the delivery; throws the chain's revert when it would fail. */
  simulate(job: Job): Promise<void>;
  /** Sends the delivery transaction; returns its hash as soon as the node accepted it. */
  submit(job: Job): Promise<Hex>;
  /** Waits (bounded) for the receipt of a submitted delivery. */
  waitForReceipt(txHash: Hex): Promise<ReceiptState>;
}
