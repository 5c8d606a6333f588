import { describe, expect, it } from 'vitest';
import { pendingJob } from './testkit.js';
import type { Job } from '../store/outbox.js';
import { BatchError } from './batch.js';
import type { Hex, PublicClient } from 'viem';
import { buildBatchTree } from '../../core/batch-tree.js';
import { packProof, rootBatchOf, RootStatus, unpackProof } from './root-batch.js';

const A = `0x${'aa'.repeat(32)}`;
const R1 = `0x${'01'.repeat(32)}`;
const W1 = `0x${'11'.repeat(32)}` as const;
const W2 = `0x${'22'.repeat(32)}` as const;

const job = (id: number, over: Partial<Job> = {}): Job =>
  pendingJob({
    id, attestationId: `0x${id.toString(16).padStart(64, '0')}`, seq: id, did: 'did:rwa:a', didHash: A, nonce: String(id), kind: 'settlement', chainId: 7, transport: 'cctp',
    receiver: `0x${'33'.repeat(20)}`, message: `0x0101${A.slice(2)}${id.toString(16).padStart(16, '0')}`, signatures: '0xbb', batchRoot: R1, batchProof: `${W1}${W2.slice(2)}`, batchSignatures: '0xcc', ...over,
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
    expect(b).toEqual({ receiver: `0x${'33'.repeat(20)}`, did: A, root: R1, signatures: '0xcc', messages: [job(1).message, job(2).message], proofs: [[W1, W2], [W2]], whole: false });
    // Every leaf of its root, in order: the call carries no proofs.
    const whole = buildBatchTree([job(1).message as Hex, job(2).message as Hex]).root;
    expect(rootBatchOf([job(1, { batchRoot: whole }), job(2, { batchRoot: whole })])?.whole).toBe(true);
  });

  it('makes none of mixed roots, a job without root, a gated DID or a kind the receiver does not batch', () => {
    expect(rootBatchOf([job(1), job(2, { batchRoot: `0x${'02'.repeat(32)}` })])).toBeUndefined();
    expect(rootBatchOf([job(1), job(2, { batchRoot: null })])).toBeUndefined();
    expect(rootBatchOf([job(1), job(2, { quorumTransports: 3 })])).toBeUndefined();
    expect(rootBatchOf([job(1), job(2, { kind: 'reserve' })])).toBeUndefined();
    // A message of another DID than the jobs say: it could not travel as an item of theirs.
    expect(rootBatchOf([job(1), job(2, { message: `0x0101${'bb'.repeat(32)}${'00'.repeat(8)}` })])).toBeUndefined();
    expect(rootBatchOf([])).toBeUndefined();
  });
});

describe('RootStatus: what the chain knows of a root', () => {
  /** A chain read stub: the DID's signer epoch and gate, and the root's epoch; counts reads. */
  const chain = (state: { signerEpoch: number; quorumTransports: number; rootEpoch: number }) => {
    const reads: string[] = [];
    const pub = {
      readContract: async ({ functionName }: { functionName: string }) => {
        reads.push(functionName);
        return functionName === 'didState' ? { signerEpoch: state.signerEpoch, quorumTransports: state.quorumTransports } : state.rootEpoch;
      },
    } as unknown as PublicClient;
    return { pub, reads, state };
  };
  const b = { receiver: `0x${'33'.repeat(20)}` as const, did: A as `0x${string}`, root: R1 as `0x${string}` };

  it('reads a root once while groups of it ask at once, remembers it verified, and reads again while not verified', async () => {
    const c = chain({ signerEpoch: 2, quorumTransports: 0, rootEpoch: 0 });
    const s = new RootStatus(c.pub);
    expect(await Promise.all([s.of(b), s.of(b)])).toEqual(['unverified', 'unverified']);
    expect(c.reads).toHaveLength(2);
    c.state.rootEpoch = 2;
    expect(await s.of(b)).toBe('verified');
    expect(await s.of(b)).toBe('verified');
    expect(c.reads).toHaveLength(4);
    // A rotation caught by the dry-run: forgotten, read again.
    s.forget(b);
    c.state.signerEpoch = 3;
    expect(await s.of(b)).toBe('unverified');
  });

  it('says gated for a DID with a transport quorum, and never verified for an unknown DID (epoch 0)', async () => {
    expect(await new RootStatus(chain({ signerEpoch: 1, quorumTransports: 3, rootEpoch: 1 }).pub).of(b)).toBe('gated');
    expect(await new RootStatus(chain({ signerEpoch: 0, quorumTransports: 0, rootEpoch: 0 }).pub).of(b)).toBe('unverified');
  });
});
