import { concat } from 'viem';
import type { FromSchema } from 'json-schema-to-ts';
import type { DidHash } from '../ids.js';
import { u } from './codec.js';
import { DRAFT, did, signature, uintString, unixSeconds } from './json.js';
import { RequestIssue, defineKind, defineSigning, defineSource, signedPostResponses } from './spec.js';

/**
 * Kind 6: a custodian's proof of reserve, split by the oracle into per-chain supply caps.
 *
 * ```
 * offset  size  field
 *  42     32    reserve   token base units
 *  74      8    asOf      unix seconds
 *  82      1    n         caps
 *  83   40*n    caps      chainId (8) | cap (16) | ceiling (16)
 * ```
 */
export interface ReserveMessage {
  kind: 'reserve';
  did: DidHash;
  nonce: bigint;
  reserve: bigint;
  asOf: bigint;
  /**
   * Per chain: its mint budget, and the ceiling = the most its supply can reach before it applies this attestation
   * (its supply or cap in force, whichever is higher). A chain whose cap this raises checks the ceilings (kind 6).
   */
  caps: readonly { chainId: bigint; cap: bigint; ceiling: bigint }[];
}

export const reserveRequestSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/reserve-request.json',
  title: 'Reserve report posted by a custodian (proof of reserve)',
  type: 'object',
  additionalProperties: false,
  required: ['did', 'reserve', 'asOf', 'signature'],
  properties: {
    did,
    reserve: { ...uintString, description: 'token base units the reserve backs' },
    asOf: { ...unixSeconds, description: 'unix seconds of the custody statement' },
    signature,
  },
} as const;
export type ReserveRequest = FromSchema<typeof reserveRequestSchema>;

export const reserve = defineKind({
  code: 6,
  name: 'reserve',
  label: 'reserve',
  encodeBody: (m: ReserveMessage) => concat([u(m.reserve, 32), u(m.asOf, 8), u(m.caps.length, 1), ...m.caps.flatMap((c) => [u(c.chainId, 8), u(c.cap, 16), u(c.ceiling, 16)])]),
  decodeBody: ({ did, nonce }, r): ReserveMessage => {
    const n = r.num(82, 83);
    r.exact(83 + 40 * n, 'reserve');
    const caps = Array.from({ length: n }, (_, i) => ({ chainId: r.big(83 + 40 * i, 91 + 40 * i), cap: r.big(91 + 40 * i, 107 + 40 * i), ceiling: r.big(107 + 40 * i, 123 + 40 * i) }));
    return { kind: 'reserve', did, nonce, reserve: r.big(42, 74), asOf: r.big(74, 82), caps };
  },
});

/**
 * Per-chain supply caps and assumed ceilings (the higher of the chain's supply and cap in force) as they travel between
 * aggregator and signers (token base units as decimal strings).
 */
export type ReserveCaps = { chainId: number; cap: string; ceiling: string }[];

/** A chain cap is a uint128 in the message. */
const MAX_CAP = (1n << 128n) - 1n;

/** A reserve report with the caps the aggregator split it into, in that order. */
export function reserveAttestation(body: ReserveRequest, caps: ReserveCaps, did: DidHash, nonce: bigint): ReserveMessage {
  return { kind: 'reserve', did, nonce, reserve: BigInt(body.reserve), asOf: BigInt(body.asOf), caps: caps.map((c) => ({ chainId: BigInt(c.chainId), cap: BigInt(c.cap), ceiling: BigInt(c.ceiling) })) };
}

export type ReserveSource = { kind: 'reserve'; request: ReserveRequest; caps: ReserveCaps };

export const reserveSource = defineSource({
  kind: 'reserve',
  requestSchema: reserveRequestSchema,
  extras: ['caps'],
  fromRequest: (request: ReserveRequest, env): ReserveSource => {
    const caps = env.caps;
    if (!caps) throw new RequestIssue('caps', 'is required for a reserve');
    caps.forEach((c, i) => {
      if (BigInt(c.cap) > MAX_CAP) throw new RequestIssue(`caps.${i}.cap`, 'exceeds 2^128 - 1');
      if (BigInt(c.ceiling) > MAX_CAP) throw new RequestIssue(`caps.${i}.ceiling`, 'exceeds 2^128 - 1');
    });
    return { kind: 'reserve', request, caps: caps.map((c) => ({ chainId: c.chainId, cap: c.cap, ceiling: c.ceiling })) };
  },
  build: (s: ReserveSource, did, nonce) => reserveAttestation(s.request, s.caps, did, nonce),
  ref: (s) => String(s.request.asOf),
  asOf: (s) => s.request.asOf,
  route: {
    path: '/v1/reserve',
    schemaName: 'ReserveRequest',
    summary: 'Post a custodian-signed ReserveReport (proof of reserve): the oracle splits it into per-chain supply caps and signs them for every chain of the DID (kind 6)',
    responses: signedPostResponses({
      signer: 'a custodian',
      repeat: 'same asOf and body seen before: the existing attestation',
      conflict: 'asOf reused with a different body',
      refused: 'a rule refused it (asOf in the future or not later than the last reserve, a reserve below the supply)',
      unavailable: 'the hub, a chain or the committee cannot be reached; retry',
    }),
  },
});

/**
 * The EIP-712 type the request is signed as (custodian domain of the hub registry) and its typed message: the JSON
 * body but its signature. Signed by a custodian: the reserve (cash and T-bills held) backing the DID, in token base units.
 */
export const reserveSigning = defineSigning({
  primaryType: 'ReserveReport',
  fields: [
    { name: 'did', type: 'string' },
    { name: 'reserve', type: 'uint256' },
    { name: 'asOf', type: 'uint64' },
  ],
  message: (body: Omit<ReserveRequest, 'signature'>) => ({ did: body.did, reserve: BigInt(body.reserve), asOf: BigInt(body.asOf) }),
});
