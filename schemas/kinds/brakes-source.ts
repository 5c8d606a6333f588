import { keccak256, stringToBytes } from 'viem';
import type { FromSchema } from 'json-schema-to-ts';
import type { DidHash } from '../ids.js';
import { DRAFT, evmChainId, registryDid, uintString } from './json.js';
import { defineSource, RequestIssue } from './spec.js';
import type { BrakesMessage } from './brakes.js';

/** uint128: every amount and refill of kind 14 is one. */
export const MAX_UINT128 = (1n << 128n) - 1n;
/** What the receivers store capacities and the line in (BrakeBucket.MAX_AMOUNT: 96 bits) and the line's threshold (6 bits). */
export const MAX_BRAKES_AMOUNT = (1n << 96n) - 1n;
export const MAX_LARGE_THRESHOLD = 63;

const uint128String = { ...uintString, pattern: '^(0|[1-9][0-9]{0,38})$' } as const;

/**
 * A DID's brakes on one chain as the hub registry holds them (RwaDidRegistry.brakesOf), which a `brakes`
 * attestation (kind 14) carries to that chain only. Amounts are token base units as decimal strings; refills are
 * per second. The signer reads the registry itself and signs only if every field equals its current state.
 */
export const brakesSnapshotSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/brakes-snapshot.json',
  title: "The hub registry's brakes of a DID on one chain",
  type: 'object',
  additionalProperties: false,
  required: ['did', 'chainId', 'revision', 'mintCapacity', 'mintRefillPerSecond', 'burnCapacity', 'burnRefillPerSecond', 'largeAmount', 'largeThreshold'],
  properties: {
    did: registryDid,
    chainId: { ...evmChainId, description: 'the chain the brakes are for, and the only chain the attestation is signed for' },
    revision: {
      type: 'integer',
      minimum: 1,
      maximum: 9007199254740991,
      description: "the aggregator's count of brakes attestations for the DID on this chain, this one included: tells apart brakes set again after a change",
    },
    mintCapacity: { ...uint128String, description: 'token base units the mint bucket holds; 0 = no limit on minting' },
    mintRefillPerSecond: { ...uint128String, description: 'token base units the mint bucket regains per second' },
    burnCapacity: { ...uint128String, description: 'token base units the burn bucket holds; 0 = no limit on burning' },
    burnRefillPerSecond: { ...uint128String, description: 'token base units the burn bucket regains per second' },
    largeAmount: { ...uint128String, description: 'a settlement above it needs largeThreshold signatures; 0 = no line' },
    largeThreshold: { type: 'integer', minimum: 0, maximum: 255, description: 'signatures a settlement above the line needs; 0 without a line' },
  },
} as const;
export type BrakesSnapshot = FromSchema<typeof brakesSnapshotSchema>;

/** The brakes fields (no DID, chain or revision), as numbers: what the registry and the receivers hold. */
export interface BrakesValues {
  mintCapacity: bigint;
  mintRefillPerSecond: bigint;
  burnCapacity: bigint;
  burnRefillPerSecond: bigint;
  largeAmount: bigint;
  largeThreshold: number;
}

export const BRAKES_FIELDS = ['mintCapacity', 'mintRefillPerSecond', 'burnCapacity', 'burnRefillPerSecond', 'largeAmount', 'largeThreshold'] as const;

/** What a (DID, chain) has until its first kind-14 attestation applies, and what the registry answers when never set. */
export const NO_BRAKES_VALUES: BrakesValues = { mintCapacity: 0n, mintRefillPerSecond: 0n, burnCapacity: 0n, burnRefillPerSecond: 0n, largeAmount: 0n, largeThreshold: 0 };

export const brakesValuesOf = (s: BrakesSnapshot): BrakesValues => ({
  mintCapacity: BigInt(s.mintCapacity),
  mintRefillPerSecond: BigInt(s.mintRefillPerSecond),
  burnCapacity: BigInt(s.burnCapacity),
  burnRefillPerSecond: BigInt(s.burnRefillPerSecond),
  largeAmount: BigInt(s.largeAmount),
  largeThreshold: s.largeThreshold,
});

export const sameBrakes = (a: BrakesValues, b: BrakesValues): boolean => BRAKES_FIELDS.every((k) => a[k] === b[k]);

/** True when `value` is m * 10^e with m < 2^32: how the receivers store a line exactly (BrakeBucket.encode). */
export function isRepresentableLine(value: bigint): boolean {
  let v = value;
  while (v > 0xffffffffn) {
    if (v % 10n !== 0n) return false;
    v /= 10n;
  }
  return true;
}

/**
 * Why the brakes are not valid for a DID whose set has `threshold` of `signerCount`, or undefined when they are:
 * the rule of RwaDidRegistry.setBrakes. Capacities and the line fit 96 bits; each bucket has capacity and refill both
 * zero (no limit) or both non-zero; a line's threshold is within threshold..signerCount (at most 63), 0 without a line.
 */
export function brakesIssue(b: BrakesValues, threshold: number, signerCount: number): string | undefined {
  for (const k of BRAKES_FIELDS) {
    const v = b[k];
    if (k === 'largeThreshold' ? !Number.isInteger(v) || (v as number) < 0 || (v as number) > 0xff : (v as bigint) < 0n || (v as bigint) > MAX_UINT128) return `${k} is out of range`;
  }
  for (const k of ['mintCapacity', 'burnCapacity', 'largeAmount'] as const) if (b[k] > MAX_BRAKES_AMOUNT) return `${k} exceeds 2^96 - 1 (the receivers' range)`;
  if (!isRepresentableLine(b.largeAmount)) return `largeAmount ${b.largeAmount} is not a 32-bit mantissa times a power of ten (the receivers store the line exactly)`;
  if ((b.mintCapacity === 0n) !== (b.mintRefillPerSecond === 0n)) return 'mint capacity and refill must both be zero or both be set';
  if ((b.burnCapacity === 0n) !== (b.burnRefillPerSecond === 0n)) return 'burn capacity and refill must both be zero or both be set';
  if (b.largeAmount === 0n) return b.largeThreshold === 0 ? undefined : `largeThreshold must be 0 without a line (${b.largeThreshold})`;
  if (b.largeThreshold < threshold || b.largeThreshold > signerCount || b.largeThreshold > MAX_LARGE_THRESHOLD) return `largeThreshold must be ${threshold}..${signerCount} (${b.largeThreshold})`;
  return undefined;
}

/** Source of kind 14: the registry's brakes of a DID on one chain, with the aggregator's revision for that pair. */
export type BrakesSource = { kind: 'brakes'; request: BrakesSnapshot };

export function brakesAttestationOf(s: BrakesSource, did: DidHash, nonce: bigint): BrakesMessage {
  const b = brakesValuesOf(s.request);
  return { kind: 'brakes', did, nonce, chainId: BigInt(s.request.chainId), ...b };
}

/** The snapshot with its keys in one order, so its idempotency key never depends on who built the object. */
export const canonicalBrakes = (s: BrakesSnapshot): BrakesSnapshot => ({
  did: s.did,
  chainId: s.chainId,
  revision: s.revision,
  mintCapacity: s.mintCapacity,
  mintRefillPerSecond: s.mintRefillPerSecond,
  burnCapacity: s.burnCapacity,
  burnRefillPerSecond: s.burnRefillPerSecond,
  largeAmount: s.largeAmount,
  largeThreshold: s.largeThreshold,
});

/** Source references of one (DID, chain) share this prefix. */
export const brakesRefPrefix = (chainId: number): string => `brakes:${chainId}:`;

/** The brakes' idempotency key: its chain, then the hash of its content and revision, so each change is attested once. */
export const brakesRef = (s: BrakesSnapshot): string => `${brakesRefPrefix(s.chainId)}${keccak256(stringToBytes(JSON.stringify(canonicalBrakes(s))))}`;

export const brakesSource = defineSource({
  kind: 'brakes',
  requestSchema: brakesSnapshotSchema,
  fromRequest: (request: BrakesSnapshot): BrakesSource => {
    // 39 digits pass the pattern; uint128 stops below 10^39.
    for (const k of BRAKES_FIELDS) if (k !== 'largeThreshold' && BigInt(request[k]) > MAX_UINT128) throw new RequestIssue(`request.${k}`, 'exceeds 2^128 - 1');
    return { kind: 'brakes', request: canonicalBrakes(request) };
  },
  build: brakesAttestationOf,
  ref: (s) => brakesRef(s.request),
});
