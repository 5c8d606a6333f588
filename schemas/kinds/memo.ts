import type { Hex } from 'viem';
import type { FromSchema } from 'json-schema-to-ts';
import type { DidHash } from '../ids.js';
import { DRAFT, bytes32, did, ref, signature } from './json.js';
import { defineKind, defineSigning, defineSource } from './spec.js';

/**
 * Kind 17 (trial of docs/adding-a-kind.md): the DID's issuer anchors a memo by hash on every chain.
 *
 * ```
 * offset size field
 *  42    32   memoHash
 * ```
 */
export const MEMO_LENGTH = 74;

export interface MemoMessage {
  kind: 'memo';
  did: DidHash;
  nonce: bigint;
  memoHash: Hex;
}

export const memoRequestSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/memo-request.json',
  title: "Memo signed by the DID's issuer, anchored on every chain by hash",
  type: 'object',
  additionalProperties: false,
  required: ['did', 'ref', 'memoHash', 'signature'],
  properties: { did, ref: { ...ref, description: "issuer's reference (idempotency key)" }, memoHash: bytes32, signature },
} as const;
export type MemoRequest = FromSchema<typeof memoRequestSchema>;

export const memo = defineKind({
  code: 17,
  name: 'memo',
  label: 'memo',
  encodeBody: (m: MemoMessage) => m.memoHash,
  decodeBody: ({ did, nonce }, r): MemoMessage => {
    r.exact(MEMO_LENGTH, 'memo');
    return { kind: 'memo', did, nonce, memoHash: r.at(42, 74) };
  },
});

export const memoSource = defineSource({
  kind: 'memo',
  requestSchema: memoRequestSchema,
  build: (s: { kind: 'memo'; request: MemoRequest }, did, nonce) => ({ kind: 'memo', did, nonce, memoHash: s.request.memoHash as Hex }),
  ref: (s) => `memo:${s.request.ref}`,
  route: {
    path: '/v1/memos',
    schemaName: 'MemoRequest',
    summary: 'Post an issuer-signed Memo: anchored by hash on every chain of the DID (kind 17)',
    responses: {
      '201': { description: 'attestation signed' },
      '200': { description: 'same ref and body seen before: the existing attestation' },
      '400': { description: 'body fails the schema', error: true },
      '401': { description: 'signature does not recover', error: true },
      '403': { description: 'signer is not the issuer of the DID', error: true },
      '404': { description: 'unknown DID', error: true },
      '409': { description: 'ref reused with a different body', error: true },
    },
  },
});

/** The issuer's Memo (custodian domain). */
export const memoSigning = defineSigning({
  primaryType: 'Memo',
  fields: [
    { name: 'did', type: 'string' },
    { name: 'ref', type: 'string' },
    { name: 'memoHash', type: 'bytes32' },
  ],
  message: (body: Omit<MemoRequest, 'signature'>) => ({ did: body.did, ref: body.ref, memoHash: body.memoHash as Hex }),
});
