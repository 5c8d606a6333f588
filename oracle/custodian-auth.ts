import { recoverTypedDataAddress, type Address, type Hex } from 'viem';
import { custodianDomain, custodianTypes } from '../schemas/eip712.js';
import type { AllowListRequest, DisclosureRequest, FulfilmentRequest, MoveRequest, NavRequest, PauseRequest, ReserveRequest, SettlementRequest } from '../schemas/http.js';
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

export { moveInstructionMessage, navReportMessage, settlementProofMessage };

export interface CustodianDomainParams {
  hubChainId: bigint;
  registry: Address;
}

export function recoverSettlementSigner(p: CustodianDomainParams, body: SettlementRequest): Promise<Address> {
  return recoverTypedDataAddress({
    domain: custodianDomain(p.hubChainId, p.registry),
    types: custodianTypes,
    primaryType: 'SettlementProof',
    message: settlementProofMessage(body),
    signature: body.signature as Hex,
  });
}

export function recoverNavSigner(p: CustodianDomainParams, body: NavRequest): Promise<Address> {
  return recoverTypedDataAddress({
    domain: custodianDomain(p.hubChainId, p.registry),
    types: custodianTypes,
    primaryType: 'NavReport',
    message: navReportMessage(body),
    signature: body.signature as Hex,
  });
}

/** A custodian's ReserveReport (proof of reserve). */
export function recoverReserveSigner(p: CustodianDomainParams, body: ReserveRequest): Promise<Address> {
  return recoverTypedDataAddress({
    domain: custodianDomain(p.hubChainId, p.registry),
    types: custodianTypes,
    primaryType: 'ReserveReport',
    message: reserveReportMessage(body),
    signature: body.signature as Hex,
  });
}

/** The issuer's AllowListUpdate: entries split into parallel account / allowed arrays. */
export function recoverAllowListSigner(p: CustodianDomainParams, body: AllowListRequest): Promise<Address> {
  return recoverTypedDataAddress({
    domain: custodianDomain(p.hubChainId, p.registry),
    types: custodianTypes,
    primaryType: 'AllowListUpdate',
    message: allowListUpdateMessage(body),
    signature: body.signature as Hex,
  });
}

/** The issuer's PauseOrder. */
export function recoverPauseSigner(p: CustodianDomainParams, body: PauseRequest): Promise<Address> {
  return recoverTypedDataAddress({
    domain: custodianDomain(p.hubChainId, p.registry),
    types: custodianTypes,
    primaryType: 'PauseOrder',
    message: pauseOrderMessage(body),
    signature: body.signature as Hex,
  });
}

/** A custodian's MoveInstruction. */
export function recoverMoveSigner(p: CustodianDomainParams, body: MoveRequest): Promise<Address> {
  return recoverTypedDataAddress({
    domain: custodianDomain(p.hubChainId, p.registry),
    types: custodianTypes,
    primaryType: 'MoveInstruction',
    message: moveInstructionMessage(body),
    signature: body.signature as Hex,
  });
}

/** A custodian's RedemptionFulfilment. */
export function recoverFulfilmentSigner(p: CustodianDomainParams, body: FulfilmentRequest): Promise<Address> {
  return recoverTypedDataAddress({
    domain: custodianDomain(p.hubChainId, p.registry),
    types: custodianTypes,
    primaryType: 'RedemptionFulfilment',
    message: redemptionFulfilmentMessage(body),
    signature: body.signature as Hex,
  });
}

/** The issuer's Disclosure. */
export function recoverDisclosureSigner(p: CustodianDomainParams, body: DisclosureRequest): Promise<Address> {
  return recoverTypedDataAddress({
    domain: custodianDomain(p.hubChainId, p.registry),
    types: custodianTypes,
    primaryType: 'Disclosure',
    message: disclosureMessage(body),
    signature: body.signature as Hex,
  });
}
