import { concat, keccak256, numberToHex, size, sliceHex, hexToBigInt, hexToNumber, type Hex, getAddress, stringToHex, hexToString } from 'viem';
import type { AttestationId, DidHash } from './ids.js';
import { decodeRedemptionBody, encodeRedemptionBody, type FieldReader, type RedemptionKindMessage } from './redemption-message.js';
import { decodeQuorumBody, encodeQuorumBody, type TransportQuorumMessage } from './quorum-message.js';
import { decodeMoveEndBody, encodeMoveEndBody, type MoveEndMessage } from './move-message.js';

export * from './redemption-message.js';
export * from './quorum-message.js';
export * from './move-message.js';

/** Wire layout v1 of an attestation; byte table in contracts/src/libraries/AttestationCodec.sol. */
export const MESSAGE_VERSION = 1;
export const HEADER_LENGTH = 42;
export const KIND = {
  settlement: 1,
  nav: 2,
  config: 3,
  allowlist: 4,
  pause: 5,
  reserve: 6,
  redemptionRequest: 7,
  redemptionStage: 8,
  redemptionPolicy: 9,
  redemptionFulfilment: 10,
  disclosure: 11,
  transportQuorum: 12,
  redemptionAcceptance: 13,
  moveVoid: 15,
  moveReturn: 16,
} as const;
export type KindName = keyof typeof KIND;
export const SETTLEMENT_KIND = { subscription: 1, redemption: 2, moveOut: 3, moveIn: 4 } as const;
export type SettlementKindName = keyof typeof SETTLEMENT_KIND;
export const SETTLEMENT_LENGTH = 175;
export const NAV_LENGTH = 82;
export const PAUSE_LENGTH = 43;

export interface SettlementMessage {
  kind: 'settlement';
  did: DidHash;
  nonce: bigint;
  settlementKind: SettlementKindName;
  settlementRef: Hex;
  investor: `0x${string}`;
  amount: bigint;
  cashLegRef: Hex;
  settledAt: bigint;
  /** The other chain of a move; 0 for subscriptions and redemptions. */
  peerChainId: bigint;
}

export interface NavMessage {
  kind: 'nav';
  did: DidHash;
  nonce: bigint;
  nav: bigint;
  asOf: bigint;
}

export interface ConfigMessage {
  kind: 'config';
  did: DidHash;
  nonce: bigint;
  threshold: number;
  navDecimals: number;
  tokenDecimals: number;
  heartbeat: number;
  maxNavMoveBps: number;
  /** Strictly increasing addresses (the contract rejects any other order). */
  signers: readonly `0x${string}`[];
  name: string;
  symbol: string;
}

export interface AllowListMessage {
  kind: 'allowlist';
  did: DidHash;
  nonce: bigint;
  entries: readonly { account: `0x${string}`; allowed: boolean }[];
}

export interface PauseMessage {
  kind: 'pause';
  did: DidHash;
  nonce: bigint;
  paused: boolean;
}

export interface ReserveMessage {
  kind: 'reserve';
  did: DidHash;
  nonce: bigint;
  reserve: bigint;
  asOf: bigint;
  /**
   * Per chain: its mint budget, and the ceiling = the most its supply can reach before it applies this attestation
   * (its supply or cap in force, whichever is higher). A chain whose cap this raises checks the ceilings (kind 6).
   */
  caps: readonly { chainId: bigint; cap: bigint; ceiling: bigint }[];
}

export type AttestationMessage =
  | SettlementMessage
  | NavMessage
  | ConfigMessage
  | AllowListMessage
  | PauseMessage
  | ReserveMessage
  | RedemptionKindMessage
  | TransportQuorumMessage
  | MoveEndMessage;

const u = (value: bigint | number, bytes: number): Hex => numberToHex(value, { size: bytes });
const shortString = (s: string): Hex => {
  const hex = stringToHex(s);
  const len = size(hex);
  if (len > 255) throw new Error(`string longer than 255 bytes: ${s.slice(0, 20)}...`);
  return concat([u(len, 1), hex]);
};

/** Encodes v1 bytes, lowercase hex (canonical: the attestation id is keccak256 of these bytes). */
export function encodeMessage(m: AttestationMessage): Hex {
  return concat([u(MESSAGE_VERSION, 1), u(KIND[m.kind], 1), m.did, u(m.nonce, 8), encodeBody(m)]).toLowerCase() as Hex;
}

/** The bytes after the header: what `AdminAttestation.body` signs for every kind but settlement and NAV. */
export function encodeBody(m: AttestationMessage): Hex {
  switch (m.kind) {
    case 'settlement':
      return concat([u(SETTLEMENT_KIND[m.settlementKind], 1), m.settlementRef, m.investor, u(m.amount, 32), m.cashLegRef, u(m.settledAt, 8), u(m.peerChainId, 8)]);
    case 'nav':
      return concat([u(m.nav, 32), u(m.asOf, 8)]);
    case 'config':
      return concat([
        u(m.threshold, 1),
        u(m.navDecimals, 1),
        u(m.tokenDecimals, 1),
        u(m.heartbeat, 4),
        u(m.maxNavMoveBps, 2),
        u(m.signers.length, 1),
        ...m.signers,
        shortString(m.name),
        shortString(m.symbol),
      ]);
    case 'allowlist':
      return concat([u(m.entries.length, 2), ...m.entries.flatMap((e) => [e.account, u(e.allowed ? 1 : 0, 1)])]);
    case 'pause':
      return u(m.paused ? 1 : 0, 1);
    case 'reserve':
      return concat([u(m.reserve, 32), u(m.asOf, 8), u(m.caps.length, 1), ...m.caps.flatMap((c) => [u(c.chainId, 8), u(c.cap, 16), u(c.ceiling, 16)])]);
    case 'transportQuorum':
      return encodeQuorumBody(m);
    case 'moveVoid':
    case 'moveReturn':
      return encodeMoveEndBody(m);
    default:
      return encodeRedemptionBody(m);
  }
}

export class MessageDecodeError extends Error {
  override readonly name = 'MessageDecodeError';
}

export function decodeMessage(message: Hex): AttestationMessage {
  const len = size(message);
  const at = (start: number, end: number): Hex => {
    if (end > len) throw new MessageDecodeError(`message truncated: needs ${end} bytes, has ${len}`);
    return sliceHex(message, start, end, { strict: true });
  };
  const num = (start: number, end: number) => hexToNumber(at(start, end));
  const big = (start: number, end: number) => hexToBigInt(at(start, end));
  const exact = (expected: number, what: string) => {
    if (len !== expected) throw new MessageDecodeError(`${what} message must be ${expected} bytes, got ${len}`);
  };
  if (len < HEADER_LENGTH) throw new MessageDecodeError(`message too short: ${len} bytes`);
  const version = num(0, 1);
  if (version !== MESSAGE_VERSION) throw new MessageDecodeError(`unsupported message version ${version}`);
  const kind = num(1, 2);
  const did = at(2, 34) as DidHash;
  const nonce = big(34, 42);
  switch (kind) {
    case KIND.settlement: {
      exact(SETTLEMENT_LENGTH, 'settlement');
      const sk = num(42, 43);
      const settlementKind = (Object.keys(SETTLEMENT_KIND) as SettlementKindName[]).find((k) => SETTLEMENT_KIND[k] === sk);
      if (!settlementKind) throw new MessageDecodeError(`unknown settlement kind ${sk}`);
      return {
        kind: 'settlement',
        did,
        nonce,
        settlementKind,
        settlementRef: at(43, 75),
        investor: getAddress(at(75, 95)),
        amount: big(95, 127),
        cashLegRef: at(127, 159),
        settledAt: big(159, 167),
        peerChainId: big(167, 175),
      };
    }
    case KIND.nav:
      exact(NAV_LENGTH, 'NAV');
      return { kind: 'nav', did, nonce, nav: big(42, 74), asOf: big(74, 82) };
    case KIND.config: {
      const n = num(51, 52);
      const signers = Array.from({ length: n }, (_, i) => getAddress(at(52 + 20 * i, 72 + 20 * i)));
      let p = 52 + 20 * n;
      const nameLen = num(p, p + 1);
      const name = hexToString(at(p + 1, p + 1 + nameLen));
      p += 1 + nameLen;
      const symLen = num(p, p + 1);
      const symbol = hexToString(at(p + 1, p + 1 + symLen));
      exact(p + 1 + symLen, 'config');
      return { kind: 'config', did, nonce, threshold: num(42, 43), navDecimals: num(43, 44), tokenDecimals: num(44, 45), heartbeat: num(45, 49), maxNavMoveBps: num(49, 51), signers, name, symbol };
    }
    case KIND.allowlist: {
      const n = num(42, 44);
      exact(44 + 21 * n, 'allow-list');
      const entries = Array.from({ length: n }, (_, i) => ({ account: getAddress(at(44 + 21 * i, 64 + 21 * i)), allowed: num(64 + 21 * i, 65 + 21 * i) !== 0 }));
      return { kind: 'allowlist', did, nonce, entries };
    }
    case KIND.pause:
      exact(PAUSE_LENGTH, 'pause');
      return { kind: 'pause', did, nonce, paused: num(42, 43) !== 0 };
    case KIND.reserve: {
      const n = num(82, 83);
      exact(83 + 40 * n, 'reserve');
      const caps = Array.from({ length: n }, (_, i) => ({ chainId: big(83 + 40 * i, 91 + 40 * i), cap: big(91 + 40 * i, 107 + 40 * i), ceiling: big(107 + 40 * i, 123 + 40 * i) }));
      return { kind: 'reserve', did, nonce, reserve: big(42, 74), asOf: big(74, 82), caps };
    }
    case KIND.transportQuorum:
      return decodeQuorumBody(did, nonce, { exact, num, big });
    case KIND.moveVoid:
    case KIND.moveReturn:
      return decodeMoveEndBody(kind === KIND.moveVoid ? 'moveVoid' : 'moveReturn', did, nonce, { exact, at, big, address: (start, end) => getAddress(at(start, end)) });
    default: {
      const reader: FieldReader = {
        length: len,
        at,
        num,
        big,
        address: (start, end) => getAddress(at(start, end)),
        // viem refuses an empty slice at the very end of the bytes; an empty URI is valid.
        text: (start, end) => (start === end && end <= len ? '' : hexToString(at(start, end))),
        exact,
        fail: (reason) => {
          throw new MessageDecodeError(reason);
        },
      };
      const m = decodeRedemptionBody(kind, did, nonce, reader);
      if (!m) throw new MessageDecodeError(`unknown message kind ${kind}`);
      return m;
    }
  }
}

export const attestationId = (message: Hex): AttestationId => keccak256(message) as AttestationId;

/** The committee's EIP-712 message for a decoded attestation (primary type + message for viem's signTypedData). */
export function attestationTypedMessage(m: AttestationMessage) {
  if (m.kind === 'settlement') {
    return {
      primaryType: 'SettlementAttestation' as const,
      message: {
        did: m.did,
        nonce: m.nonce,
        settlementKind: SETTLEMENT_KIND[m.settlementKind],
        settlementRef: m.settlementRef,
        investor: m.investor,
        amount: m.amount,
        cashLegRef: m.cashLegRef,
        settledAt: m.settledAt,
        peerChainId: m.peerChainId,
      },
    };
  }
  if (m.kind === 'nav') {
    return { primaryType: 'NavAttestation' as const, message: { did: m.did, nonce: m.nonce, nav: m.nav, asOf: m.asOf } };
  }
  return { primaryType: 'AdminAttestation' as const, message: { did: m.did, nonce: m.nonce, kind: KIND[m.kind], body: encodeBody(m) } };
}
