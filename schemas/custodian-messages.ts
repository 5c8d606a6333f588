import type { Address, Hex } from 'viem';
import { DISCLOSURE_KIND } from './message.js';
import { custodianDomain, custodianTypes } from './eip712.js';
import type { AcceptanceRequest, AllowListRequest, DisclosureRequest, FulfilmentRequest, MoveRequest, NavRequest, PauseRequest, ReserveRequest, SettlementRequest } from './http.js';

/**
 * The EIP-712 message of each request a custodian, NAV publisher or issuer signs: the JSON body (everything but the
 * signature) in the typed shape of `custodianTypes`. Clients sign these and the oracle recovers from these, so the
 * two can never disagree on what was signed.
 */
type Unsigned<T> = Omit<T, 'signature'>;

export const settlementProofMessage = (body: Unsigned<SettlementRequest>) => ({
  did: body.did,
  chainId: BigInt(body.chainId),
  kind: body.kind,
  settlementRef: body.settlementRef,
  investor: body.investor as Address,
  amount: BigInt(body.amount),
  cashLegRef: body.cashLegRef as Hex,
  settledAt: BigInt(body.settledAt),
});

export const navReportMessage = (body: Unsigned<NavRequest>) => ({ did: body.did, nav: BigInt(body.nav), asOf: BigInt(body.asOf) });

export const reserveReportMessage = (body: Unsigned<ReserveRequest>) => ({ did: body.did, reserve: BigInt(body.reserve), asOf: BigInt(body.asOf) });

/** Entries split into parallel account / allowed arrays. */
export const allowListUpdateMessage = (body: Unsigned<AllowListRequest>) => ({
  did: body.did,
  ref: body.ref,
  accounts: body.entries.map((e) => e.account as Address),
  allowed: body.entries.map((e) => e.allowed),
});

export const pauseOrderMessage = (body: Unsigned<PauseRequest>) => ({ did: body.did, ref: body.ref, paused: body.paused });

export const moveInstructionMessage = (body: Unsigned<MoveRequest>) => ({
  did: body.did,
  ref: body.ref,
  investor: body.investor as Address,
  amount: BigInt(body.amount),
  fromChainId: BigInt(body.fromChainId),
  toChainId: BigInt(body.toChainId),
});

export const redemptionFulfilmentMessage = (body: Unsigned<FulfilmentRequest>) => ({
  did: body.did,
  chainId: BigInt(body.chainId),
  requestId: BigInt(body.requestId),
  settlementRef: body.settlementRef,
  amount: BigInt(body.amount),
  cashLegRef: body.cashLegRef as Hex,
  settledAt: BigInt(body.settledAt),
});

export const redemptionAcceptanceMessage = (body: Unsigned<AcceptanceRequest>) => ({
  did: body.did,
  chainId: BigInt(body.chainId),
  requestId: BigInt(body.requestId),
  owner: body.owner as Address,
  amount: BigInt(body.amount),
  acceptedAt: BigInt(body.acceptedAt),
});

/** The document kind travels as its on-chain code (uint8), the name only in JSON. */
export const disclosureMessage = (body: Unsigned<DisclosureRequest>) => ({
  did: body.did,
  docKind: DISCLOSURE_KIND[body.docKind],
  docHash: body.docHash as Hex,
  uri: body.uri,
  asOf: BigInt(body.asOf),
});

/** Every custodian / issuer request by its EIP-712 primary type, with the builder of its typed message. */
export const CUSTODIAN_REQUESTS = {
  SettlementProof: settlementProofMessage,
  NavReport: navReportMessage,
  ReserveReport: reserveReportMessage,
  AllowListUpdate: allowListUpdateMessage,
  PauseOrder: pauseOrderMessage,
  MoveInstruction: moveInstructionMessage,
  RedemptionFulfilment: redemptionFulfilmentMessage,
  RedemptionAcceptance: redemptionAcceptanceMessage,
  Disclosure: disclosureMessage,
} as const;
export type CustodianPrimaryType = keyof typeof CUSTODIAN_REQUESTS;
/** The request body (without its signature) whose typed message `P` signs. */
export type CustodianRequestBody<P extends CustodianPrimaryType> = Parameters<(typeof CUSTODIAN_REQUESTS)[P]>[0];

/**
 * The EIP-712 typed data a request of type `P` is signed as: the custodian domain of the hub registry, the shared
 * types, and the message built from the body. What the client signs and what the oracle recovers are one value.
 */
export function custodianTypedData<P extends CustodianPrimaryType>(primaryType: P, domain: { hubChainId: bigint; registry: Address }, body: CustodianRequestBody<P>) {
  const build = CUSTODIAN_REQUESTS[primaryType] as (b: CustodianRequestBody<P>) => Record<string, unknown>;
  return { domain: custodianDomain(domain.hubChainId, domain.registry), types: custodianTypes, primaryType, message: build(body) };
}
