import { concat } from 'viem';
import type { FromSchema } from 'json-schema-to-ts';
import type { DidHash } from '../ids.js';
import { u } from './codec.js';
import { DRAFT, did, signature, uintString, unixSeconds } from './json.js';
import { defineKind, defineSigning, defineSource } from './spec.js';

/**
 * Kind 2: a NAV per unit posted by a NAV publisher.
 *
 * ```
 * offset size field
 *  42    32   nav    NAV per unit scaled by the DID's NAV decimals
 *  74     8   asOf   unix seconds the NAV was struck
 * ```
 */
export const NAV_LENGTH = 82;

export interface NavMessage {
  kind: 'nav';
  did: DidHash;
  nonce: bigint;
  nav: bigint;
  asOf: bigint;
}

export const navRequestSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/nav-request.json',
  title: 'NAV update posted by a NAV publisher',
  type: 'object',
  additionalProperties: false,
  required: ['did', 'nav', 'asOf', 'signature'],
  properties: {
    did,
    nav: { ...uintString, description: "NAV per unit scaled by the DID's NAV decimals" },
    asOf: { ...unixSeconds, description: 'unix seconds the NAV was struck' },
    signature,
  },
} as const;
export type NavRequest = FromSchema<typeof navRequestSchema>;

export const nav = defineKind({
  code: 2,
  name: 'nav',
  label: 'NAV',
  encodeBody: (m: NavMessage) => concat([u(m.nav, 32), u(m.asOf, 8)]),
  decodeBody: ({ did, nonce }, r): NavMessage => {
    r.exact(NAV_LENGTH, 'NAV');
    return { kind: 'nav', did, nonce, nav: r.big(42, 74), asOf: r.big(74, 82) };
  },
  typed: (m) => ({ primaryType: 'NavAttestation', message: { did: m.did, nonce: m.nonce, nav: m.nav, asOf: m.asOf } }),
});

export function navAttestation(body: NavRequest, did: DidHash, nonce: bigint): NavMessage {
  return { kind: 'nav', did, nonce, nav: BigInt(body.nav), asOf: BigInt(body.asOf) };
}

export const navSource = defineSource({
  kind: 'nav',
  requestSchema: navRequestSchema,
  build: (s: { kind: 'nav'; request: NavRequest }, did, nonce) => navAttestation(s.request, did, nonce),
  ref: (s) => String(s.request.asOf),
  asOf: (s) => s.request.asOf,
  route: {
    path: '/v1/nav',
    schemaName: 'NavRequest',
    summary: 'Post a NAV update signed by a NAV publisher',
    responses: { '201': { description: 'attestation signed' }, '200': { description: 'repeat' }, '4XX': { description: 'refused', error: true } },
  },
});

/**
 * The EIP-712 type the request is signed as (custodian domain of the hub registry) and its typed message: the JSON
 * body but its signature. 
 */
export const navSigning = defineSigning({
  primaryType: 'NavReport',
  fields: [
    { name: 'did', type: 'string' },
    { name: 'nav', type: 'uint256' },
    { name: 'asOf', type: 'uint64' },
  ],
  message: (body: Omit<NavRequest, 'signature'>) => ({ did: body.did, nav: BigInt(body.nav), asOf: BigInt(body.asOf) }),
});
