import { concat, keccak256, numberToHex, size, sliceHex, hexToBigInt, hexToNumber, type Hex, getAddress } from 'viem';
import type { AttestationId, DidHash } from './ids.js';

/** Wire layout v1 of an attestation; byte table in contracts/src/libraries/AttestationCodec.sol. */
export const MESSAGE_VERSION = 1;
export const KIND = { settlement: 1, nav: 2 } as const;
export const SETTLEMENT_KIND = { subscription: 1, redemption: 2 } as const;
export type SettlementKindName = keyof typeof SETTLEMENT_KIND;
export const SETTLEMENT_LENGTH = 167;
export const NAV_LENGTH = 82;

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
}

export interface NavMessage {
  kind: 'nav';
  did: DidHash;
  nonce: bigint;
  nav: bigint;
  asOf: bigint;
}

export type AttestationMessage = SettlementMessage | NavMessage;

const u = (value: bigint | number, bytes: number): Hex => numberToHex(value, { size: bytes });

/** Encodes v1 bytes, lowercase hex (canonical: the attestation id is keccak256 of these bytes). */
export function encodeMessage(m: AttestationMessage): Hex {
  return encodeRaw(m).toLowerCase() as Hex;
}

function encodeRaw(m: AttestationMessage): Hex {
  const header = [u(MESSAGE_VERSION, 1), u(KIND[m.kind], 1), m.did, u(m.nonce, 8)];
  if (m.kind === 'settlement') {
    return concat([
      ...header,
      u(SETTLEMENT_KIND[m.settlementKind], 1),
      m.settlementRef,
      m.investor,
      u(m.amount, 32),
      m.cashLegRef,
      u(m.settledAt, 8),
    ]);
  }
  return concat([...header, u(m.nav, 32), u(m.asOf, 8)]);
}

export function decodeMessage(message: Hex): AttestationMessage {
  const len = size(message);
  const at = (start: number, end: number): Hex => sliceHex(message, start, end, { strict: true });
  if (len < 42) throw new Error(`message too short: ${len} bytes`);
  const version = hexToNumber(at(0, 1));
  if (version !== MESSAGE_VERSION) throw new Error(`unsupported message version ${version}`);
  const kind = hexToNumber(at(1, 2));
  const did = at(2, 34) as DidHash;
  const nonce = hexToBigInt(at(34, 42));
  if (kind === KIND.settlement) {
    if (len !== SETTLEMENT_LENGTH) throw new Error(`settlement message must be ${SETTLEMENT_LENGTH} bytes, got ${len}`);
    const sk = hexToNumber(at(42, 43));
    const settlementKind = sk === 1 ? 'subscription' : sk === 2 ? 'redemption' : undefined;
    if (!settlementKind) throw new Error(`unknown settlement kind ${sk}`);
    return {
      kind: 'settlement',
      did,
      nonce,
      settlementKind,
      settlementRef: at(43, 75),
      investor: getAddress(at(75, 95)),
      amount: hexToBigInt(at(95, 127)),
      cashLegRef: at(127, 159),
      settledAt: hexToBigInt(at(159, 167)),
    };
  }
  if (kind === KIND.nav) {
    if (len !== NAV_LENGTH) throw new Error(`NAV message must be ${NAV_LENGTH} bytes, got ${len}`);
    return { kind: 'nav', did, nonce, nav: hexToBigInt(at(42, 74)), asOf: hexToBigInt(at(74, 82)) };
  }
  throw new Error(`unknown message kind ${kind}`);
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
      },
    };
  }
  return { primaryType: 'NavAttestation' as const, message: { did: m.did, nonce: m.nonce, nav: m.nav, asOf: m.asOf } };
}
