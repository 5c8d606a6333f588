import type { Address } from 'viem';
import { custodianDomain, custodianTypes } from './eip712.js';
import { REQUEST_SIGNINGS } from './kinds/index.js';

/**
 * The EIP-712 message of each request a custodian, NAV publisher or issuer signs: the JSON body (everything but the
 * signature) in the typed shape of `custodianTypes`. Clients sign these and the oracle recovers from these, so the
 * two can never disagree on what was signed. Each is defined by its kind module's `signing` (schemas/kinds/).
 */
type Signing = (typeof REQUEST_SIGNINGS)[number];

/** Every custodian / issuer request by its EIP-712 primary type, with the builder of its typed message. */
export const CUSTODIAN_REQUESTS = Object.fromEntries(REQUEST_SIGNINGS.map((s) => [s.primaryType, (body: never) => s.message(body)])) as {
  readonly [S in Signing as S['primaryType']]: S['message'];
};
export type CustodianPrimaryType = Signing['primaryType'];
/** The request body (without its signature) whose typed message `P` signs. */
export type CustodianRequestBody<P extends CustodianPrimaryType> = Parameters<(typeof CUSTODIAN_REQUESTS)[P]>[0];

export const settlementProofMessage = CUSTODIAN_REQUESTS.SettlementProof;
export const navReportMessage = CUSTODIAN_REQUESTS.NavReport;
export const moveInstructionMessage = CUSTODIAN_REQUESTS.MoveInstruction;

/**
 * The EIP-712 typed data a request of type `P` is signed as: the custodian domain of the hub registry, the shared
 * types, and the message built from the body. What the client signs and what the oracle recovers are one value.
 */
export function custodianTypedData<P extends CustodianPrimaryType>(primaryType: P, domain: { hubChainId: bigint; registry: Address }, body: CustodianRequestBody<P>) {
  const build = CUSTODIAN_REQUESTS[primaryType] as (b: CustodianRequestBody<P>) => Record<string, unknown>;
  return { domain: custodianDomain(domain.hubChainId, domain.registry), types: custodianTypes, primaryType, message: build(body) };
}
