import { concat, getAddress, type Address, type Hex } from 'viem';
import type { FromSchema } from 'json-schema-to-ts';
import { refHash, type DidHash } from '../ids.js';
import { nameOf, u } from './codec.js';
import { DRAFT, address, bytes32, did, signature, uintString, unixSeconds } from './json.js';
import { defineKind, defineSigning, defineSource, signedPostResponses } from './spec.js';

/**
 * Kind 1: a custodian's settlement (subscription mints, redemption burns) and the two legs of a move (moveOut burns
 * on the from-chain, moveIn mints on the to-chain; built by schemas/kinds/move.ts).
 *
 * ```
 * offset size field
 *  42     1   settlementKind  SETTLEMENT_KIND
 *  43    32   settlementRef   keccak256 of the custodian's reference
 *  75    20   investor
 *  95    32   amount          token base units
 * 127    32   cashLegRef      hash of the cash-leg evidence (zero for a move)
 * 159     8   settledAt       unix seconds
 * 167     8   peerChainId     the other chain of a move; 0 otherwise
 * ```
 */
export const SETTLEMENT_KIND = { subscription: 1, redemption: 2, moveOut: 3, moveIn: 4 } as const;
export type SettlementKindName = keyof typeof SETTLEMENT_KIND;
export const SETTLEMENT_LENGTH = 175;

export interface SettlementMessage {
  kind: 'settlement';
  did: DidHash;
  nonce: bigint;
  settlementKind: SettlementKindName;
  settlementRef: Hex;
  investor: `0x${string}`;
  amount: bigint;
  cashLegRef: Hex;
  settledAt: bigint;
  /** The other chain of a move; 0 for subscriptions and redemptions. */
  peerChainId: bigint;
}

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
export type SettlementRequest = FromSchema<typeof settlementRequestSchema>;

export const settlement = defineKind({
  code: 1,
  name: 'settlement',
  label: 'settlement',
  encodeBody: (m: SettlementMessage) =>
    concat([u(SETTLEMENT_KIND[m.settlementKind], 1), m.settlementRef, m.investor, u(m.amount, 32), m.cashLegRef, u(m.settledAt, 8), u(m.peerChainId, 8)]),
  decodeBody: ({ did, nonce }, r): SettlementMessage => {
    r.exact(SETTLEMENT_LENGTH, 'settlement');
    return {
      kind: 'settlement',
      did,
      nonce,
      settlementKind: nameOf(SETTLEMENT_KIND, r.num(42, 43), 'settlement kind', r),
      settlementRef: r.at(43, 75),
      investor: r.address(75, 95),
      amount: r.big(95, 127),
      cashLegRef: r.at(127, 159),
      settledAt: r.big(159, 167),
      peerChainId: r.big(167, 175),
    };
  },
  typed: (m) => ({
    primaryType: 'SettlementAttestation',
    message: {
      did: m.did,
      nonce: m.nonce,
      settlementKind: SETTLEMENT_KIND[m.settlementKind],
      settlementRef: m.settlementRef,
      investor: m.investor,
      amount: m.amount,
      cashLegRef: m.cashLegRef,
      settledAt: m.settledAt,
      peerChainId: m.peerChainId,
    },
  }),
});

export function settlementAttestation(body: SettlementRequest, did: DidHash, nonce: bigint): SettlementMessage {
  return {
    kind: 'settlement',
    did,
    nonce,
    settlementKind: body.kind,
    settlementRef: refHash(body.settlementRef),
    investor: getAddress(body.investor),
    amount: BigInt(body.amount),
    cashLegRef: body.cashLegRef as Hex,
    settledAt: BigInt(body.settledAt),
    peerChainId: 0n,
  };
}

export const settlementSource = defineSource({
  kind: 'settlement',
  requestSchema: settlementRequestSchema,
  build: (s: { kind: 'settlement'; request: SettlementRequest }, did, nonce) => settlementAttestation(s.request, did, nonce),
  ref: (s) => s.request.settlementRef,
  route: {
    path: '/v1/settlements',
    schemaName: 'SettlementRequest',
    summary: 'Post a custodian-signed settlement proof',
    responses: signedPostResponses({
      signer: 'a custodian',
      repeat: 'same reference and body seen before: the existing attestation',
      conflict: 'reference reused with a different body',
      refused: 'a rule refused it',
    }),
  },
});

/**
 * The EIP-712 type the request is signed as (custodian domain of the hub registry) and its typed message: the JSON
 * body but its signature. 
 */
export const settlementSigning = defineSigning({
  primaryType: 'SettlementProof',
  fields: [
    { name: 'did', type: 'string' },
    { name: 'chainId', type: 'uint64' },
    { name: 'kind', type: 'string' },
    { name: 'settlementRef', type: 'string' },
    { name: 'investor', type: 'address' },
    { name: 'amount', type: 'uint256' },
    { name: 'cashLegRef', type: 'bytes32' },
    { name: 'settledAt', type: 'uint64' },
  ],
  message: (body: Omit<SettlementRequest, 'signature'>) => ({
    did: body.did,
    chainId: BigInt(body.chainId),
    kind: body.kind,
    settlementRef: body.settlementRef,
    investor: body.investor as Address,
    amount: BigInt(body.amount),
    cashLegRef: body.cashLegRef as Hex,
    settledAt: BigInt(body.settledAt),
  }),
});
