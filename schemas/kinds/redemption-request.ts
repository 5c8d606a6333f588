import { concat, type Address } from 'viem';
import type { FromSchema } from 'json-schema-to-ts';
import type { DidHash } from '../ids.js';
import { u } from './codec.js';
import { DRAFT, address, blockNumber, evmChainId, registryDid, uint64String, uintString } from './json.js';
import { RequestIssue, defineKind, defineSource } from './spec.js';
import { MAX_UINT64 } from './json.js';

/**
 * Kind 7: a redemption request seen on `chainId` (once its acceptance applied there), reported to the hub with the
 * pool supply over every chain at pinned blocks.
 *
 * ```
 * offset size field
 *  42     8   chainId
 *  50     8   requestId
 *  58    20   owner
 *  78    32   amount        token base units locked
 * 110     8   requestedAt   unix seconds
 * 118    32   poolSupply    total supply over every chain at the pins
 * ```
 */
export const REDEMPTION_REQUEST_LENGTH = 150;

export interface RedemptionRequestMessage {
  kind: 'redemptionRequest';
  did: DidHash;
  nonce: bigint;
  chainId: bigint;
  requestId: bigint;
  owner: `0x${string}`;
  amount: bigint;
  requestedAt: bigint;
  poolSupply: bigint;
}

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
    did: registryDid,
    chainId: evmChainId,
    requestId: { ...uint64String, description: 'uint64 request id of the module on chainId' },
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
      items: { type: 'object', additionalProperties: false, required: ['chainId', 'blockNumber'], properties: { chainId: evmChainId, blockNumber } },
    },
  },
} as const;
export type RedemptionReport = FromSchema<typeof redemptionReportSchema>;

export const redemptionRequest = defineKind({
  code: 7,
  name: 'redemptionRequest',
  label: 'redemption request',
  encodeBody: (m: RedemptionRequestMessage) => concat([u(m.chainId, 8), u(m.requestId, 8), m.owner, u(m.amount, 32), u(m.requestedAt, 8), u(m.poolSupply, 32)]),
  decodeBody: ({ did, nonce }, r): RedemptionRequestMessage => {
    r.exact(REDEMPTION_REQUEST_LENGTH, 'redemption request');
    return { kind: 'redemptionRequest', did, nonce, chainId: r.big(42, 50), requestId: r.big(50, 58), owner: r.address(58, 78), amount: r.big(78, 110), requestedAt: r.big(110, 118), poolSupply: r.big(118, 150) };
  },
});

/** The idempotency key of a request's kind 7 report among the DID's attestations. */
export const requestSourceRef = (chainId: number, requestId: bigint | string): string => `request:${chainId}:${requestId}`;

/** A uint64 field the schema carries as a decimal string; the pattern cannot bound it. */
export function checkUint64(value: string, field: string): void {
  if (BigInt(value) > MAX_UINT64) throw new RequestIssue(field, 'exceeds 2^64 - 1');
}

export const redemptionRequestSource = defineSource({
  kind: 'redemptionRequest',
  requestSchema: redemptionReportSchema,
  fromRequest: (request: RedemptionReport) => {
    checkUint64(request.blockNumber, 'request.blockNumber');
    request.pins.forEach((p, i) => checkUint64(p.blockNumber, `request.pins.${i}.blockNumber`));
    return { kind: 'redemptionRequest' as const, request };
  },
  build: ({ request: r }: { kind: 'redemptionRequest'; request: RedemptionReport }, did, nonce): RedemptionRequestMessage => ({
    kind: 'redemptionRequest',
    did,
    nonce,
    chainId: BigInt(r.chainId),
    requestId: BigInt(r.requestId),
    owner: r.owner as Address,
    amount: BigInt(r.amount),
    requestedAt: BigInt(r.requestedAt),
    poolSupply: BigInt(r.poolSupply),
  }),
  ref: (s) => requestSourceRef(s.request.chainId, s.request.requestId),
});
