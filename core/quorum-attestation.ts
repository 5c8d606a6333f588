import { keccak256, stringToBytes } from 'viem';
import type { QuorumSnapshot } from '../schemas/committee.js';
import type { DidHash } from '../schemas/ids.js';
import type { TransportQuorumMessage } from '../schemas/message.js';

/**
 * Source of kind 12: the hub registry's transport quorum of a DID on one chain (RwaDidRegistry.transportQuorumOf),
 * with the aggregator's revision for that (DID, chain). The aggregator and every signer build the message from it.
 */
export type QuorumSource = { kind: 'transportQuorum'; request: QuorumSnapshot };

export function quorumAttestationOf(s: QuorumSource, did: DidHash, nonce: bigint): TransportQuorumMessage {
  const q = s.request;
  return { kind: 'transportQuorum', did, nonce, chainId: BigInt(q.chainId), k: q.k, transports: q.transports };
}

/** The snapshot with its keys in one order, so its idempotency key never depends on who built the object. */
export const canonicalQuorum = (q: QuorumSnapshot): QuorumSnapshot => ({ did: q.did, chainId: q.chainId, revision: q.revision, k: q.k, transports: q.transports });

/** Source references of one (DID, chain) share this prefix. */
export const quorumRefPrefix = (chainId: number): string => `quorum:${chainId}:`;

/** A quorum's idempotency key: its chain, then the hash of its content and revision, so each change is attested once. */
export const quorumRef = (q: QuorumSnapshot): string => `${quorumRefPrefix(q.chainId)}${keccak256(stringToBytes(JSON.stringify(canonicalQuorum(q))))}`;
