import { recoverTypedDataAddress, type Address, type Hex } from 'viem';
import { custodianDomain, custodianTypes } from '../schemas/eip712.js';
import type { NavRequest, SettlementRequest } from '../schemas/http.js';

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
