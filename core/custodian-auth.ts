import type { Address, Hex } from 'viem';
import { recoverTypedDataSigner } from './ecdsa.js';
import type { AcceptanceRequest, AllowListRequest, DisclosureRequest, FulfilmentRequest, MoveRequest, NavRequest, PauseRequest, ReserveRequest, SettlementRequest } from '../schemas/http.js';
import {
  custodianTypedData,
  moveInstructionMessage,
  navReportMessage,
  settlementProofMessage,
  type CustodianPrimaryType,
  type CustodianRequestBody,
} from '../schemas/custodian-messages.js';

export { moveInstructionMessage, navReportMessage, settlementProofMessage };

export interface CustodianDomainParams {
  hubChainId: bigint;
  registry: Address;
}

/** Who signed a request of EIP-712 type `P` (custodian domain of the hub registry). */
export function recoverCustodianSigner<P extends CustodianPrimaryType>(primaryType: P, p: CustodianDomainParams, body: CustodianRequestBody<P> & { signature: string }): Promise<Address> {
  const typed = custodianTypedData(primaryType, p, body);
  return recoverTypedDataSigner(typed as Parameters<typeof recoverTypedDataSigner>[0], body.signature as Hex);
}

export const recoverSettlementSigner = (p: CustodianDomainParams, body: SettlementRequest): Promise<Address> => recoverCustodianSigner('SettlementProof', p, body);

export const recoverNavSigner = (p: CustodianDomainParams, body: NavRequest): Promise<Address> => recoverCustodianSigner('NavReport', p, body);

/** A custodian's ReserveReport (proof of reserve). */
export const recoverReserveSigner = (p: CustodianDomainParams, body: ReserveRequest): Promise<Address> => recoverCustodianSigner('ReserveReport', p, body);

/** The issuer's AllowListUpdate: entries split into parallel account / allowed arrays. */
export const recoverAllowListSigner = (p: CustodianDomainParams, body: AllowListRequest): Promise<Address> => recoverCustodianSigner('AllowListUpdate', p, body);

/** The issuer's PauseOrder. */
export const recoverPauseSigner = (p: CustodianDomainParams, body: PauseRequest): Promise<Address> => recoverCustodianSigner('PauseOrder', p, body);

/** A custodian's MoveInstruction. */
export const recoverMoveSigner = (p: CustodianDomainParams, body: MoveRequest): Promise<Address> => recoverCustodianSigner('MoveInstruction', p, body);

/** A custodian's RedemptionFulfilment. */
export const recoverFulfilmentSigner = (p: CustodianDomainParams, body: FulfilmentRequest): Promise<Address> => recoverCustodianSigner('RedemptionFulfilment', p, body);

/** A custodian's RedemptionAcceptance. */
export const recoverAcceptanceSigner = (p: CustodianDomainParams, body: AcceptanceRequest): Promise<Address> => recoverCustodianSigner('RedemptionAcceptance', p, body);

/** The issuer's Disclosure. */
export const recoverDisclosureSigner = (p: CustodianDomainParams, body: DisclosureRequest): Promise<Address> => recoverCustodianSigner('Disclosure', p, body);
