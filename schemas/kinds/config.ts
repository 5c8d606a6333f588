import { concat, hexToString, keccak256, stringToBytes } from 'viem';
import type { FromSchema } from 'json-schema-to-ts';
import type { DidHash } from '../ids.js';
import { shortString, u } from './codec.js';
import { DRAFT, address, registryDid } from './json.js';
import { defineKind, defineSource } from './spec.js';

/**
 * Kind 3: a DID's config as the hub registry holds it, mirrored to every receiver (no HTTP request: the oracle
 * follows the registry).
 *
 * ```
 * offset size field
 *  42     1   threshold
 *  43     1   navDecimals
 *  44     1   tokenDecimals
 *  45     4   heartbeat       seconds
 *  49     2   maxNavMoveBps
 *  51     1   n               signers
 *  52  20*n   signers         strictly increasing
 *   .   1+x   name            1-byte length + UTF-8
 *   .   1+y   symbol          1-byte length + UTF-8
 *   .     8   signersValidUntil unix seconds; past it the set verifies nothing (the last 8 bytes)
 * ```
 */
export interface ConfigMessage {
  kind: 'config';
  did: DidHash;
  nonce: bigint;
  threshold: number;
  navDecimals: number;
  tokenDecimals: number;
  heartbeat: number;
  maxNavMoveBps: number;
  /** Strictly increasing addresses (the contract rejects any other order). */
  signers: readonly `0x${string}`[];
  name: string;
  symbol: string;
  /** Unix seconds after which this signer set verifies nothing on the receiver (uint64 on the wire; the registry keeps it within 32 bits). */
  signersValidUntil: number;
}

/**
 * A DID's config as the hub registry holds it, which a `config` attestation mirrors to every receiver. The signer
 * reads the registry itself and signs only if this equals its current state.
 */
export const configSnapshotSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/config-snapshot.json',
  title: "The hub registry's config of a DID",
  type: 'object',
  additionalProperties: false,
  required: ['did', 'threshold', 'navDecimals', 'tokenDecimals', 'heartbeat', 'maxNavMoveBps', 'signers', 'name', 'symbol', 'signersValidUntil'],
  properties: {
    did: registryDid,
    threshold: { type: 'integer', minimum: 1, maximum: 255 },
    navDecimals: { type: 'integer', minimum: 0, maximum: 255 },
    tokenDecimals: { type: 'integer', minimum: 0, maximum: 255 },
    heartbeat: { type: 'integer', minimum: 0, maximum: 4294967295, description: 'seconds' },
    maxNavMoveBps: { type: 'integer', minimum: 0, maximum: 65535 },
    signers: { type: 'array', minItems: 1, maxItems: 255, items: address, description: 'strictly increasing addresses' },
    name: { type: 'string', maxLength: 255 },
    symbol: { type: 'string', maxLength: 255 },
    signersValidUntil: { type: 'integer', minimum: 1, maximum: 4294967295, description: 'unix seconds after which the signer set verifies nothing' },
  },
} as const;
export type ConfigSnapshot = FromSchema<typeof configSnapshotSchema>;

export const config = defineKind({
  code: 3,
  name: 'config',
  label: 'config',
  encodeBody: (m: ConfigMessage) =>
    concat([u(m.threshold, 1), u(m.navDecimals, 1), u(m.tokenDecimals, 1), u(m.heartbeat, 4), u(m.maxNavMoveBps, 2), u(m.signers.length, 1), ...m.signers, shortString(m.name), shortString(m.symbol), u(m.signersValidUntil, 8)]),
  decodeBody: ({ did, nonce }, r): ConfigMessage => {
    const n = r.num(51, 52);
    const signers = Array.from({ length: n }, (_, i) => r.address(52 + 20 * i, 72 + 20 * i));
    let p = 52 + 20 * n;
    const nameLen = r.num(p, p + 1);
    const name = hexToString(r.at(p + 1, p + 1 + nameLen));
    p += 1 + nameLen;
    const symLen = r.num(p, p + 1);
    const symbol = hexToString(r.at(p + 1, p + 1 + symLen));
    p += 1 + symLen;
    r.exact(p + 8, 'config');
    // A uint64 on the wire; beyond 2^53 a number would round, so such an end (never valid on a receiver) is refused.
    const end = r.big(p, p + 8);
    const signersValidUntil = end > BigInt(Number.MAX_SAFE_INTEGER) ? r.fail(`config signersValidUntil ${end} is beyond any receiver's range`) : Number(end);
    return { kind: 'config', did, nonce, threshold: r.num(42, 43), navDecimals: r.num(43, 44), tokenDecimals: r.num(44, 45), heartbeat: r.num(45, 49), maxNavMoveBps: r.num(49, 51), signers, name, symbol, signersValidUntil };
  },
});

/** The snapshot with its keys in one order, so its idempotency key (configRef, a JSON hash) never depends on the sender's. */
export const canonicalSnapshot = (c: ConfigSnapshot): ConfigSnapshot => ({
  did: c.did,
  threshold: c.threshold,
  navDecimals: c.navDecimals,
  tokenDecimals: c.tokenDecimals,
  heartbeat: c.heartbeat,
  maxNavMoveBps: c.maxNavMoveBps,
  signers: [...c.signers],
  name: c.name,
  symbol: c.symbol,
  signersValidUntil: c.signersValidUntil,
});

/** A config's idempotency key: the hash of its content, so the same registry state is attested once. */
export const configRef = (c: ConfigSnapshot): string => keccak256(stringToBytes(JSON.stringify(c)));

export function configAttestation(snapshot: ConfigSnapshot, did: DidHash, nonce: bigint): ConfigMessage {
  return {
    kind: 'config',
    did,
    nonce,
    threshold: snapshot.threshold,
    navDecimals: snapshot.navDecimals,
    tokenDecimals: snapshot.tokenDecimals,
    heartbeat: snapshot.heartbeat,
    maxNavMoveBps: snapshot.maxNavMoveBps,
    signers: snapshot.signers as `0x${string}`[],
    name: snapshot.name,
    symbol: snapshot.symbol,
    signersValidUntil: snapshot.signersValidUntil,
  };
}

export const configSource = defineSource({
  kind: 'config',
  requestSchema: configSnapshotSchema,
  fromRequest: (request: ConfigSnapshot) => ({ kind: 'config' as const, request: canonicalSnapshot(request) }),
  build: (s: { kind: 'config'; request: ConfigSnapshot }, did, nonce) => configAttestation(s.request, did, nonce),
  ref: (s) => configRef(s.request),
});
