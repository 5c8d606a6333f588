import type { Job } from '../store/outbox.js';

/** What a job carries; everything else is the outbox's bookkeeping. */
export type JobFields = Pick<Job, 'id' | 'attestationId' | 'seq' | 'did' | 'didHash' | 'nonce' | 'kind' | 'chainId' | 'transport' | 'receiver' | 'message' | 'signatures'>;

/** A job as the outbox holds it before its first attempt (tests of transports against real chains). */
export function pendingJob(fields: JobFields & Partial<Job>): Job {
  return {
    state: 'pending',
    attempts: 0,
    nextAttemptAt: 0,
    txHash: null,
    txNonce: null,
    maxFeePerGas: null,
    maxPriorityFeePerGas: null, batchRoot: null, batchProof: null, batchSignatures: null,
    lastError: null,
    createdAt: 0,
    updatedAt: 0,
    confirmedAt: null,
    quorumTransports: null,
    ...fields,
  };
}
