import { concat, size, stringToHex, type Hex } from 'viem';
import type { FromSchema } from 'json-schema-to-ts';
import type { DidHash } from '../ids.js';
import { nameOf, u } from './codec.js';
import { DRAFT, bytes32, did, signature, unixSeconds } from './json.js';
import { defineKind, defineSigning, defineSource, signedPostResponses } from './spec.js';

/**
 * Kind 11: a document anchored by hash on every chain; the latest per (did, docKind) must have a strictly newer asOf.
 *
 * ```
 * offset size field
 *  42     1   docKind     DISCLOSURE_KIND
 *  43    32   docHash
 *  75     8   asOf        unix seconds
 *  83     2   uriLength
 *  85     x   uri         UTF-8
 * ```
 */
/** A disclosure is this many bytes plus the UTF-8 length of its URI. */
export const DISCLOSURE_MIN_LENGTH = 85;
export const DISCLOSURE_MAX_URI_BYTES = 0xffff;
export const DISCLOSURE_KIND = { navReport: 1, custodyStatement: 2, auditReport: 3, incidentNotice: 4 } as const;
export type DisclosureKindName = keyof typeof DISCLOSURE_KIND;
/** Disclosure document kinds by the names of the wire codec (DISCLOSURE_KIND); JSON carries the name, EIP-712 the code. */
export const DOC_KINDS = ['navReport', 'custodyStatement', 'auditReport', 'incidentNotice'] as const satisfies readonly DisclosureKindName[];

export interface DisclosureMessage {
  kind: 'disclosure';
  did: DidHash;
  nonce: bigint;
  docKind: DisclosureKindName;
  docHash: Hex;
  asOf: bigint;
  uri: string;
}

export const disclosureRequestSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/disclosure-request.json',
  title: "Disclosure signed by the DID's issuer: a document anchored on every chain by hash",
  type: 'object',
  additionalProperties: false,
  required: ['did', 'docKind', 'docHash', 'uri', 'asOf', 'signature'],
  properties: {
    did,
    docKind: { enum: DOC_KINDS },
    docHash: { ...bytes32, description: 'hash of the document (e.g. keccak256 or sha-256 of the file)' },
    uri: { type: 'string', minLength: 1, maxLength: 1024, pattern: '^[\\x21-\\x7e]+$', description: 'where the document is published (printable ASCII, no spaces)' },
    asOf: { ...unixSeconds, description: 'unix seconds the document speaks for; must be later than the latest of its kind' },
    signature,
  },
} as const;
export type DisclosureRequest = FromSchema<typeof disclosureRequestSchema>;

export const disclosure = defineKind({
  code: 11,
  name: 'disclosure',
  label: 'disclosure',
  encodeBody: (m: DisclosureMessage) => {
    const uri = stringToHex(m.uri);
    const uriLength = size(uri);
    if (uriLength > DISCLOSURE_MAX_URI_BYTES) throw new Error(`disclosure URI longer than ${DISCLOSURE_MAX_URI_BYTES} bytes`);
    return concat([u(DISCLOSURE_KIND[m.docKind], 1), m.docHash, u(m.asOf, 8), u(uriLength, 2), uri]);
  },
  decodeBody: ({ did, nonce }, r): DisclosureMessage => {
    const uriLength = r.num(83, 85);
    r.exact(DISCLOSURE_MIN_LENGTH + uriLength, 'disclosure');
    return { kind: 'disclosure', did, nonce, docKind: nameOf(DISCLOSURE_KIND, r.num(42, 43), 'disclosure kind', r), docHash: r.at(43, 75), asOf: r.big(75, 83), uri: r.text(85, 85 + uriLength) };
  },
});

/** A disclosure's idempotency key: its document kind and as-of time (the chains keep one per kind per as-of). */
export const disclosureRef = (d: Pick<DisclosureRequest, 'docKind' | 'asOf'>): string => `${d.docKind}:${d.asOf}`;

export const disclosureSource = defineSource({
  kind: 'disclosure',
  requestSchema: disclosureRequestSchema,
  build: ({ request: d }: { kind: 'disclosure'; request: DisclosureRequest }, did, nonce): DisclosureMessage => ({ kind: 'disclosure', did, nonce, docKind: d.docKind, docHash: d.docHash as Hex, asOf: BigInt(d.asOf), uri: d.uri }),
  ref: (s) => disclosureRef(s.request),
  asOf: (s) => s.request.asOf,
  route: {
    path: '/v1/disclosures',
    schemaName: 'DisclosureRequest',
    summary: 'Post an issuer-signed Disclosure (NAV report, custody statement, audit report, incident notice): anchored by hash on every chain of the DID (kind 11)',
    responses: signedPostResponses({
      signer: 'the issuer',
      repeat: 'same docKind, asOf and body seen before: the existing attestation',
      conflict: 'docKind and asOf reused with a different body (field asOf)',
      refused: 'disclosure_not_newer (asOf not later than the latest of its kind), time_in_future (asOf)',
    }),
  },
});

/**
 * The EIP-712 type the request is signed as (custodian domain of the hub registry) and its typed message: the JSON
 * body but its signature. Signed by the DID's issuer: a document (NAV report, custody statement, audit report, incident notice) by hash. The document kind travels as its on-chain code (uint8), the name only in JSON.
 */
export const disclosureSigning = defineSigning({
  primaryType: 'Disclosure',
  fields: [
    { name: 'did', type: 'string' },
    { name: 'docKind', type: 'uint8' },
    { name: 'docHash', type: 'bytes32' },
    { name: 'uri', type: 'string' },
    { name: 'asOf', type: 'uint64' },
  ],
  message: (body: Omit<DisclosureRequest, 'signature'>) => ({
    did: body.did,
    docKind: DISCLOSURE_KIND[body.docKind],
    docHash: body.docHash as Hex,
    uri: body.uri,
    asOf: BigInt(body.asOf),
  }),
});
