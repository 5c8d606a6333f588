import type { FromSchema } from 'json-schema-to-ts';
import type { DisclosureKindName } from './message.js';

/**
 * JSON Schemas (draft 2020-12) of every HTTP payload: the oracle validates bodies with them, the relayer parses
 * the oracle's feed with them, and the TypeScript types below are derived from them, so there is one source.
 * `npm run gen:schemas` writes them as .json files under schemas/http/ for non-TypeScript clients.
 */
const DRAFT = 'https://json-schema.org/draft/2020-12/schema';
const address = { type: 'string', pattern: '^0x[0-9a-fA-F]{40}$' } as const;
const bytes32 = { type: 'string', pattern: '^0x[0-9a-fA-F]{64}$' } as const;
const hexBytes = { type: 'string', pattern: '^0x([0-9a-fA-F]{2})*$' } as const;
const signature = { type: 'string', pattern: '^0x[0-9a-fA-F]{130}$', description: '65-byte EIP-712 signature (r, s, v)' } as const;
/** uint256 as a decimal string: JSON numbers lose precision past 2^53. */
const uintString = { type: 'string', pattern: '^(0|[1-9][0-9]{0,77})$' } as const;
const did = { type: 'string', pattern: '^did:rwa:[a-z0-9][a-z0-9._-]{0,63}(:[a-z0-9][a-z0-9._-]{0,63}){0,2}$' } as const;
const unixSeconds = { type: 'integer', minimum: 1, maximum: 18446744073709551615 } as const;

export const settlementRequestSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/settlement-request.json',
  title: 'Settlement proof posted by a custodian',
  type: 'object',
  additionalProperties: false,
  required: ['did', 'chainId', 'kind', 'settlementRef', 'investor', 'amount', 'cashLegRef', 'settledAt', 'signature'],
  properties: {
    did,
    chainId: { type: 'integer', minimum: 1, maximum: 9007199254740991, description: 'EVM chain id where holdings change' },
    kind: { enum: ['subscription', 'redemption'] },
    settlementRef: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]+$', description: "custodian's own settlement reference (printable ASCII, no spaces)" },
    investor: address,
    amount: { ...uintString, description: 'token base units' },
    cashLegRef: { ...bytes32, description: 'hash of the cash-leg evidence' },
    settledAt: { ...unixSeconds, description: 'unix seconds' },
    signature,
  },
} as const;

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

const ref = { type: 'string', minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]+$' } as const;

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

export const pauseRequestSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/pause-request.json',
  title: "Pause or resume order signed by the DID's issuer",
  type: 'object',
  additionalProperties: false,
  required: ['did', 'ref', 'paused', 'signature'],
  properties: { did, ref: { ...ref, description: "issuer's reference (idempotency key)" }, paused: { type: 'boolean' }, signature },
} as const;

const evmChainId = { type: 'integer', minimum: 1, maximum: 9007199254740991 } as const;

export const moveRequestSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/move-request.json',
  title: "Cross-chain move of an investor's units, signed by a custodian",
  type: 'object',
  additionalProperties: false,
  required: ['did', 'ref', 'investor', 'amount', 'fromChainId', 'toChainId', 'signature'],
  properties: {
    did,
    ref: { ...ref, description: "custodian's reference (idempotency key)" },
    investor: address,
    amount: { ...uintString, description: 'token base units moved' },
    fromChainId: { ...evmChainId, description: 'EVM chain id where the units are burned (move-out)' },
    toChainId: { ...evmChainId, description: 'EVM chain id where the units are minted (move-in)' },
    signature,
  },
} as const;

/** uint64 as a decimal string, 1 .. 2^64-1 (the upper bound is checked in code). */
const uint64String = { type: 'string', pattern: '^[1-9][0-9]{0,19}$' } as const;

export const fulfilmentRequestSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/fulfilment-request.json',
  title: 'Redemption fulfilment signed by a custodian: cash paid for (part of) an on-chain redemption request',
  type: 'object',
  additionalProperties: false,
  required: ['did', 'chainId', 'requestId', 'settlementRef', 'amount', 'cashLegRef', 'settledAt', 'signature'],
  properties: {
    did,
    chainId: { ...evmChainId, description: 'EVM chain id where the request was made (and where the locked units burn)' },
    requestId: { ...uint64String, description: "the request id the chain's redemptions module gave (per DID per chain)" },
    settlementRef: { ...ref, description: "custodian's settlement reference (idempotency key); on chain as keccak256 of it" },
    amount: { ...uintString, description: 'token base units fulfilled (burned) by this payment' },
    cashLegRef: { ...bytes32, description: 'hash of the cash-leg evidence' },
    settledAt: { ...unixSeconds, description: 'unix seconds the cash was paid' },
    signature,
  },
} as const;

export const acceptanceRequestSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/acceptance-request.json',
  title: 'Redemption acceptance signed by a custodian: it commits to pay an on-chain request, which the holder can then no longer cancel',
  type: 'object',
  additionalProperties: false,
  required: ['did', 'chainId', 'requestId', 'owner', 'amount', 'acceptedAt', 'signature'],
  properties: {
    did,
    chainId: { ...evmChainId, description: 'EVM chain id where the request was made' },
    requestId: { ...uint64String, description: "the request id the chain's redemptions module gave (per DID per chain)" },
    owner: { ...address, description: "the request's owner, as on chain" },
    amount: { ...uintString, description: 'token base units the request locked, as on chain' },
    acceptedAt: { ...unixSeconds, description: 'unix seconds the custodian accepted' },
    signature,
  },
} as const;

/** Disclosure document kinds by the names of the wire codec (DISCLOSURE_KIND); JSON carries the name, EIP-712 the code. */
export const DOC_KINDS = ['navReport', 'custodyStatement', 'auditReport', 'incidentNotice'] as const satisfies readonly DisclosureKindName[];

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

/**
 * What an attestation was made from, as the oracle stores and feeds it (the relayer keeps it per job). Moves are
 * settlements; the redemption kinds map one to one to message kinds 7..11 and 13, transportQuorum to kind 12.
 */
export const ATTESTATION_KINDS = [
  'settlement',
  'nav',
  'config',
  'allowlist',
  'pause',
  'reserve',
  'redemptionRequest',
  'redemptionStage',
  'redemptionPolicy',
  'redemptionFulfilment',
  'disclosure',
  'transportQuorum',
  'redemptionAcceptance',
  'moveVoid',
  'moveReturn',
] as const;
export type AttestationKind = (typeof ATTESTATION_KINDS)[number];

const delivery = {
  type: 'object',
  additionalProperties: false,
  required: ['chainId', 'receiver', 'signatures'],
  properties: {
    chainId: { type: 'integer', minimum: 1 },
    receiver: address,
    signatures: { ...hexBytes, description: 'threshold signatures, 65 bytes each, ascending signer' },
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

export type SettlementRequest = FromSchema<typeof settlementRequestSchema>;
export type ReserveRequest = FromSchema<typeof reserveRequestSchema>;
export type AllowListRequest = FromSchema<typeof allowListRequestSchema>;
export type PauseRequest = FromSchema<typeof pauseRequestSchema>;
export type NavRequest = FromSchema<typeof navRequestSchema>;
export type MoveRequest = FromSchema<typeof moveRequestSchema>;
export type FulfilmentRequest = FromSchema<typeof fulfilmentRequestSchema>;
export type AcceptanceRequest = FromSchema<typeof acceptanceRequestSchema>;
export type DisclosureRequest = FromSchema<typeof disclosureRequestSchema>;
export type FeedItem = FromSchema<typeof feedItemSchema>;
export type AttestationFeed = FromSchema<typeof attestationFeedSchema>;
export type ErrorBody = FromSchema<typeof errorSchema>;

export const httpSchemas = {
  'settlement-request': settlementRequestSchema,
  'nav-request': navRequestSchema,
  'reserve-request': reserveRequestSchema,
  'allowlist-request': allowListRequestSchema,
  'pause-request': pauseRequestSchema,
  'move-request': moveRequestSchema,
  'fulfilment-request': fulfilmentRequestSchema,
  'acceptance-request': acceptanceRequestSchema,
  'disclosure-request': disclosureRequestSchema,
  'attestation-feed': attestationFeedSchema,
  error: errorSchema,
} as const;
