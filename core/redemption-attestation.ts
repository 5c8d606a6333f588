import { keccak256, stringToBytes, type Address, type Hex } from 'viem';
import type { PolicySnapshot, RedemptionReport, StageReport } from '../schemas/committee.js';
import type { AcceptanceRequest, DisclosureRequest, FulfilmentRequest } from '../schemas/http.js';
import { refHash, type DidHash } from '../schemas/ids.js';
import type { AttestationMessage } from '../schemas/message.js';
import { acceptanceSourceRef, requestSourceRef, stageSourceRef } from '../oracle/store/redemptions.js';

/**
 * Sources of the redemption kinds (7..11, 13) and the message each becomes at a nonce. As for the other kinds, the
 * aggregator and every signer build the message with these functions from the same source.
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

export function redemptionAttestationOf(s: RedemptionSource, did: DidHash, nonce: bigint): AttestationMessage {
  switch (s.kind) {
    case 'redemptionRequest': {
      const r = s.request;
      return {
        kind: 'redemptionRequest',
        did,
        nonce,
        chainId: BigInt(r.chainId),
        requestId: BigInt(r.requestId),
        owner: r.owner as Address,
        amount: BigInt(r.amount),
        requestedAt: BigInt(r.requestedAt),
        poolSupply: BigInt(r.poolSupply),
      };
    }
    case 'redemptionStage': {
      const r = s.request;
      return {
        kind: 'redemptionStage',
        did,
        nonce,
        stage: r.stage,
        stageSeq: BigInt(r.stageSeq),
        since: BigInt(r.since),
        reason: r.reason,
        dayRequested: BigInt(r.dayRequested),
        poolSupply: BigInt(r.poolSupply),
      };
    }
    case 'redemptionPolicy': {
      const p = s.request;
      return { kind: 'redemptionPolicy', did, nonce, stageBBps: p.stageBBps, stageCBps: p.stageCBps, instalments: p.instalments, windowSeconds: p.windowSeconds, emergency: p.emergency };
    }
    case 'redemptionFulfilment': {
      const f = s.request;
      return {
        kind: 'redemptionFulfilment',
        did,
        nonce,
        requestId: BigInt(f.requestId),
        settlementRef: refHash(f.settlementRef),
        amount: BigInt(f.amount),
        cashLegRef: f.cashLegRef as Hex,
        settledAt: BigInt(f.settledAt),
      };
    }
    case 'redemptionAcceptance': {
      const a = s.request;
      return { kind: 'redemptionAcceptance', did, nonce, requestId: BigInt(a.requestId), owner: a.owner as Address, amount: BigInt(a.amount), acceptedAt: BigInt(a.acceptedAt) };
    }
    case 'disclosure': {
      const d = s.request;
      return { kind: 'disclosure', did, nonce, docKind: d.docKind, docHash: d.docHash as Hex, asOf: BigInt(d.asOf), uri: d.uri };
    }
  }
}

/** The policy with its keys in one order, so its idempotency key never depends on who built the object. */
export const canonicalPolicy = (p: PolicySnapshot): PolicySnapshot => ({
  did: p.did,
  revision: p.revision,
  stageBBps: p.stageBBps,
  stageCBps: p.stageCBps,
  instalments: p.instalments,
  windowSeconds: p.windowSeconds,
  emergency: p.emergency,
});

/** A policy's idempotency key: the hash of its content and revision, so each registry change is attested once. */
export const policyRef = (p: PolicySnapshot): string => `policy:${keccak256(stringToBytes(JSON.stringify(canonicalPolicy(p))))}`;

/** A disclosure's idempotency key: its document kind and as-of time (the chains keep one per kind per as-of). */
export const disclosureRef = (d: Pick<DisclosureRequest, 'docKind' | 'asOf'>): string => `${d.docKind}:${d.asOf}`;

export function redemptionSourceRefOf(s: RedemptionSource): string {
  switch (s.kind) {
    case 'redemptionRequest':
      return requestSourceRef(s.request.chainId, s.request.requestId);
    case 'redemptionStage':
      return stageSourceRef(s.request.stageSeq);
    case 'redemptionPolicy':
      return policyRef(s.request);
    case 'redemptionFulfilment':
      return s.request.settlementRef;
    case 'redemptionAcceptance':
      return acceptanceSourceRef(s.request.chainId, s.request.requestId);
    case 'disclosure':
      return disclosureRef(s.request);
  }
}
