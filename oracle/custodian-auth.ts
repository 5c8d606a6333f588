import { recoverTypedDataAddress, type Address, type Hex } from 'viem';
import { custodianDomain, custodianTypes } from '../schemas/eip712.js';
import type { AllowListRequest, MoveRequest, NavRequest, PauseRequest, ReserveRequest, SettlementRequest } from '../schemas/http.js';

export interface CustodianDomainParams {
  hubChainId: bigint;
  registry: Address;
}

/** EIP-712 message a custodian signs for a settlement proof (everything in the body but the signature). */
export function settlementProofMessage(body: SettlementRequest) {
  return {
    did: body.did,
    chainId: BigInt(body.chainId),
    kind: body.kind,
    settlementRef: body.settlementRef,
    investor: body.investor as Address,
    amount: BigInt(body.amount),
    cashLegRef: body.cashLegRef as Hex,
    settledAt: BigInt(body.settledAt),
  };
}

export function navReportMessage(body: NavRequest) {
  return { did: body.did, nav: BigInt(body.nav), asOf: BigInt(body.asOf) };
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
    message: { did: body.did, reserve: BigInt(body.reserve), asOf: BigInt(body.asOf) },
    signature: body.signature as Hex,
  });
}

/** The issuer's AllowListUpdate: entries split into parallel account / allowed arrays. */
export function recoverAllowListSigner(p: CustodianDomainParams, body: AllowListRequest): Promise<Address> {
  return recoverTypedDataAddress({
    domain: custodianDomain(p.hubChainId, p.registry),
    types: custodianTypes,
    primaryType: 'AllowListUpdate',
    message: { did: body.did, ref: body.ref, accounts: body.entries.map((e) => e.account as Address), allowed: body.entries.map((e) => e.allowed) },
    signature: body.signature as Hex,
  });
}

/** The issuer's PauseOrder. */
export function recoverPauseSigner(p: CustodianDomainParams, body: PauseRequest): Promise<Address> {
  return recoverTypedDataAddress({
    domain: custodianDomain(p.hubChainId, p.registry),
    types: custodianTypes,
    primaryType: 'PauseOrder',
    message: { did: body.did, ref: body.ref, paused: body.paused },
    signature: body.signature as Hex,
  });
}

/** EIP-712 message of a custodian's MoveInstruction (everything in the body but the signature). */
export function moveInstructionMessage(body: MoveRequest) {
  return {
    did: body.did,
    ref: body.ref,
    investor: body.investor as Address,
    amount: BigInt(body.amount),
    fromChainId: BigInt(body.fromChainId),
    toChainId: BigInt(body.toChainId),
  };
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
