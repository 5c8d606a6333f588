import { concat, type Address } from 'viem';
import type { FromSchema } from 'json-schema-to-ts';
import type { DidHash } from '../ids.js';
import { u } from './codec.js';
import { DRAFT, address, did, evmChainId, signature, uint64String, uintString, unixSeconds } from './json.js';
import { defineKind, defineSigning, defineSource, signedPostResponses } from './spec.js';
import { checkUint64 } from './redemption-request.js';

/**
 * Kind 13: the custodian accepted a request: sent to the request's chain only, where it makes the request
 * uncancellable and fulfillable; refused there if the holder cancelled first. Owner and amount must be the request's.
 *
 * ```
 * offset size field
 *  42     8   requestId
 *  50    20   owner
 *  70    32   amount
 * 102     8   acceptedAt   unix seconds
 * ```
 */
export const REDEMPTION_ACCEPTANCE_LENGTH = 110;

export interface RedemptionAcceptanceMessage {
  kind: 'redemptionAcceptance';
  did: DidHash;
  nonce: bigint;
  requestId: bigint;
  owner: `0x${string}`;
  amount: bigint;
  acceptedAt: bigint;
}

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
export type AcceptanceRequest = FromSchema<typeof acceptanceRequestSchema>;

export const redemptionAcceptance = defineKind({
  code: 13,
  name: 'redemptionAcceptance',
  label: 'redemption acceptance',
  encodeBody: (m: RedemptionAcceptanceMessage) => concat([u(m.requestId, 8), m.owner, u(m.amount, 32), u(m.acceptedAt, 8)]),
  decodeBody: ({ did, nonce }, r): RedemptionAcceptanceMessage => {
    r.exact(REDEMPTION_ACCEPTANCE_LENGTH, 'redemption acceptance');
    return { kind: 'redemptionAcceptance', did, nonce, requestId: r.big(42, 50), owner: r.address(50, 70), amount: r.big(70, 102), acceptedAt: r.big(102, 110) };
  },
});

/** The idempotency key of a request's kind 13 acceptance: one per request. */
export const acceptanceSourceRef = (chainId: number, requestId: bigint | string): string => `acceptance:${chainId}:${requestId}`;

export const redemptionAcceptanceSource = defineSource({
  kind: 'redemptionAcceptance',
  requestSchema: acceptanceRequestSchema,
  fromRequest: (request: AcceptanceRequest) => {
    checkUint64(request.requestId, 'request.requestId');
    return { kind: 'redemptionAcceptance' as const, request };
  },
  build: ({ request: a }: { kind: 'redemptionAcceptance'; request: AcceptanceRequest }, did, nonce): RedemptionAcceptanceMessage => ({
    kind: 'redemptionAcceptance',
    did,
    nonce,
    requestId: BigInt(a.requestId),
    owner: a.owner as Address,
    amount: BigInt(a.amount),
    acceptedAt: BigInt(a.acceptedAt),
  }),
  ref: (s) => acceptanceSourceRef(s.request.chainId, s.request.requestId),
  route: {
    path: '/v1/redemptions/acceptances',
    schemaName: 'AcceptanceRequest',
    summary: 'Post a custodian-signed RedemptionAcceptance: the custodian commits to pay a request, which its holder can then no longer cancel',
    description:
      "Checked against the request on its chain at the newest block (exists, not cancelled, not accepted, owner and amount as locked). Signed (kind 13) for the request's chain only. Pay only once the request shows accepted on chain: a holder may still cancel while the acceptance is in flight, and the chain then refuses it (RequestClosed). Once applied, the request is reported to the hub and counts as pressure. One per request.",
    responses: signedPostResponses({
      signer: 'a custodian',
      repeat: 'the same acceptance seen before: the existing attestation',
      conflict: 'the request was accepted with a different body',
      badBody: 'body fails the schema (field named), or requestId past uint64',
      unknown: 'unknown DID (field did) or no such request on that chain (field requestId)',
      refused: 'request_closed (requestId: cancelled or fully fulfilled), already_accepted (requestId), acceptance_mismatch (owner, amount), chain_not_enabled (chainId), time_in_future (acceptedAt)',
      unavailable: 'the chain or the committee cannot be reached; retry',
    }),
  },
});

/**
 * The EIP-712 type the request is signed as (custodian domain of the hub registry) and its typed message: the JSON
 * body but its signature. Signed by a custodian before it pays: it commits to pay this request, which its holder can then no longer cancel.
 */
export const redemptionAcceptanceSigning = defineSigning({
  primaryType: 'RedemptionAcceptance',
  fields: [
    { name: 'did', type: 'string' },
    { name: 'chainId', type: 'uint64' },
    { name: 'requestId', type: 'uint64' },
    { name: 'owner', type: 'address' },
    { name: 'amount', type: 'uint256' },
    { name: 'acceptedAt', type: 'uint64' },
  ],
  message: (body: Omit<AcceptanceRequest, 'signature'>) => ({
    did: body.did,
    chainId: BigInt(body.chainId),
    requestId: BigInt(body.requestId),
    owner: body.owner as Address,
    amount: BigInt(body.amount),
    acceptedAt: BigInt(body.acceptedAt),
  }),
});
