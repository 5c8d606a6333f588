import { hexToBytes, isHex, pad, type Address, type Hex, type PublicClient } from 'viem';
import { rwaReceiverAbi } from '../../schemas/abi.js';
import type { Job } from '../store/outbox.js';

/**
 * Which message used a job's (DID, nonce) on its destination: `ours` (the job's own message applied), `other` (a
 * different message took the nonce: after an oracle store restore, say; the job must never count as delivered), or
 * `unknown` (no applying transaction found within the look-back window).
 */
export type AppliedBy = { by: 'ours'; txHash: Hex } | { by: 'other'; txHash: Hex } | { by: 'unknown' };

export interface AppliedByOptions {
  /** How far back (blocks) to look for the applying transaction. */
  lookbackBlocks: bigint;
  /** Blocks per eth_getLogs call (providers cap the range). */
  chunkBlocks: bigint;
}

export const DEFAULT_APPLIED_BY: AppliedByOptions = { lookbackBlocks: 200_000n, chunkBlocks: 5_000n };

/** Offset of the (did, nonce) pair in every attestation (AttestationCodec header: version 1, kind 1, did 32, nonce 8). */
const DID_NONCE_OFFSET = 2;
const DID_NONCE_LENGTH = 40;
const DID_LENGTH = 32;
/** The kinds a Merkle batch may carry (settlement, NAV): the only items of a receiveBatch. */
const BATCH_KINDS = [1, 2] as const;

/** Whether `needle` occurs in `haystack` (byte arrays, so a match is always byte-aligned). */
export function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(Buffer.from(needle.buffer, needle.byteOffset, needle.byteLength)) !== -1;
}

/**
 * Classifies one transaction's input: whatever carried it (a direct `receiveMessage`, a CCIP execution report, a
 * Wormhole VAA), an attestation travels verbatim in the calldata that applies it; in a Merkle batch (`receiveBatch`)
 * it travels as an item, without its DID (core/batch-tree.ts packBatchItems), the DID given once in the call. The
 * job's whole message, or its item beside its DID -> ours; only its (did, nonce) header pair, or an item of its DID
 * with its nonce -> another message for the same nonce.
 */
export function classifyInput(input: Hex, message: Hex): 'ours' | 'other' | undefined {
  const data = hexToBytes(input);
  const msg = hexToBytes(message);
  if (containsBytes(data, msg)) return 'ours';
  if (msg.length < DID_NONCE_OFFSET + DID_NONCE_LENGTH) return undefined;
  if (containsBytes(data, msg.subarray(DID_NONCE_OFFSET, DID_NONCE_OFFSET + DID_NONCE_LENGTH))) return 'other';
  if (!containsBytes(data, msg.subarray(DID_NONCE_OFFSET, DID_NONCE_OFFSET + DID_LENGTH))) return undefined;
  const item = new Uint8Array([...msg.subarray(0, DID_NONCE_OFFSET), ...msg.subarray(DID_NONCE_OFFSET + DID_LENGTH)]);
  if (containsBytes(data, item)) return 'ours';
  // Another item of the DID at this nonce: version, a batchable kind, the nonce.
  const nonce = msg.subarray(DID_NONCE_OFFSET + DID_LENGTH, DID_NONCE_OFFSET + DID_NONCE_LENGTH);
  return BATCH_KINDS.some((kind) => containsBytes(data, new Uint8Array([msg[0]!, kind, ...nonce]))) ? 'other' : undefined;
}

/**
 * Finds the transaction that applied a job's (DID, nonce) from the receiver's own events (every apply event of the
 * receiver and of its redemptions module carries the DID as first indexed topic), newest first, and tells whose
 * message it carried. No storage is added on chain for this: reading the existing events is enough.
 */
export function appliedByReader(pub: PublicClient, opts: AppliedByOptions = DEFAULT_APPLIED_BY): (job: Job) => Promise<AppliedBy> {
  const modules = new Map<string, Address>();
  const redemptionsOf = async (receiver: Address): Promise<Address> => {
    const known = modules.get(receiver);
    if (known) return known;
    const m = await pub.readContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'redemptions' });
    modules.set(receiver, m);
    return m;
  };
  // A transaction's input never changes under its hash: the items of one batch share one fetch, even when they ask
  // at once (bounded cache; a failed fetch is not kept).
  const inputs = new Map<Hex, Promise<Hex>>();
  const inputOf = (hash: Hex): Promise<Hex> => {
    const known = inputs.get(hash);
    if (known) return known;
    const input = pub.getTransaction({ hash }).then((tx) => tx.input);
    input.catch(() => inputs.get(hash) === input && inputs.delete(hash));
    if (inputs.size >= 64) inputs.delete(inputs.keys().next().value as Hex);
    inputs.set(hash, input);
    return input;
  };
  // The items of one batch look for the same DID's logs in the same range at once: one request answers them all
  // (shared while in flight only, never cached).
  const inFlight = new Map<string, Promise<readonly { transactionHash: Hex | null }[]>>();
  const logsOf = (addresses: Address[], didHash: Hex, from: bigint, to: bigint) => {
    const key = `${addresses.join(',')}:${didHash}:${from}:${to}`;
    const known = inFlight.get(key);
    if (known) return known;
    const logs = pub
      .request({
        method: 'eth_getLogs',
        params: [{ address: addresses, fromBlock: `0x${from.toString(16)}`, toBlock: `0x${to.toString(16)}`, topics: [null, pad(didHash, { size: 32 })] }],
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, logs);
    return logs;
  };
  return async (job) => {
    const receiver = job.receiver as Address;
    const addresses = [receiver, await redemptionsOf(receiver)];
    const message = job.message as Hex;
    if (!isHex(message)) return { by: 'unknown' };
    // Uncached: the applying block may be seconds newer than the client's cached block number.
    const latest = await pub.getBlockNumber({ cacheTime: 0 });
    const floor = latest > opts.lookbackBlocks ? latest - opts.lookbackBlocks : 0n;
    const seen = new Set<Hex>();
    for (let to = latest; to >= floor; ) {
      const from = to - opts.chunkBlocks + 1n > floor ? to - opts.chunkBlocks + 1n : floor;
      const logs = await logsOf(addresses, job.didHash as Hex, from, to);
      for (const log of [...logs].reverse()) {
        const txHash = log.transactionHash;
        if (!txHash || seen.has(txHash)) continue;
        seen.add(txHash);
        const by = classifyInput(await inputOf(txHash), message);
        if (by) return { by, txHash };
      }
      if (from === floor) break;
      to = from - 1n;
    }
    return { by: 'unknown' };
  };
}
