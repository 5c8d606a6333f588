import { concat, numberToHex, type Hex } from 'viem';
import type { DidHash } from './ids.js';
import type { TransportName } from './deployment.js';

/**
 * Transport quorum (kind 12) of wire layout v1; byte table in contracts/src/libraries/AdminCodec.sol and
 * /work/drafts/quorum-spec.md. Per DID and destination chain: apply a message once k of the transports in the mask
 * delivered the same bytes. Signed as AdminAttestation(did, nonce, 12, body) like kinds 3..11.
 * schemas/message.ts re-exports everything here; import from there.
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
export const TRANSPORT_NAMES: readonly TransportName[] = ['cctp', 'ccip', 'wormhole'];

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

const u = (value: bigint | number, bytes: number): Hex => numberToHex(value, { size: bytes });

export function encodeQuorumBody(m: TransportQuorumMessage): Hex {
  return concat([u(m.chainId, 8), u(m.k, 1), u(m.transports, 1)]);
}

/**
 * Decodes the kind-12 body after the header; bytes are fixed, the rule is not checked here (a receiver refuses an
 * invalid one with InvalidTransportQuorum; use transportQuorumIssue).
 */
export function decodeQuorumBody(did: DidHash, nonce: bigint, r: { exact(expected: number, what: string): void; num(start: number, end: number): number; big(start: number, end: number): bigint }): TransportQuorumMessage {
  r.exact(TRANSPORT_QUORUM_LENGTH, 'transport quorum');
  return { kind: 'transportQuorum', did, nonce, chainId: r.big(42, 50), k: r.num(50, 51), transports: r.num(51, 52) };
}
