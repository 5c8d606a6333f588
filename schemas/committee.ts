import type { FromSchema } from 'json-schema-to-ts';

/**
 * Wire shapes between the aggregator (oracle API) and each committee signer process (`POST /v1/sign`).
 * The aggregator forwards the original request exactly as it was posted (custodian, NAV publisher or issuer), or for
 * `config` the hub registry snapshot it mirrors; the signer re-checks it on its own and validates `request` by
 * `kind` (schemas/http.ts, or configSnapshotSchema below), so the envelope only says it is an object here.
 */
const DRAFT = 'https://json-schema.org/draft/2020-12/schema';
const address = { type: 'string', pattern: '^0x[0-9a-fA-F]{40}$' } as const;
const bytes32 = { type: 'string', pattern: '^0x[0-9a-fA-F]{64}$' } as const;
/** uint64 as a decimal string, 1 .. 2^64-1 (the range is checked in code: a pattern cannot bound it). */
const nonce = { type: 'string', pattern: '^[1-9][0-9]{0,19}$' } as const;
const chainId = { type: 'integer', minimum: 1, maximum: 9007199254740991 } as const;
/** uint256 as a decimal string (the range a kind needs is checked in code). */
const uintString = { type: 'string', pattern: '^(0|[1-9][0-9]{0,77})$' } as const;

/** Every kind a signer signs; the admin kinds (config .. reserve) set up and govern a DID on every chain. */
export const SIGN_KINDS = [
  'settlement',
  'nav',
  'config',
  'allowlist',
  'pause',
  'reserve',
  'move',
  'redemptionRequest',
  'redemptionStage',
  'redemptionPolicy',
  'redemptionFulfilment',
  'disclosure',
  'transportQuorum',
  'redemptionAcceptance',
] as const;
export type SignKind = (typeof SIGN_KINDS)[number];

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
  },
} as const;

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
  required: ['did', 'threshold', 'navDecimals', 'tokenDecimals', 'heartbeat', 'maxNavMoveBps', 'signers', 'name', 'symbol'],
  properties: {
    did: { type: 'string', minLength: 1, maxLength: 256 },
    threshold: { type: 'integer', minimum: 1, maximum: 255 },
    navDecimals: { type: 'integer', minimum: 0, maximum: 255 },
    tokenDecimals: { type: 'integer', minimum: 0, maximum: 255 },
    heartbeat: { type: 'integer', minimum: 0, maximum: 4294967295, description: 'seconds' },
    maxNavMoveBps: { type: 'integer', minimum: 0, maximum: 65535 },
    signers: { type: 'array', minItems: 1, maxItems: 255, items: address, description: 'strictly increasing addresses' },
    name: { type: 'string', maxLength: 255 },
    symbol: { type: 'string', maxLength: 255 },
  },
} as const;

/** A block number as a decimal string (uint64 range checked in code). */
const blockNumber = { type: 'string', pattern: '^(0|[1-9][0-9]{0,19})$' } as const;

/**
 * A RedeemRequested event the aggregator read on a chain's redemptions module, with the pool supply it summed at
 * one pinned block per chain. The signer reads the event at `blockNumber` and the supplies at the pins itself.
 */
export const redemptionReportSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/redemption-report.json',
  title: 'A redemption request seen on a chain, reported to the hub',
  type: 'object',
  additionalProperties: false,
  required: ['did', 'chainId', 'requestId', 'owner', 'amount', 'requestedAt', 'blockNumber', 'poolSupply', 'pins'],
  properties: {
    did: { type: 'string', minLength: 1, maxLength: 256 },
    chainId,
    requestId: { ...nonce, description: 'uint64 request id of the module on chainId' },
    owner: address,
    amount: { ...uintString, description: 'token base units locked' },
    requestedAt: { type: 'integer', minimum: 0, maximum: 18446744073709551615, description: 'unix seconds, from the event' },
    blockNumber: { ...blockNumber, description: 'block of the RedeemRequested event on chainId' },
    poolSupply: { ...uintString, description: 'sum of the holdings total supply over the pinned blocks' },
    pins: {
      type: 'array',
      minItems: 1,
      maxItems: 64,
      description: 'one block per chain enabled for the DID: where its total supply was read',
      items: { type: 'object', additionalProperties: false, required: ['chainId', 'blockNumber'], properties: { chainId, blockNumber } },
    },
  },
} as const;

/** A RedemptionStageChanged event the aggregator read on the hub's redemptions module. */
export const stageReportSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/stage-report.json',
  title: "The hub's redemption stage change, sent to every other chain",
  type: 'object',
  additionalProperties: false,
  required: ['did', 'stage', 'stageSeq', 'since', 'reason', 'dayRequested', 'poolSupply', 'blockNumber'],
  properties: {
    did: { type: 'string', minLength: 1, maxLength: 256 },
    stage: { enum: ['A', 'B', 'C'] },
    stageSeq: nonce,
    since: { type: 'integer', minimum: 0, maximum: 18446744073709551615 },
    reason: { enum: ['none', 'threshold', 'emergency'] },
    dayRequested: uintString,
    poolSupply: uintString,
    blockNumber: { ...blockNumber, description: 'block of the event on the hub' },
  },
} as const;

/** A DID's redemption policy as the hub registry holds it (RwaDidRegistry.setRedemptionPolicy). */
export const policySnapshotSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/policy-snapshot.json',
  title: "The hub registry's redemption policy of a DID",
  type: 'object',
  additionalProperties: false,
  required: ['did', 'revision', 'stageBBps', 'stageCBps', 'instalments', 'windowSeconds', 'emergency'],
  properties: {
    did: { type: 'string', minLength: 1, maxLength: 256 },
    revision: {
      type: 'integer',
      minimum: 1,
      maximum: 9007199254740991,
      description: "the aggregator's count of policy attestations for the DID, this one included: tells apart a policy set again after a change (A, B, A)",
    },
    stageBBps: { type: 'integer', minimum: 1, maximum: 10000 },
    stageCBps: { type: 'integer', minimum: 1, maximum: 10000 },
    instalments: { type: 'integer', minimum: 1, maximum: 255 },
    windowSeconds: { type: 'integer', minimum: 1, maximum: 4294967295 },
    emergency: { type: 'boolean' },
  },
} as const;

/**
 * A DID's transport quorum on one chain as the hub registry holds it (RwaDidRegistry.transportQuorumOf), which a
 * `transportQuorum` attestation (kind 12) carries to that chain only. The signer reads the registry itself and signs
 * only if k and transports equal its current state.
 */
export const quorumSnapshotSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/quorum-snapshot.json',
  title: "The hub registry's transport quorum of a DID on one chain",
  type: 'object',
  additionalProperties: false,
  required: ['did', 'chainId', 'revision', 'k', 'transports'],
  properties: {
    did: { type: 'string', minLength: 1, maxLength: 256 },
    chainId: { ...chainId, description: 'the chain the rule is for, and the only chain the attestation is signed for' },
    revision: {
      type: 'integer',
      minimum: 1,
      maximum: 9007199254740991,
      description: "the aggregator's count of quorum attestations for the DID on this chain, this one included: tells apart a quorum set again after a change",
    },
    k: { type: 'integer', minimum: 0, maximum: 3, description: 'distinct transports that must deliver; 0 only with transports 0' },
    transports: { type: 'integer', minimum: 0, maximum: 7, description: 'bitmask: 1 cctp, 2 ccip, 4 wormhole' },
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

export type SignRequest = FromSchema<typeof signRequestSchema>;
export type ConfigSnapshot = FromSchema<typeof configSnapshotSchema>;
export type SignResponse = FromSchema<typeof signResponseSchema>;
export type RedemptionReport = FromSchema<typeof redemptionReportSchema>;
export type StageReport = FromSchema<typeof stageReportSchema>;
export type PolicySnapshot = FromSchema<typeof policySnapshotSchema>;
export type QuorumSnapshot = FromSchema<typeof quorumSnapshotSchema>;
export type ChainSignature = SignResponse['signatures'][number];

export const MAX_NONCE = (1n << 64n) - 1n;
