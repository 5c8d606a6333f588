import type { Account, Address, Hex, PublicClient } from 'viem';
import { RwaError } from '../../common/errors.js';
import type { Job } from '../store/outbox.js';
import { receiverDeliveryAbi } from './delivery-abi.js';

/** A batch that cannot be sent as one delivery: empty, or jobs for different destinations or transports. */
export class BatchError extends RwaError<'invalid_batch'> {
  override readonly name = 'BatchError';
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, { code: 'invalid_batch', retryable: false, details });
  }
}

/** The parts of a batch: its common destination and the attestations in order (as RwaReceiver.receiveMessages takes them). */
export interface BatchParts {
  chainId: number;
  receiver: Address;
  messages: Hex[];
  signatures: Hex[];
}

/** Checks that `jobs` can travel in one delivery to one receiver (same chain, same receiver, same transport). */
export function batchParts(jobs: readonly Job[]): BatchParts {
  const [first] = jobs;
  if (!first) throw new BatchError('a batch needs at least one job');
  for (const j of jobs) {
    if (j.chainId !== first.chainId || j.receiver.toLowerCase() !== first.receiver.toLowerCase() || j.transport !== first.transport) {
      throw new BatchError(`job ${j.id} is for chain ${j.chainId} receiver ${j.receiver} over ${j.transport}, the batch for chain ${first.chainId} receiver ${first.receiver} over ${first.transport}`, { jobId: j.id });
    }
  }
  return { chainId: first.chainId, receiver: first.receiver as Address, messages: jobs.map((j) => j.message as Hex), signatures: jobs.map((j) => j.signatures as Hex) };
}

/**
 * Dry-runs `RwaReceiver.receiveMessages` for the batch as `from` makes it (the adapter for CCIP and Wormhole: under a
 * transport quorum the caller names the transport); throws the chain's revert by name. Items already applied are
 * skipped on chain, so a partly applied batch simulates fine.
 */
export async function simulateBatchOn(pub: PublicClient, from: Account | Address, jobs: readonly Job[]): Promise<void> {
  const b = batchParts(jobs);
  await pub.simulateContract({ address: b.receiver, abi: receiverDeliveryAbi, functionName: 'receiveMessages', args: [b.messages, b.signatures], account: from });
}
