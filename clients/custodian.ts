import { privateKeyToAccount } from 'viem/accounts';
import type { Address, Hex } from 'viem';
import { custodianDomain, custodianTypes } from '../schemas/eip712.js';
import {
  allowListUpdateMessage,
  disclosureMessage,
  redemptionFulfilmentMessage,
  moveInstructionMessage,
  navReportMessage,
  pauseOrderMessage,
  reserveReportMessage,
  settlementProofMessage,
} from '../schemas/custodian-messages.js';
import type { AllowListRequest, DisclosureRequest, FulfilmentRequest, MoveRequest, NavRequest, PauseRequest, ReserveRequest, SettlementRequest } from '../schemas/http.js';

/** Where the oracle verifies custodian signatures: the hub chain and its DID registry. */
export interface CustodianDomain {
  hubChainId: number;
  registry: Address;
}

export type UnsignedSettlement = Omit<SettlementRequest, 'signature'>;
export type UnsignedNav = Omit<NavRequest, 'signature'>;

/** Signs a settlement proof as a custodian would (EIP-712, custodian domain) and returns the POST body. */
export async function signSettlement(key: Hex, domain: CustodianDomain, body: UnsignedSettlement): Promise<SettlementRequest> {
  const signature = await privateKeyToAccount(key).signTypedData({
    domain: custodianDomain(BigInt(domain.hubChainId), domain.registry),
    types: custodianTypes,
    primaryType: 'SettlementProof',
    message: settlementProofMessage(body),
  });
  return { ...body, signature };
}

/** Signs a NAV report as a NAV publisher would and returns the POST body. */
export async function signNav(key: Hex, domain: CustodianDomain, body: UnsignedNav): Promise<NavRequest> {
  const signature = await privateKeyToAccount(key).signTypedData({
    domain: custodianDomain(BigInt(domain.hubChainId), domain.registry),
    types: custodianTypes,
    primaryType: 'NavReport',
    message: navReportMessage(body),
  });
  return { ...body, signature };
}

/** POSTs a JSON body and returns status and parsed JSON. */
export async function postJson(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

export type UnsignedReserve = Omit<ReserveRequest, 'signature'>;
export type UnsignedAllowList = Omit<AllowListRequest, 'signature'>;
export type UnsignedPause = Omit<PauseRequest, 'signature'>;

/** Signs a reserve report as a custodian would. */
export async function signReserve(key: Hex, domain: CustodianDomain, body: UnsignedReserve): Promise<ReserveRequest> {
  const signature = await privateKeyToAccount(key).signTypedData({
    domain: custodianDomain(BigInt(domain.hubChainId), domain.registry),
    types: custodianTypes,
    primaryType: 'ReserveReport',
    message: reserveReportMessage(body),
  });
  return { ...body, signature };
}

/** Signs an allow-list change as the DID's issuer would. */
export async function signAllowList(key: Hex, domain: CustodianDomain, body: UnsignedAllowList): Promise<AllowListRequest> {
  const signature = await privateKeyToAccount(key).signTypedData({
    domain: custodianDomain(BigInt(domain.hubChainId), domain.registry),
    types: custodianTypes,
    primaryType: 'AllowListUpdate',
    message: allowListUpdateMessage(body),
  });
  return { ...body, signature };
}

/** Signs a pause or resume order as the DID's issuer would. */
export async function signPause(key: Hex, domain: CustodianDomain, body: UnsignedPause): Promise<PauseRequest> {
  const signature = await privateKeyToAccount(key).signTypedData({
    domain: custodianDomain(BigInt(domain.hubChainId), domain.registry),
    types: custodianTypes,
    primaryType: 'PauseOrder',
    message: pauseOrderMessage(body),
  });
  return { ...body, signature };
}

export type UnsignedMove = Omit<MoveRequest, 'signature'>;

/** Signs a cross-chain move instruction as a custodian would. */
export async function signMove(key: Hex, domain: CustodianDomain, body: UnsignedMove): Promise<MoveRequest> {
  const signature = await privateKeyToAccount(key).signTypedData({
    domain: custodianDomain(BigInt(domain.hubChainId), domain.registry),
    types: custodianTypes,
    primaryType: 'MoveInstruction',
    message: moveInstructionMessage(body),
  });
  return { ...body, signature };
}

export type UnsignedFulfilment = Omit<FulfilmentRequest, 'signature'>;
export type UnsignedDisclosure = Omit<DisclosureRequest, 'signature'>;

/** Signs a redemption fulfilment as a custodian would (POST /v1/redemptions/fulfilments). */
export async function signFulfilment(key: Hex, domain: CustodianDomain, body: UnsignedFulfilment): Promise<FulfilmentRequest> {
  const signature = await privateKeyToAccount(key).signTypedData({
    domain: custodianDomain(BigInt(domain.hubChainId), domain.registry),
    types: custodianTypes,
    primaryType: 'RedemptionFulfilment',
    message: redemptionFulfilmentMessage(body),
  });
  return { ...body, signature };
}

/** Signs a disclosure as the DID's issuer would (POST /v1/disclosures). */
export async function signDisclosure(key: Hex, domain: CustodianDomain, body: UnsignedDisclosure): Promise<DisclosureRequest> {
  const signature = await privateKeyToAccount(key).signTypedData({
    domain: custodianDomain(BigInt(domain.hubChainId), domain.registry),
    types: custodianTypes,
    primaryType: 'Disclosure',
    message: disclosureMessage(body),
  });
  return { ...body, signature };
}
