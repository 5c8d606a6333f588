import { concat } from 'viem';
import type { DidHash } from '../ids.js';
import { u } from './codec.js';
import { defineKind } from './spec.js';

/**
 * Kind 14: brakes. Per DID and destination chain: a token bucket per direction on settlement amounts (mint =
 * subscription and move in, burn = redemption and move out) and the amount line above which a settlement needs a
 * higher signature threshold. A state-setting kind ordered like kind 12 (an older one is superseded), signed by the
 * DID's signer set as AdminAttestation(did, nonce, 14, body) and sent to that chain alone (docs/brakes.md).
 *
 * ```
 * offset size field
 *  42     8   chainId              the chain these brakes are for (any other chain's receiver refuses them)
 *  50    16   mintCapacity         token units the mint bucket holds; 0 = no limit on minting
 *  66    16   mintRefillPerSecond  token units the mint bucket regains per second
 *  82    16   burnCapacity         token units the burn bucket holds; 0 = no limit on burning
 *  98    16   burnRefillPerSecond  token units the burn bucket regains per second
 * 114    16   largeAmount          a settlement above it needs largeThreshold signatures; 0 = no line
 * 130     1   largeThreshold       signatures above the line (0 when largeAmount is 0)
 * ```
 */
export const BRAKES_LENGTH = 131;

/** Settlement directions of the brakes (queuedOf / drainQueued take them as uint8). */
export const BRAKES_DIRECTION = { mint: 0, burn: 1 } as const;
export type BrakesDirection = keyof typeof BRAKES_DIRECTION;

export interface BrakesMessage {
  kind: 'brakes';
  did: DidHash;
  nonce: bigint;
  /** EVM chain id the brakes are for; the oracle sends the attestation to that chain only. */
  chainId: bigint;
  /** uint128 token units; 0 = no limit on minting. */
  mintCapacity: bigint;
  /** uint128 token units per second. */
  mintRefillPerSecond: bigint;
  /** uint128 token units; 0 = no limit on burning. */
  burnCapacity: bigint;
  /** uint128 token units per second. */
  burnRefillPerSecond: bigint;
  /** uint128 token units; 0 = no amount line. */
  largeAmount: bigint;
  /** uint8: exact signature count a settlement above largeAmount needs; 0 when largeAmount is 0. */
  largeThreshold: number;
}

/** What a (DID, chain) has until its first kind-14 attestation applies: no limits, no line. */
export const NO_BRAKES = { mintCapacity: 0n, mintRefillPerSecond: 0n, burnCapacity: 0n, burnRefillPerSecond: 0n, largeAmount: 0n, largeThreshold: 0 } as const;

/** The kind-14 body; bytes are fixed, the rules (threshold vs signer count) are checked by the receiver. */
export const brakes = defineKind({
  code: 14,
  name: 'brakes',
  label: 'brakes',
  encodeBody: (m: BrakesMessage) =>
    concat([u(m.chainId, 8), u(m.mintCapacity, 16), u(m.mintRefillPerSecond, 16), u(m.burnCapacity, 16), u(m.burnRefillPerSecond, 16), u(m.largeAmount, 16), u(m.largeThreshold, 1)]),
  decodeBody: ({ did, nonce }, r): BrakesMessage => {
    r.exact(BRAKES_LENGTH, 'brakes');
    return {
      kind: 'brakes',
      did,
      nonce,
      chainId: r.big(42, 50),
      mintCapacity: r.big(50, 66),
      mintRefillPerSecond: r.big(66, 82),
      burnCapacity: r.big(82, 98),
      burnRefillPerSecond: r.big(98, 114),
      largeAmount: r.big(114, 130),
      largeThreshold: r.num(130, 131),
    };
  },
});
