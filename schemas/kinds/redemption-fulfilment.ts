import { concat, type Hex } from 'viem';
import type { FromSchema } from 'json-schema-to-ts';
import { refHash, type DidHash } from '../ids.js';
import { u } from './codec.js';
import { DRAFT, bytes32, did, evmChainId, ref, signature, uint64String, uintString, unixSeconds } from './json.js';
import { defineKind, defineSigning, defineSource } from './spec.js';
import { checkUint64 } from './redemption-request.js';

/**
 * Kind 10: the custodian paid cash for (part of) a request; burns that many locked units on the request's chain.
 *
 * ```
 * offset size field
 *  42     8   requestId
 *  50    32   settlementRef   keccak256 of the custodian's reference
 *  82    32   amount          token base units burned
 * 114    32   cashLegRef
 * 146     8   settledAt       unix seconds
 * ```
 */
export const REDEMPTION_FULFILMENT_LENGTH = 154;

export interface RedemptionFulfilmentMessage {
  kind: 'redemptionFulfilment';
  did: DidHash;
  nonce: bigint;
  requestId: bigint;
  settlementRef: Hex;
  amount: bigint;
  cashLegRef: Hex;
  settledAt: bigint;
}

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
export type FulfilmentRequest = FromSchema<typeof fulfilmentRequestSchema>;

export const redemptionFulfilment = defineKind({
  code: 10,
  name: 'redemptionFulfilment',
  label: 'redemption fulfilment',
  encodeBody: (m: RedemptionFulfilmentMessage) => concat([u(m.requestId, 8), m.settlementRef, u(m.amount, 32), m.cashLegRef, u(m.settledAt, 8)]),
  decodeBody: ({ did, nonce }, r): RedemptionFulfilmentMessage => {
    r.exact(REDEMPTION_FULFILMENT_LENGTH, 'redemption fulfilment');
    return { kind: 'redemptionFulfilment', did, nonce, requestId: r.big(42, 50), settlementRef: r.at(50, 82), amount: r.big(82, 114), cashLegRef: r.at(114, 146), settledAt: r.big(146, 154) };
  },
});

export const redemptionFulfilmentSource = defineSource({
  kind: 'redemptionFulfilment',
  requestSchema: fulfilmentRequestSchema,
  fromRequest: (request: FulfilmentRequest) => {
    checkUint64(request.requestId, 'request.requestId');
    return { kind: 'redemptionFulfilment' as const, request };
  },
  build: ({ request: f }: { kind: 'redemptionFulfilment'; request: FulfilmentRequest }, did, nonce): RedemptionFulfilmentMessage => ({
    kind: 'redemptionFulfilment',
    did,
    nonce,
    requestId: BigInt(f.requestId),
    settlementRef: refHash(f.settlementRef),
    amount: BigInt(f.amount),
    cashLegRef: f.cashLegRef as Hex,
    settledAt: BigInt(f.settledAt),
  }),
  ref: (s) => s.request.settlementRef,
  route: {
    path: '/v1/redemptions/fulfilments',
    schemaName: 'FulfilmentRequest',
    summary: "Post a custodian-signed RedemptionFulfilment: cash paid for (part of) a redemption request; burns that many locked units on the request's chain",
    description:
      "Checked against the request on its chain (requestOf) and the redemption stage's allowance now (redeemableNow), less fulfilments already attested for the request that the chain has not applied yet. Signed (kind 10) for the request's chain only. Idempotent by settlementRef.",
    responses: {
      '201': { description: 'attestation signed' },
      '200': { description: 'same settlementRef and body seen before: the existing attestation' },
      '400': { description: 'body fails the schema (field named), or requestId past uint64', error: true },
      '401': { description: 'signature does not recover', error: true },
      '403': { description: 'signer is not a custodian of the DID', error: true },
      '404': { description: 'unknown DID (field did) or no such request on that chain (field requestId)', error: true },
      '409': { description: 'settlementRef reused with a different body', error: true },
      '422': {
        description:
          'request_closed (requestId: cancelled or fully fulfilled), not_accepted (requestId: post its acceptance first), exceeds_request (amount), exceeds_allowance (amount), chain_not_enabled (chainId), amount_not_positive, time_in_future (settledAt)',
        error: true,
      },
      '503': { description: 'the chain or the committee cannot be reached; retry', error: true },
    },
  },
});

/**
 * The EIP-712 type the request is signed as (custodian domain of the hub registry) and its typed message: the JSON
 * body but its signature. Signed by a custodian: cash paid for (part of) a redemption request; burns that many locked units on its chain.
 */
export const redemptionFulfilmentSigning = defineSigning({
  primaryType: 'RedemptionFulfilment',
  fields: [
    { name: 'did', type: 'string' },
    { name: 'chainId', type: 'uint64' },
    { name: 'requestId', type: 'uint64' },
    { name: 'settlementRef', type: 'string' },
    { name: 'amount', type: 'uint256' },
    { name: 'cashLegRef', type: 'bytes32' },
    { name: 'settledAt', type: 'uint64' },
  ],
  message: (body: Omit<FulfilmentRequest, 'signature'>) => ({
    did: body.did,
    chainId: BigInt(body.chainId),
    requestId: BigInt(body.requestId),
    settlementRef: body.settlementRef,
    amount: BigInt(body.amount),
    cashLegRef: body.cashLegRef as Hex,
    settledAt: BigInt(body.settledAt),
  }),
});
