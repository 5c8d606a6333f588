import type { FromSchema } from 'json-schema-to-ts';

/**
 * Wire shapes between the aggregator (oracle API) and each committee signer process (`POST /v1/sign`).
 * The aggregator forwards the original request exactly as it was posted (custodian, NAV publisher or issuer), or for
 * `config` the hub registry snapshot it mirrors; the signer re-checks it on its own and validates `request` by
 * `kind` (schemas/http.ts, or configSnapshotSchema below), so the envelope only says it is an object here.
 */
import { DRAFT, address, bytes32, evmChainId as chainId, uint64String as nonce, uintString, MAX_UINT64 } from './kinds/json.js';
import { SIGN_KINDS } from './kinds/index.js';

/** Every kind a signer signs (the sources of schemas/kinds/index.ts); the admin kinds (config .. reserve) set up and govern a DID on every chain. */
export { SIGN_KINDS, type SignKind } from './kinds/index.js';
export { configSnapshotSchema, type ConfigSnapshot } from './kinds/config.js';
export { redemptionReportSchema, type RedemptionReport } from './kinds/redemption-request.js';
export { stageReportSchema, type StageReport } from './kinds/redemption-stage.js';
export { policySnapshotSchema, type PolicySnapshot } from './kinds/redemption-policy.js';
export { quorumSnapshotSchema, type QuorumSnapshot } from './kinds/transport-quorum.js';

export const signRequestSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/sign-request.json',
  title: 'Attestation the aggregator asks one committee signer to sign',
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'request', 'nonce', 'chainIds'],
  properties: {
    kind: { enum: SIGN_KINDS },
    request: { type: 'object', description: "the signed body as posted (custodian, NAV publisher, issuer), or for config the hub registry snapshot" },
    nonce: { ...nonce, description: "the DID's nonce the aggregator proposes" },
    chainIds: { type: 'array', minItems: 1, maxItems: 64, uniqueItems: true, items: chainId, description: 'destination EVM chain ids' },
    caps: {
      type: 'array',
      minItems: 1,
      maxItems: 255,
      description:
        'reserve only (required there, refused otherwise): the per-chain supply caps the aggregator proposes and the ceiling it assumed for each chain (the higher of its supply and cap in force), token base units',
      items: { type: 'object', additionalProperties: false, required: ['chainId', 'cap', 'ceiling'], properties: { chainId, cap: uintString, ceiling: uintString } },
    },
    leg: { enum: ['out', 'in', 'void', 'return'], description: 'move only (required there): the burn on the from-chain, the mint on the to-chain, or for a move whose in leg cannot land the void on the to-chain (kind 15) and then the return to the from-chain (kind 16)' },
    settledAt: { type: 'integer', minimum: 1, maximum: 18446744073709551615, description: "move only (required there): the aggregator's unix seconds in the message" },
    outNonce: { ...nonce, description: "move in and void legs only (required there): the DID nonce of the out leg, which must be used on the from-chain" },
    liquidity: {
      type: 'object',
      additionalProperties: false,
      required: ['assetPoolValue', 'openRequests', 'liquidAssets', 'outflows', 'lcrBps', 'bands'],
      description: "buybackReport only (required there): the asset pool (latest reserve), the open redemption requests, the LCR the aggregator computed (lcrBps null: unbounded) and the issuer's bands from the hub registry",
      properties: {
        assetPoolValue: uintString,
        openRequests: uintString,
        liquidAssets: uintString,
        outflows: uintString,
        lcrBps: { anyOf: [uintString, { type: 'null' }] },
        bands: {
          type: 'object',
          additionalProperties: false,
          required: ['minShareBps', 'stageBBelowBps', 'stageCBelowBps', 'staleFloor', 'stressRateBps', 'horizonDays'],
          properties: {
            minShareBps: { type: 'integer', minimum: 0, maximum: 10_000 },
            stageBBelowBps: { type: 'integer', minimum: 0, maximum: 65_535 },
            stageCBelowBps: { type: 'integer', minimum: 0, maximum: 65_535 },
            staleFloor: { type: 'boolean' },
            stressRateBps: { type: 'integer', minimum: 0, maximum: 10_000 },
            horizonDays: { type: 'integer', minimum: 0, maximum: 3650 },
          },
        },
      },
    },
    aboveLine: {
      const: true,
      description: "settlement and move only: the amount is above the destination chain's large-amount line (kind 14), so the aggregator packs that line's threshold and the signer leaves the message out of its batch roots (receiveBatch refuses it)",
    },
  },
} as const;

const chainSignature = {
  type: 'object',
  additionalProperties: false,
  required: ['chainId', 'receiver', 'signature'],
  properties: {
    chainId,
    receiver: address,
    signature: { type: 'string', pattern: '^0x[0-9a-fA-F]{130}$', description: "65-byte EIP-712 signature over that chain's receiver domain" },
  },
} as const;

export const signResponseSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/sign-response.json',
  title: "One committee signer's signatures, one per destination chain",
  type: 'object',
  additionalProperties: false,
  required: ['signer', 'attestationId', 'signatures'],
  properties: {
    signer: address,
    attestationId: { ...bytes32, description: 'keccak256 of the message bytes the signer built' },
    signatures: { type: 'array', items: chainSignature },
  },
} as const;

/** Most proposals one POST /v1/sign-batch carries (the aggregator's ORACLE_SIGN_BATCH_MAX stays at or under it). */
export const MAX_SIGN_BATCH = 64;

export const signBatchRequestSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/sign-batch-request.json',
  title: 'Proposals the aggregator asks one committee signer to sign together, checked in order against one set of chain reads',
  type: 'object',
  additionalProperties: false,
  required: ['items'],
  properties: {
    items: { type: 'array', minItems: 1, maxItems: MAX_SIGN_BATCH, items: { type: 'object', description: 'a SignRequest (checked item by item: one that fails the schema is refused alone)' } },
  },
} as const;

const itemRefusal = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'error'],
  properties: {
    status: { type: 'integer', minimum: 400, maximum: 599, description: 'the HTTP status POST /v1/sign would have answered for this item alone' },
    error: {
      type: 'object',
      additionalProperties: false,
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } },
    },
  },
} as const;

/**
 * One root this signer signed: EIP-712 AttestationBatch{did, root} in `chainId`'s attestation domain, over the
 * messages of `items` (indexes into the request's items, ascending) in that order (core/batch-tree.ts). The signer
 * builds the tree itself from the settlement and NAV messages it validated and signed for that chain in this very
 * request (at least two); it is never sent a root.
 */
const rootSignature = {
  type: 'object',
  additionalProperties: false,
  required: ['did', 'chainId', 'receiver', 'root', 'items', 'signature'],
  properties: {
    did: bytes32,
    chainId,
    receiver: address,
    root: bytes32,
    items: { type: 'array', minItems: 2, maxItems: MAX_SIGN_BATCH, items: { type: 'integer', minimum: 0, maximum: MAX_SIGN_BATCH - 1 } },
    signature: { type: 'string', pattern: '^0x[0-9a-fA-F]{130}$', description: "65-byte EIP-712 AttestationBatch signature over that chain's receiver domain" },
  },
} as const;

export const signBatchResponseSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/sign-batch-response.json',
  title: "One committee signer's answer to a batch: per item, in order, its signatures or its own refusal",
  type: 'object',
  additionalProperties: false,
  required: ['signer', 'results'],
  properties: {
    signer: address,
    results: {
      type: 'array',
      maxItems: MAX_SIGN_BATCH,
      description: 'one per item, in the order of items',
      items: {
        oneOf: [
          {
            type: 'object',
            additionalProperties: false,
            required: ['attestationId', 'signatures'],
            properties: { attestationId: { ...bytes32, description: 'keccak256 of the message bytes the signer built' }, signatures: { type: 'array', items: chainSignature } },
          },
          itemRefusal,
        ],
      },
    },
    roots: { type: 'array', maxItems: MAX_SIGN_BATCH * 64, items: rootSignature, description: 'the batch roots this signer signed, per DID and destination chain (absent or empty: none)' },
  },
} as const;

export type SignRequest = FromSchema<typeof signRequestSchema>;
export type SignResponse = FromSchema<typeof signResponseSchema>;
export type SignBatchRequest = FromSchema<typeof signBatchRequestSchema>;
export type SignBatchResponse = FromSchema<typeof signBatchResponseSchema>;
export type ChainSignature = SignResponse['signatures'][number];
export type RootSignature = NonNullable<SignBatchResponse['roots']>[number];

export const MAX_NONCE = MAX_UINT64;
