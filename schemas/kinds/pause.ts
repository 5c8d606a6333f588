import type { FromSchema } from 'json-schema-to-ts';
import type { DidHash } from '../ids.js';
import { u } from './codec.js';
import { DRAFT, did, ref, signature } from './json.js';
import { defineKind, defineSigning, defineSource, signedPostResponses } from './spec.js';

/**
 * Kind 5: the DID's issuer stops (or resumes) transfers and settlement application on every chain.
 *
 * ```
 * offset size field
 *  42     1   paused   0 or 1
 * ```
 */
export const PAUSE_LENGTH = 43;

export interface PauseMessage {
  kind: 'pause';
  did: DidHash;
  nonce: bigint;
  paused: boolean;
}

export const pauseRequestSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/pause-request.json',
  title: "Pause or resume order signed by the DID's issuer",
  type: 'object',
  additionalProperties: false,
  required: ['did', 'ref', 'paused', 'signature'],
  properties: { did, ref: { ...ref, description: "issuer's reference (idempotency key)" }, paused: { type: 'boolean' }, signature },
} as const;
export type PauseRequest = FromSchema<typeof pauseRequestSchema>;

export const pause = defineKind({
  code: 5,
  name: 'pause',
  label: 'pause',
  encodeBody: (m: PauseMessage) => u(m.paused ? 1 : 0, 1),
  decodeBody: ({ did, nonce }, r): PauseMessage => {
    r.exact(PAUSE_LENGTH, 'pause');
    return { kind: 'pause', did, nonce, paused: r.num(42, 43) !== 0 };
  },
});

export function pauseAttestation(body: PauseRequest, did: DidHash, nonce: bigint): PauseMessage {
  return { kind: 'pause', did, nonce, paused: body.paused };
}

export const pauseSource = defineSource({
  kind: 'pause',
  requestSchema: pauseRequestSchema,
  build: (s: { kind: 'pause'; request: PauseRequest }, did, nonce) => pauseAttestation(s.request, did, nonce),
  ref: (s) => s.request.ref,
  route: {
    path: '/v1/pause',
    schemaName: 'PauseRequest',
    summary: 'Post an issuer-signed PauseOrder: stop (or resume) transfers and settlement application on every chain of the DID (kind 5)',
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
 * body but its signature. Signed by the DID's issuer: stop (or resume) transfers and settlement application on every chain.
 */
export const pauseSigning = defineSigning({
  primaryType: 'PauseOrder',
  fields: [
    { name: 'did', type: 'string' },
    { name: 'ref', type: 'string' },
    { name: 'paused', type: 'bool' },
  ],
  message: (body: Omit<PauseRequest, 'signature'>) => ({ did: body.did, ref: body.ref, paused: body.paused }),
});
