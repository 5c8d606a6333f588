import type { RedemptionReport, StageReport, PolicySnapshot } from '../schemas/committee.js';
import type { AcceptanceRequest, DisclosureRequest, FulfilmentRequest } from '../schemas/http.js';

/**
 * Sources of the redemption kinds (7..11, 13); their builders and references live in the kind modules
 * (schemas/kinds/redemption-*.ts, disclosure.ts), dispatched by core/attestation.ts attestationOf / sourceRefOf.
 * - redemptionRequest: a request on some chain, once its acceptance applied there, with the pool supply at pinned
 *   blocks -> the hub;
 * - redemptionStage: a RedemptionStageChanged event on the hub -> every other chain;
 * - redemptionPolicy: the hub registry's policy of the DID -> every chain;
 * - redemptionAcceptance: a custodian's signed commitment to pay a request -> the request's chain;
 * - redemptionFulfilment: a custodian's signed payment for an accepted request -> the request's chain;
 * - disclosure: the issuer's signed document hash -> every chain.
 */
export type RedemptionSource =
  | { kind: 'redemptionRequest'; request: RedemptionReport }
  | { kind: 'redemptionStage'; request: StageReport }
  | { kind: 'redemptionPolicy'; request: PolicySnapshot }
  | { kind: 'redemptionFulfilment'; request: FulfilmentRequest }
  | { kind: 'redemptionAcceptance'; request: AcceptanceRequest }
  | { kind: 'disclosure'; request: DisclosureRequest };

export { canonicalPolicy, policyRef } from '../schemas/kinds/redemption-policy.js';
export { disclosureRef } from '../schemas/kinds/disclosure.js';
