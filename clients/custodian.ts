import { privateKeyToAccount } from 'viem/accounts';
import type { Address, Hex } from 'viem';
import { custodianTypedData, type CustodianPrimaryType, type CustodianRequestBody } from '../schemas/custodian-messages.js';
import type { AcceptanceRequest, AllowListRequest, DisclosureRequest, FulfilmentRequest, MoveRequest, NavRequest, PauseRequest, ReserveRequest, SettlementRequest } from '../schemas/http.js';

/** Where the oracle verifies custodian signatures: the hub chain and its DID registry. */
export interface CustodianDomain {
  hubChainId: number;
  registry: Address;
}

/** Signs a request of EIP-712 type `P` with `key` and returns the POST body (the request plus its signature). */
export async function signCustodianRequest<P extends CustodianPrimaryType, B extends CustodianRequestBody<P>>(primaryType: P, key: Hex, domain: CustodianDomain, body: B): Promise<B & { signature: Hex }> {
  const typed = custodianTypedData(primaryType, { hubChainId: BigInt(domain.hubChainId), registry: domain.registry }, body);
  const signature = await privateKeyToAccount(key).signTypedData(typed as Parameters<ReturnType<typeof privateKeyToAccount>['signTypedData']>[0]);
  return { ...body, signature };
}

export type UnsignedSettlement = Omit<SettlementRequest, 'signature'>;
export type UnsignedNav = Omit<NavRequest, 'signature'>;

/** Signs a settlement proof as a custodian would (EIP-712, custodian domain) and returns the POST body. */
export const signSettlement = (key: Hex, domain: CustodianDomain, body: UnsignedSettlement): Promise<SettlementRequest> => signCustodianRequest('SettlementProof', key, domain, body);

/** Signs a NAV report as a NAV publisher would and returns the POST body. */
export const signNav = (key: Hex, domain: CustodianDomain, body: UnsignedNav): Promise<NavRequest> => signCustodianRequest('NavReport', key, domain, body);

/** POSTs a JSON body and returns status and parsed JSON. */
export async function postJson(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

export type UnsignedReserve = Omit<ReserveRequest, 'signature'>;
export type UnsignedAllowList = Omit<AllowListRequest, 'signature'>;
export type UnsignedPause = Omit<PauseRequest, 'signature'>;

/** Signs a reserve report as a custodian would. */
export const signReserve = (key: Hex, domain: CustodianDomain, body: UnsignedReserve): Promise<ReserveRequest> => signCustodianRequest('ReserveReport', key, domain, body);

/** Signs an allow-list change as the DID's issuer would. */
export const signAllowList = (key: Hex, domain: CustodianDomain, body: UnsignedAllowList): Promise<AllowListRequest> => signCustodianRequest('AllowListUpdate', key, domain, body);

/** Signs a pause or resume order as the DID's issuer would. */
export const signPause = (key: Hex, domain: CustodianDomain, body: UnsignedPause): Promise<PauseRequest> => signCustodianRequest('PauseOrder', key, domain, body);

export type UnsignedMove = Omit<MoveRequest, 'signature'>;

/** Signs a cross-chain move instruction as a custodian would. */
export const signMove = (key: Hex, domain: CustodianDomain, body: UnsignedMove): Promise<MoveRequest> => signCustodianRequest('MoveInstruction', key, domain, body);

export type UnsignedFulfilment = Omit<FulfilmentRequest, 'signature'>;
export type UnsignedAcceptance = Omit<AcceptanceRequest, 'signature'>;
export type UnsignedDisclosure = Omit<DisclosureRequest, 'signature'>;

/** Signs a redemption fulfilment as a custodian would (POST /v1/redemptions/fulfilments). */
export const signFulfilment = (key: Hex, domain: CustodianDomain, body: UnsignedFulfilment): Promise<FulfilmentRequest> => signCustodianRequest('RedemptionFulfilment', key, domain, body);
export const signAcceptance = (key: Hex, domain: CustodianDomain, body: UnsignedAcceptance): Promise<AcceptanceRequest> => signCustodianRequest('RedemptionAcceptance', key, domain, body);

/** Signs a disclosure as the DID's issuer would (POST /v1/disclosures). */
export const signDisclosure = (key: Hex, domain: CustodianDomain, body: UnsignedDisclosure): Promise<DisclosureRequest> => signCustodianRequest('Disclosure', key, domain, body);
