import { keccak256, stringToBytes, type Address } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { Deployment } from '../../schemas/deployment.js';
import { DEV_CUSTODIAN_KEY, DEV_NAV_PUBLISHER_KEY } from '../../schemas/dev-keys.js';
import { signNav, signSettlement, type CustodianDomain } from '../../clients/custodian.js';
import type { NavRequest, SettlementRequest } from '../../schemas/http.js';

/** A demo investor (anvil's account #3, address only: it never signs anything here). */
export const DEMO_INVESTOR: Address = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';

export function custodianDomainOf(d: Deployment): CustodianDomain {
  return { hubChainId: d.hub.chainId, registry: d.hub.registry as Address };
}

export function demoSubscription(d: Deployment, chainId: number, ref: string, amount: bigint, settledAt: number, investor: Address = DEMO_INVESTOR): Promise<SettlementRequest> {
  const did = d.dids[0]?.did;
  if (!did) throw new Error('deployment has no DID');
  return signSettlement(DEV_CUSTODIAN_KEY, custodianDomainOf(d), {
    did,
    chainId,
    kind: 'subscription',
    settlementRef: ref,
    investor,
    amount: amount.toString(),
    cashLegRef: keccak256(stringToBytes(`wire ${ref}`)),
    settledAt,
  });
}

export function demoNav(d: Deployment, nav: bigint, asOf: number): Promise<NavRequest> {
  const did = d.dids[0]?.did;
  if (!did) throw new Error('deployment has no DID');
  return signNav(DEV_NAV_PUBLISHER_KEY, custodianDomainOf(d), { did, nav: nav.toString(), asOf });
}

export const devCustodianAddress = () => privateKeyToAccount(DEV_CUSTODIAN_KEY).address;
