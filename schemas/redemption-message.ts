import { concat, numberToHex, size, stringToHex, type Hex } from 'viem';
import type { DidHash } from './ids.js';

/**
 * Redemption and disclosure kinds (7..11, 13) of wire layout v1; byte table in contracts/src/libraries/RedemptionCodec.sol.
 * The committee signs them as AdminAttestation(did, nonce, kind, body) like config, allow-list, pause and reserve.
 * schemas/message.ts re-exports everything here; import from there.
 */
export const REDEMPTION_REQUEST_LENGTH = 150;
export const REDEMPTION_STAGE_LENGTH = 124;
export const REDEMPTION_POLICY_LENGTH = 52;
export const REDEMPTION_FULFILMENT_LENGTH = 154;
/** A disclosure is this many bytes plus the UTF-8 length of its URI. */
export const DISCLOSURE_MIN_LENGTH = 85;
export const REDEMPTION_ACCEPTANCE_LENGTH = 110;
export const DISCLOSURE_MAX_URI_BYTES = 0xffff;

/** Stage of a DID's redemption gate: A fulfils in full, B in instalments over a window, C holds every fulfilment. */
export const REDEMPTION_STAGE = { A: 1, B: 2, C: 3 } as const;
export type RedemptionStageName = keyof typeof REDEMPTION_STAGE;
/** Why the gate is at its stage: none (stage A), the day's requests passed a threshold, or the issuer's emergency flag. */
export const REDEMPTION_STAGE_REASON = { none: 0, threshold: 1, emergency: 2 } as const;
export type RedemptionStageReasonName = keyof typeof REDEMPTION_STAGE_REASON;
export const DISCLOSURE_KIND = { navReport: 1, custodyStatement: 2, auditReport: 3, incidentNotice: 4 } as const;
export type DisclosureKindName = keyof typeof DISCLOSURE_KIND;

/** Defaults every chain applies to a DID until its first policy attestation arrives. */
export const DEFAULT_REDEMPTION_POLICY = { stageBBps: 100, stageCBps: 300, instalments: 7, windowSeconds: 7 * 86_400, emergency: false } as const;

/** A request seen on `chainId`, reported to the hub; poolSupply = total supply over every chain at pinned blocks. */
export interface RedemptionRequestMessage {
  kind: 'redemptionRequest';
  did: DidHash;
  nonce: bigint;
  chainId: bigint;
  requestId: bigint;
  owner: `0x${string}`;
  amount: bigint;
  requestedAt: bigint;
  poolSupply: bigint;
}

/** The hub's stage, sent to every other chain; applied only when stageSeq is newer than the chain's. */
export interface RedemptionStageMessage {
  kind: 'redemptionStage';
  did: DidHash;
  nonce: bigint;
  stage: RedemptionStageName;
  stageSeq: bigint;
  /** Unix seconds the stage began on the hub. */
  since: bigint;
  reason: RedemptionStageReasonName;
  dayRequested: bigint;
  poolSupply: bigint;
}

/** The issuer's gate policy for a DID (RwaDidRegistry.setRedemptionPolicy), sent to every chain. */
export interface RedemptionPolicyMessage {
  kind: 'redemptionPolicy';
  did: DidHash;
  nonce: bigint;
  /** uint16 each; valid when 0 < stageBBps <= stageCBps <= 10000. */
  stageBBps: number;
  stageCBps: number;
  /** uint8, >= 1. */
  instalments: number;
  /** uint32 seconds, >= instalments. */
  windowSeconds: number;
  emergency: boolean;
}

/** The custodian paid cash for (part of) a request; burns that many locked tokens on the request's chain. */
export interface RedemptionFulfilmentMessage {
  kind: 'redemptionFulfilment';
  did: DidHash;
  nonce: bigint;
  requestId: bigint;
  settlementRef: Hex;
  amount: bigint;
  cashLegRef: Hex;
  settledAt: bigint;
}

/**
 * The custodian accepted a request (kind 13): sent to the request's chain only, where it makes the request
 * uncancellable and fulfillable; refused there if the holder cancelled first. Owner and amount must be the request's.
 */
export interface RedemptionAcceptanceMessage {
  kind: 'redemptionAcceptance';
  did: DidHash;
  nonce: bigint;
  requestId: bigint;
  owner: `0x${string}`;
  amount: bigint;
  acceptedAt: bigint;
}

/** A document anchored by hash on every chain; the latest per (did, docKind) must have a strictly newer asOf. */
export interface DisclosureMessage {
  kind: 'disclosure';
  did: DidHash;
  nonce: bigint;
  docKind: DisclosureKindName;
  docHash: Hex;
  asOf: bigint;
  uri: string;
}

export type RedemptionKindMessage =
  | RedemptionRequestMessage
  | RedemptionStageMessage
  | RedemptionPolicyMessage
  | RedemptionFulfilmentMessage
  | RedemptionAcceptanceMessage
  | DisclosureMessage;

const u = (value: bigint | number, bytes: number): Hex => numberToHex(value, { size: bytes });

export function encodeRedemptionBody(m: RedemptionKindMessage): Hex {
  switch (m.kind) {
    case 'redemptionRequest':
      return concat([u(m.chainId, 8), u(m.requestId, 8), m.owner, u(m.amount, 32), u(m.requestedAt, 8), u(m.poolSupply, 32)]);
    case 'redemptionStage':
      return concat([u(REDEMPTION_STAGE[m.stage], 1), u(m.stageSeq, 8), u(m.since, 8), u(REDEMPTION_STAGE_REASON[m.reason], 1), u(m.dayRequested, 32), u(m.poolSupply, 32)]);
    case 'redemptionPolicy':
      return concat([u(m.stageBBps, 2), u(m.stageCBps, 2), u(m.instalments, 1), u(m.windowSeconds, 4), u(m.emergency ? 1 : 0, 1)]);
    case 'redemptionFulfilment':
      return concat([u(m.requestId, 8), m.settlementRef, u(m.amount, 32), m.cashLegRef, u(m.settledAt, 8)]);
    case 'redemptionAcceptance':
      return concat([u(m.requestId, 8), m.owner, u(m.amount, 32), u(m.acceptedAt, 8)]);
    case 'disclosure': {
      const uri = stringToHex(m.uri);
      const uriLength = size(uri);
      if (uriLength > DISCLOSURE_MAX_URI_BYTES) throw new Error(`disclosure URI longer than ${DISCLOSURE_MAX_URI_BYTES} bytes`);
      return concat([u(DISCLOSURE_KIND[m.docKind], 1), m.docHash, u(m.asOf, 8), u(uriLength, 2), uri]);
    }
  }
}

/** Reads fixed fields of one message; supplied by decodeMessage, which owns the bounds checks and the error type. */
export interface FieldReader {
  length: number;
  at(start: number, end: number): Hex;
  num(start: number, end: number): number;
  big(start: number, end: number): bigint;
  address(start: number, end: number): `0x${string}`;
  text(start: number, end: number): string;
  exact(expected: number, what: string): void;
  fail(reason: string): never;
}

const nameOf = <T extends Record<string, number>>(table: T, value: number, what: string, r: FieldReader): keyof T & string => {
  const name = (Object.keys(table) as (keyof T & string)[]).find((k) => table[k] === value);
  return name ?? r.fail(`unknown ${what} ${value}`);
};

/** Decodes kinds 7..11 and 13 after the header; returns undefined for any other kind. */
export function decodeRedemptionBody(kind: number, did: DidHash, nonce: bigint, r: FieldReader): RedemptionKindMessage | undefined {
  switch (kind) {
    case 7:
      r.exact(REDEMPTION_REQUEST_LENGTH, 'redemption request');
      return {
        kind: 'redemptionRequest',
        did,
        nonce,
        chainId: r.big(42, 50),
        requestId: r.big(50, 58),
        owner: r.address(58, 78),
        amount: r.big(78, 110),
        requestedAt: r.big(110, 118),
        poolSupply: r.big(118, 150),
      };
    case 8:
      r.exact(REDEMPTION_STAGE_LENGTH, 'redemption stage');
      return {
        kind: 'redemptionStage',
        did,
        nonce,
        stage: nameOf(REDEMPTION_STAGE, r.num(42, 43), 'redemption stage', r),
        stageSeq: r.big(43, 51),
        since: r.big(51, 59),
        reason: nameOf(REDEMPTION_STAGE_REASON, r.num(59, 60), 'redemption stage reason', r),
        dayRequested: r.big(60, 92),
        poolSupply: r.big(92, 124),
      };
    case 9:
      r.exact(REDEMPTION_POLICY_LENGTH, 'redemption policy');
      return {
        kind: 'redemptionPolicy',
        did,
        nonce,
        stageBBps: r.num(42, 44),
        stageCBps: r.num(44, 46),
        instalments: r.num(46, 47),
        windowSeconds: r.num(47, 51),
        emergency: r.num(51, 52) !== 0,
      };
    case 10:
      r.exact(REDEMPTION_FULFILMENT_LENGTH, 'redemption fulfilment');
      return {
        kind: 'redemptionFulfilment',
        did,
        nonce,
        requestId: r.big(42, 50),
        settlementRef: r.at(50, 82),
        amount: r.big(82, 114),
        cashLegRef: r.at(114, 146),
        settledAt: r.big(146, 154),
      };
    case 11: {
      const uriLength = r.num(83, 85);
      r.exact(DISCLOSURE_MIN_LENGTH + uriLength, 'disclosure');
      return {
        kind: 'disclosure',
        did,
        nonce,
        docKind: nameOf(DISCLOSURE_KIND, r.num(42, 43), 'disclosure kind', r),
        docHash: r.at(43, 75),
        asOf: r.big(75, 83),
        uri: r.text(85, 85 + uriLength),
      };
    }
    case 13:
      r.exact(REDEMPTION_ACCEPTANCE_LENGTH, 'redemption acceptance');
      return {
        kind: 'redemptionAcceptance',
        did,
        nonce,
        requestId: r.big(42, 50),
        owner: r.address(50, 70),
        amount: r.big(70, 102),
        acceptedAt: r.big(102, 110),
      };
    default:
      return undefined;
  }
}
