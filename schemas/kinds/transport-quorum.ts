import { concat, keccak256, stringToBytes } from 'viem';
import type { FromSchema } from 'json-schema-to-ts';
import type { DidHash } from '../ids.js';
import type { TransportName } from '../deployment.js';
import { u } from './codec.js';
import { DRAFT, evmChainId, registryDid } from './json.js';
import { defineKind, defineSource } from './spec.js';

/**
 * Kind 12: transport quorum. Per DID and destination chain: apply a message once k of the transports in the mask
 * delivered the same bytes (/work/drafts/quorum-spec.md). Signed as AdminAttestation(did, nonce, 12, body).
 *
 * ```
 * offset size field
 *  42     8   chainId      the chain this rule is for (any other chain's receiver refuses it)
 *  50     1   k            how many distinct transports must deliver
 *  51     1   transports   bitmask of the transports that count (TRANSPORT_BITS)
 * ```
 */
export const TRANSPORT_QUORUM_LENGTH = 52;

/**
 * One bit per transport (names of schemas/deployment.ts TransportName), the same in Solidity, TypeScript and the
 * docs. cctp = a direct receiveMessage by any caller that is not a bound adapter.
 */
export const TRANSPORT_BITS = { cctp: 1, ccip: 2, wormhole: 4 } as const satisfies Record<TransportName, number>;
/** Every bit a mask may carry (cctp | ccip | wormhole). */
export const TRANSPORT_MASK_ALL = 7;
/** In bit order: the order maskToTransports returns. */
export { TRANSPORT_NAMES } from '../deployment.js';
import { TRANSPORT_NAMES } from '../deployment.js';

export interface TransportQuorumMessage {
  kind: 'transportQuorum';
  did: DidHash;
  nonce: bigint;
  /** EVM chain id the rule is for; the oracle sends the attestation to that chain only. */
  chainId: bigint;
  /** uint8: distinct transports that must deliver; 0 only with transports 0 (ungated). */
  k: number;
  /** uint8 bitmask of TRANSPORT_BITS. */
  transports: number;
}

export const transportsToMask = (names: readonly TransportName[]): number => names.reduce((mask, n) => mask | TRANSPORT_BITS[n], 0);

/** The transports of a mask in bit order; throws on a bit outside TRANSPORT_MASK_ALL. */
export function maskToTransports(mask: number): TransportName[] {
  if (!Number.isInteger(mask) || mask < 0 || (mask & ~TRANSPORT_MASK_ALL) !== 0) throw new Error(`transport mask ${mask} has bits outside ${TRANSPORT_MASK_ALL}`);
  return TRANSPORT_NAMES.filter((n) => (mask & TRANSPORT_BITS[n]) !== 0);
}

export const popcount = (mask: number): number => {
  let n = 0;
  for (let m = mask; m > 0; m >>= 1) n += m & 1;
  return n;
};

/**
 * Why (k, transports) is not a valid quorum, or undefined when it is. The rule of RwaDidRegistry.setTransportQuorum
 * and of the receiver applying kind 12: transports & ~7 == 0; transports == 0 <=> k == 0 (0/0 = ungated, any single
 * delivery applies); otherwise 1 <= k <= popcount(transports).
 */
export function transportQuorumIssue(k: number, transports: number): string | undefined {
  if (!Number.isInteger(k) || k < 0 || k > 0xff) return `k ${k} is not a uint8`;
  if (!Number.isInteger(transports) || transports < 0 || transports > 0xff) return `transports ${transports} is not a uint8`;
  if ((transports & ~TRANSPORT_MASK_ALL) !== 0) return `transports ${transports} has bits outside ${TRANSPORT_MASK_ALL}`;
  if (transports === 0) return k === 0 ? undefined : `k must be 0 when transports is 0 (k ${k})`;
  if (k < 1 || k > popcount(transports)) return `k must be 1..${popcount(transports)} for transports ${transports} (k ${k})`;
  return undefined;
}

export const isValidTransportQuorum = (k: number, transports: number): boolean => transportQuorumIssue(k, transports) === undefined;

/** 0/0: what a (DID, chain) has until its first kind-12 attestation applies (today's single-delivery behaviour). */
export const UNGATED_QUORUM = { k: 0, transports: 0 } as const;

/**
 * A DID's transport quorum on one chain as the hub registry holds it (RwaDidRegistry.transportQuorumOf), which a
 * `transportQuorum` attestation (kind 12) carries to that chain only. The signer reads the registry itself and signs
 * only if k and transports equal its current state.
 */
export const quorumSnapshotSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/quorum-snapshot.json',
  title: "The hub registry's transport quorum of a DID on one chain",
  type: 'object',
  additionalProperties: false,
  required: ['did', 'chainId', 'revision', 'k', 'transports'],
  properties: {
    did: registryDid,
    chainId: { ...evmChainId, description: 'the chain the rule is for, and the only chain the attestation is signed for' },
    revision: {
      type: 'integer',
      minimum: 1,
      maximum: 9007199254740991,
      description: "the aggregator's count of quorum attestations for the DID on this chain, this one included: tells apart a quorum set again after a change",
    },
    k: { type: 'integer', minimum: 0, maximum: 3, description: 'distinct transports that must deliver; 0 only with transports 0' },
    transports: { type: 'integer', minimum: 0, maximum: 7, description: 'bitmask: 1 cctp, 2 ccip, 4 wormhole' },
  },
} as const;
export type QuorumSnapshot = FromSchema<typeof quorumSnapshotSchema>;

/**
 * The kind-12 body; bytes are fixed, the rule is not checked when decoding (a receiver refuses an invalid one with
 * InvalidTransportQuorum; use transportQuorumIssue).
 */
export const transportQuorum = defineKind({
  code: 12,
  name: 'transportQuorum',
  label: 'transport quorum',
  encodeBody: (m: TransportQuorumMessage) => concat([u(m.chainId, 8), u(m.k, 1), u(m.transports, 1)]),
  decodeBody: ({ did, nonce }, r): TransportQuorumMessage => {
    r.exact(TRANSPORT_QUORUM_LENGTH, 'transport quorum');
    return { kind: 'transportQuorum', did, nonce, chainId: r.big(42, 50), k: r.num(50, 51), transports: r.num(51, 52) };
  },
});

/**
 * Source of kind 12: the hub registry's transport quorum of a DID on one chain, with the aggregator's revision for
 * that (DID, chain). The aggregator and every signer build the message from it.
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

export const transportQuorumSource = defineSource({
  kind: 'transportQuorum',
  requestSchema: quorumSnapshotSchema,
  fromRequest: (request: QuorumSnapshot): QuorumSource => ({ kind: 'transportQuorum', request: canonicalQuorum(request) }),
  build: quorumAttestationOf,
  ref: (s) => quorumRef(s.request),
});
