import { keccak256, stringToBytes, type Hex } from 'viem';
import { isChainId as isKnownWormholeChainId } from '@wormhole-foundation/sdk-base';

/** Branded ids: an EVM chain id is never confused with another number, a DID string never with its hash. */
export type ChainId = bigint & { readonly __brand: 'ChainId' };
export type DidString = string & { readonly __brand: 'DidString' };
export type DidHash = Hex & { readonly __brand: 'DidHash' };
/** keccak256 of the attestation message bytes: the same id on every chain. */
export type AttestationId = Hex & { readonly __brand: 'AttestationId' };

export const DID_PATTERN = /^did:rwa:[a-z0-9][a-z0-9._-]{0,63}(:[a-z0-9][a-z0-9._-]{0,63}){0,2}$/;

export const chainId = (n: bigint | number): ChainId => BigInt(n) as ChainId;

/** A Wormhole chain id (uint16, e.g. 2 = Ethereum): never an EVM chain id. */
export type WormholeChainId = number & { readonly __brand: 'WormholeChainId' };

/** Checks `n` against the Wormhole SDK's chain table: a VAA can only name a chain Wormhole knows. */
export function wormholeChainId(n: number): WormholeChainId {
  if (!isKnownWormholeChainId(n)) throw new Error(`not a Wormhole chain id known to @wormhole-foundation/sdk-base: ${n}`);
  return n as WormholeChainId;
}

export function parseDid(value: string): DidString {
  if (!DID_PATTERN.test(value)) throw new Error(`not an RWA DID: ${value}`);
  return value as DidString;
}

/** Hashes of the DIDs seen (a process serves a few; every request and signature names one): one Keccak each. */
const didHashes = new Map<string, DidHash>();
const DID_HASH_CACHE_MAX = 1024;

/** On-chain key of a DID: keccak256 of its UTF-8 string, as RwaDidRegistry computes it. */
export function didHash(did: DidString): DidHash {
  let h = didHashes.get(did);
  if (h === undefined) {
    h = keccak256(stringToBytes(did)) as DidHash;
    if (didHashes.size >= DID_HASH_CACHE_MAX) didHashes.clear();
    didHashes.set(did, h);
  }
  return h;
}

/** On-chain form of a custodian's settlement reference. */
export const refHash = (ref: string): Hex => keccak256(stringToBytes(ref));
