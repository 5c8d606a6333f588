import { concat, getAddress, type Address } from 'viem';
import type { FromSchema } from 'json-schema-to-ts';
import type { DidHash } from '../ids.js';
import { u } from './codec.js';
import { DRAFT, address, did, ref, signature } from './json.js';
import { defineKind, defineSigning, defineSource, signedPostResponses } from './spec.js';

/**
 * Kind 4: accounts the DID's issuer allows (or no longer allows) to hold and receive the asset, on every chain.
 *
 * ```
 * offset  size  field
 *  42      2    n         entries
 *  44   21*n    entries   account (20) | allowed (1)
 * ```
 */
export interface AllowListMessage {
  kind: 'allowlist';
  did: DidHash;
  nonce: bigint;
  entries: readonly { account: `0x${string}`; allowed: boolean }[];
}

export const allowListRequestSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/allowlist-request.json',
  title: "Allow-list change signed by the DID's issuer",
  type: 'object',
  additionalProperties: false,
  required: ['did', 'ref', 'entries', 'signature'],
  properties: {
    did,
    ref: { ...ref, description: "issuer's reference (idempotency key)" },
    entries: {
      type: 'array',
      minItems: 1,
      maxItems: 200,
      items: { type: 'object', additionalProperties: false, required: ['account', 'allowed'], properties: { account: address, allowed: { type: 'boolean' } } },
    },
    signature,
  },
} as const;
export type AllowListRequest = FromSchema<typeof allowListRequestSchema>;

export const allowlist = defineKind({
  code: 4,
  name: 'allowlist',
  label: 'allow-list',
  encodeBody: (m: AllowListMessage) => concat([u(m.entries.length, 2), ...m.entries.flatMap((e) => [e.account, u(e.allowed ? 1 : 0, 1)])]),
  decodeBody: ({ did, nonce }, r): AllowListMessage => {
    const n = r.num(42, 44);
    r.exact(44 + 21 * n, 'allow-list');
    const entries = Array.from({ length: n }, (_, i) => ({ account: r.address(44 + 21 * i, 64 + 21 * i), allowed: r.num(64 + 21 * i, 65 + 21 * i) !== 0 }));
    return { kind: 'allowlist', did, nonce, entries };
  },
});

/** The issuer's entries with checksummed accounts: what the message carries and what the request hash covers. */
export const allowListEntries = (body: AllowListRequest) => body.entries.map((e) => ({ account: getAddress(e.account), allowed: e.allowed }));

export function allowListAttestation(body: AllowListRequest, did: DidHash, nonce: bigint): AllowListMessage {
  return { kind: 'allowlist', did, nonce, entries: allowListEntries(body) };
}

export const allowListSource = defineSource({
  kind: 'allowlist',
  requestSchema: allowListRequestSchema,
  build: (s: { kind: 'allowlist'; request: AllowListRequest }, did, nonce) => allowListAttestation(s.request, did, nonce),
  ref: (s) => s.request.ref,
  route: {
    path: '/v1/allowlist',
    schemaName: 'AllowListRequest',
    summary: "Post an issuer-signed AllowListUpdate: accounts allowed (or no longer allowed) to hold the asset, on every chain of the DID (kind 4)",
    responses: signedPostResponses({
      signer: 'the issuer',
      repeat: 'same ref and body seen before: the existing attestation',
      conflict: 'ref reused with a different body',
      unavailable: 'the hub or the committee cannot be reached; retry',
    }),
  },
});

/**
 * The EIP-712 type the request is signed as (custodian domain of the hub registry) and its typed message: the JSON
 * body but its signature. Signed by the DID's issuer: accounts allowed (or no longer allowed) to hold and receive the asset. Entries split into parallel account / allowed arrays.
 */
export const allowListSigning = defineSigning({
  primaryType: 'AllowListUpdate',
  fields: [
    { name: 'did', type: 'string' },
    { name: 'ref', type: 'string' },
    { name: 'accounts', type: 'address[]' },
    { name: 'allowed', type: 'bool[]' },
  ],
  message: (body: Omit<AllowListRequest, 'signature'>) => ({
    did: body.did,
    ref: body.ref,
    accounts: body.entries.map((e) => e.account as Address),
    allowed: body.entries.map((e) => e.allowed),
  }),
});
