import { BaseError, ContractFunctionRevertedError, type Address, type Hex, type PublicClient } from 'viem';
import { rwaReceiverAbi } from '../../schemas/abi.js';
import type { Job } from '../store/outbox.js';
import { rootBatched } from '../schedule.js';
import { isWholeTree, packBatchItems } from '../../core/batch-tree.js';
import { BatchError } from './batch.js';
import { receiverDeliveryAbi } from './delivery-abi.js';

/**
 * The parts of one `RwaReceiver.receiveBatch`: one DID, one Merkle root, the messages with their proofs. `whole`: the
 * messages are every leaf of the root in the tree's order, so the call carries no proofs (the receiver recomputes the
 * root from the items; a proof is log2(n) words of calldata per item).
 */
export interface RootBatch {
  receiver: Address;
  did: Hex;
  root: Hex;
  /** The committee's signatures over AttestationBatch{did, root} in this chain's domain. */
  signatures: Hex;
  messages: Hex[];
  proofs: Hex[][];
  whole: boolean;
}

/** A proof as the outbox keeps it: the siblings packed in one hex string ('0x' for none: a root of one message). */
export function packProof(proof: readonly Hex[]): Hex {
  return `0x${proof.map((p) => p.slice(2)).join('')}`;
}

/** A proof as the outbox keeps it (siblings packed, 32 bytes each) back to its list. */
export function unpackProof(packed: string): Hex[] {
  const body = packed.startsWith('0x') ? packed.slice(2) : packed;
  if (body.length % 64 !== 0 || !/^[0-9a-fA-F]*$/.test(body)) throw new BatchError(`a packed Merkle proof must be 32-byte words, got ${body.length / 2} bytes`);
  return Array.from({ length: body.length / 64 }, (_, i) => `0x${body.slice(i * 64, i * 64 + 64)}` as Hex);
}

/**
 * The jobs as one `receiveBatch`, when they can go so: every one carries the same root of the same DID (rootBatched:
 * ungated, settlement or NAV). Undefined otherwise: they go in one `receiveMessages`.
 */
export function rootBatchOf(jobs: readonly Job[]): RootBatch | undefined {
  const [first] = jobs;
  if (!first || !jobs.every(rootBatched)) return undefined;
  if (jobs.some((j) => j.batchRoot !== first.batchRoot || j.didHash !== first.didHash || j.receiver.toLowerCase() !== first.receiver.toLowerCase())) return undefined;
  // The items travel without their DID (packBatchItems): a message not of the jobs' DID could not be one of them.
  if (jobs.some((j) => j.message.slice(6, 70).toLowerCase() !== first.didHash.slice(2).toLowerCase())) return undefined;
  const root = first.batchRoot as Hex;
  const messages = jobs.map((j) => j.message as Hex);
  return {
    receiver: first.receiver as Address,
    did: first.didHash as Hex,
    root,
    signatures: (first.batchSignatures ?? '0x') as Hex,
    messages,
    proofs: jobs.map((j) => unpackProof(j.batchProof ?? '0x')),
    whole: isWholeTree(root, messages),
  };
}

/**
 * The `receiveBatch` call: the messages packed without their DID (core/batch-tree.ts packBatchItems), no proofs for a
 * whole tree; without signatures when the chain already verified the root under the DID's signer set.
 */
export function receiveBatchCall(b: RootBatch, withSignatures: boolean) {
  return {
    address: b.receiver,
    abi: receiverDeliveryAbi,
    functionName: 'receiveBatch',
    args: [b.did, b.root, withSignatures ? b.signatures : '0x', packBatchItems(b.did, b.messages), b.whole ? [] : b.proofs],
  } as const;
}

/** The receiver's errors that name the batch item at fault (its index is their first argument). */
export const ITEM_REVERTS = ['InvalidMerkleProof', 'InvalidBatchItem', 'KindNotAllowedInBatch'] as const;

/** A revert's custom error name and arguments, when the error is one. */
export function revertOf(err: unknown): { name: string; args: readonly unknown[] } | undefined {
  if (!(err instanceof BaseError)) return undefined;
  const r = err.walk((e) => e instanceof ContractFunctionRevertedError);
  if (!(r instanceof ContractFunctionRevertedError) || r.data?.errorName === undefined) return undefined;
  return { name: r.data.errorName, args: r.data.args ?? [] };
}

/** The index of the batch item a revert names (ITEM_REVERTS), if it names one. */
export function failingItem(err: unknown): number | undefined {
  const r = revertOf(err);
  if (!r || !(ITEM_REVERTS as readonly string[]).includes(r.name)) return undefined;
  const i = r.args[0];
  return typeof i === 'bigint' ? Number(i) : undefined;
}

/**
 * What a chain knows of each root: `verified` when `batchRootEpoch(did, root)` equals the DID's signer epoch (a later
 * `receiveBatch` of that root may pass empty signatures), `gated` when the DID has a transport quorum there (the
 * receiver refuses its batches). A verified root is remembered: read once, or marked when a delivery that carried its
 * signatures was mined; a rotation of the signer set is caught by the dry-run (BatchRootNotVerified) and forgotten.
 */
export class RootStatus {
  static readonly MAX_ROOTS = 4_096;
  private readonly verified = new Set<string>();
  constructor(private readonly pub: PublicClient) {}

  private key = (b: Pick<RootBatch, 'receiver' | 'did' | 'root'>) => `${b.receiver.toLowerCase()}:${b.did.toLowerCase()}:${b.root.toLowerCase()}`;

  /** Reads under way, by root: the groups of one root in one pass share one read. */
  private readonly reading = new Map<string, Promise<'verified' | 'unverified' | 'gated'>>();

  of(b: Pick<RootBatch, 'receiver' | 'did' | 'root'>): Promise<'verified' | 'unverified' | 'gated'> {
    const key = this.key(b);
    if (this.verified.has(key)) return Promise.resolve('verified');
    const known = this.reading.get(key);
    if (known) return known;
    const read = this.read(b).finally(() => this.reading.delete(key));
    this.reading.set(key, read);
    return read;
  }

  private async read(b: Pick<RootBatch, 'receiver' | 'did' | 'root'>): Promise<'verified' | 'unverified' | 'gated'> {
    const [st, epoch] = await Promise.all([
      this.pub.readContract({ address: b.receiver, abi: rwaReceiverAbi, functionName: 'didState', args: [b.did] }),
      this.pub.readContract({ address: b.receiver, abi: rwaReceiverAbi, functionName: 'batchRootEpoch', args: [b.did, b.root] }),
    ]);
    if (st.quorumTransports !== 0) return 'gated';
    if (st.signerEpoch === 0 || epoch !== st.signerEpoch) return 'unverified';
    this.markVerified(b);
    return 'verified';
  }

  markVerified(b: Pick<RootBatch, 'receiver' | 'did' | 'root'>): void {
    // Bounded: the oldest roots are long delivered; one forgotten is read from the chain again.
    if (this.verified.size >= RootStatus.MAX_ROOTS) this.verified.delete(this.verified.values().next().value as string);
    this.verified.add(this.key(b));
  }

  forget(b: Pick<RootBatch, 'receiver' | 'did' | 'root'>): void {
    this.verified.delete(this.key(b));
  }
}
