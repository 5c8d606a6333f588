import type { FromSchema } from 'json-schema-to-ts';
import { DRAFT, address, bytes32, did, uintString } from './kinds/json.js';
import { ATTESTATION_KINDS, ROUTED_SOURCES } from './kinds/index.js';

/**
 * JSON Schemas (draft 2020-12) of every HTTP payload: the oracle validates bodies with them, the relayer parses
 * the oracle's feed with them, and the TypeScript types below are derived from them, so there is one source.
 * Each request schema lives in its kind's module (schemas/kinds/) and is re-exported here.
 * `npm run gen:schemas` writes them as .json files under schemas/http/ for non-TypeScript clients.
 */
export { settlementRequestSchema, type SettlementRequest } from './kinds/settlement.js';
export { navRequestSchema, type NavRequest } from './kinds/nav.js';
export { reserveRequestSchema, type ReserveRequest } from './kinds/reserve.js';
export { allowListRequestSchema, type AllowListRequest } from './kinds/allowlist.js';
export { pauseRequestSchema, type PauseRequest } from './kinds/pause.js';
export { moveRequestSchema, type MoveRequest } from './kinds/move.js';
export { fulfilmentRequestSchema, type FulfilmentRequest } from './kinds/redemption-fulfilment.js';
export { acceptanceRequestSchema, type AcceptanceRequest } from './kinds/redemption-acceptance.js';
export { DOC_KINDS, disclosureRequestSchema, type DisclosureRequest } from './kinds/disclosure.js';
const hexBytes = { type: 'string', pattern: '^0x([0-9a-fA-F]{2})*$' } as const;

/**
 * What an attestation was made from, as the oracle stores and feeds it (the relayer keeps it per job): the message
 * kinds of schemas/kinds/index.ts. Moves are settlements, move voids and move returns.
 */
export { ATTESTATION_KINDS };
export type AttestationKind = (typeof ATTESTATION_KINDS)[number];

const delivery = {
  type: 'object',
  additionalProperties: false,
  required: ['chainId', 'receiver', 'signatures'],
  properties: {
    chainId: { type: 'integer', minimum: 1 },
    receiver: address,
    signatures: { ...hexBytes, description: 'threshold signatures, 65 bytes each, ascending signer' },
    batch: {
      type: 'object',
      additionalProperties: false,
      required: ['root', 'proof', 'signatures'],
      description: 'the Merkle root (RwaReceiver.receiveBatch) this attestation was signed under on this chain, when it was',
      properties: {
        root: bytes32,
        proof: { type: 'array', items: bytes32, description: "siblings of the message's leaf, bottom up (core/batch-tree.ts)" },
        signatures: { ...hexBytes, description: 'threshold signatures over AttestationBatch{did, root} in this chain\'s attestation domain, 65 bytes each, ascending signer' },
      },
    },
  },
} as const;

export const feedItemSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['seq', 'id', 'did', 'didHash', 'nonce', 'kind', 'message', 'createdAt', 'deliveries'],
  properties: {
    seq: { type: 'integer', minimum: 1 },
    id: bytes32,
    did,
    didHash: bytes32,
    nonce: uintString,
    kind: { enum: ATTESTATION_KINDS },
    message: hexBytes,
    createdAt: { type: 'string' },
    deliveries: { type: 'array', items: delivery },
  },
} as const;

export const attestationFeedSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/attestation-feed.json',
  title: 'Page of signed attestations, in oracle order, for relayers',
  type: 'object',
  additionalProperties: false,
  required: ['items', 'next'],
  properties: {
    items: { type: 'array', items: feedItemSchema },
    next: { type: 'integer', minimum: 0, description: 'pass as ?after= to read the next page' },
  },
} as const;

export const errorSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/error.json',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } },
    },
  },
} as const;

export type FeedItem = FromSchema<typeof feedItemSchema>;
export type AttestationFeed = FromSchema<typeof attestationFeedSchema>;
export type ErrorBody = FromSchema<typeof errorSchema>;

/** Every HTTP payload schema by the name of its $id: the kinds' request schemas (schemas/kinds/), the feed and the error. */
const idName = (schema: { $id: string }): string => schema.$id.slice(schema.$id.lastIndexOf('/') + 1).replace(/\.json$/, '');
export const httpSchemas: Readonly<Record<string, object>> = {
  ...Object.fromEntries(ROUTED_SOURCES.map((s) => [idName(s.requestSchema as { $id: string }), s.requestSchema])),
  'attestation-feed': attestationFeedSchema,
  error: errorSchema,
};
