import type { Address, Hex } from 'viem';
import { DISCLOSURE_KIND } from './message.js';
import type { AllowListRequest, DisclosureRequest, FulfilmentRequest, MoveRequest, NavRequest, PauseRequest, ReserveRequest, SettlementRequest } from './http.js';

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

/** The document kind travels as its on-chain code (uint8), the name only in JSON. */
export const disclosureMessage = (body: Unsigned<DisclosureRequest>) => ({
  did: body.did,
  docKind: DISCLOSURE_KIND[body.docKind],
  docHash: body.docHash as Hex,
  uri: body.uri,
  asOf: BigInt(body.asOf),
});
