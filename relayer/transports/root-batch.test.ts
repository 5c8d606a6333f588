import { describe, expect, it } from 'vitest';
import { pendingJob } from './testkit.js';
import type { Job } from '../store/outbox.js';
import { BatchError } from './batch.js';
import { packProof, rootBatchOf, unpackProof } from './root-batch.js';

const A = `0x${'aa'.repeat(32)}`;
const R1 = `0x${'01'.repeat(32)}`;
const W1 = `0x${'11'.repeat(32)}` as const;
const W2 = `0x${'22'.repeat(32)}` as const;

const job = (id: number, over: Partial<Job> = {}): Job =>
  pendingJob({
    id, attestationId: `0x${id.toString(16).padStart(64, '0')}`, seq: id, did: 'did:rwa:a', didHash: A, nonce: String(id), kind: 'settlement', chainId: 7, transport: 'cctp',
    receiver: `0x${'33'.repeat(20)}`, message: `0x0${id}`, signatures: '0xbb', batchRoot: R1, batchProof: `${W1}${W2.slice(2)}`, batchSignatures: '0xcc', ...over,
  });

describe('root batches', () => {
  it('unpacks a packed proof into its 32-byte siblings; refuses a ragged one', () => {
    expect(unpackProof('0x')).toEqual([]);
    expect(unpackProof(`${W1}${W2.slice(2)}`)).toEqual([W1, W2]);
    expect(() => unpackProof('0x0102')).toThrow(BatchError);
    // A root of one message has an empty proof: packed as '0x', never as bytes.
    expect(packProof([])).toBe('0x');
    expect(unpackProof(packProof([W1, W2]))).toEqual([W1, W2]);
  });

  it('makes one receiveBatch of jobs sharing a root, with the root signatures and each proof', () => {
    const b = rootBatchOf([job(1), job(2, { batchProof: W2 })]);
    expect(b).toEqual({ receiver: `0x${'33'.repeat(20)}`, did: A, root: R1, signatures: '0xcc', messages: ['0x01', '0x02'], proofs: [[W1, W2], [W2]] });
  });

  it('makes none of mixed roots, a job without root, a gated DID or a kind the receiver does not batch', () => {
    expect(rootBatchOf([job(1), job(2, { batchRoot: `0x${'02'.repeat(32)}` })])).toBeUndefined();
    expect(rootBatchOf([job(1), job(2, { batchRoot: null })])).toBeUndefined();
    expect(rootBatchOf([job(1), job(2, { quorumTransports: 3 })])).toBeUndefined();
    expect(rootBatchOf([job(1), job(2, { kind: 'reserve' })])).toBeUndefined();
    expect(rootBatchOf([])).toBeUndefined();
  });
});
