import { concat, keccak256, size, sliceHex, hexToBigInt, hexToNumber, type Hex, getAddress, hexToString } from 'viem';
import type { AttestationId, DidHash } from './ids.js';
import { HEADER_LENGTH, KIND, kindByCode, kindOf, u, type AttestationMessage, type FieldReader, type TypedAttestation } from './kinds/index.js';

/**
 * Wire layout v1 of an attestation: header version (1) | kind (1) | did (32) | nonce (8), then the kind's body.
 * Byte tables: each module of schemas/kinds/ and contracts/src/libraries/AttestationCodec.sol. This file only
 * dispatches on the kind table (schemas/kinds/index.ts); the kinds' own types and constants are re-exported here.
 */
export const MESSAGE_VERSION = 1;
export { HEADER_LENGTH, KIND, ATTESTATION_KINDS, type AttestationMessage, type KindName } from './kinds/index.js';
export * from './kinds/settlement.js';
export * from './kinds/nav.js';
export * from './kinds/config.js';
export * from './kinds/allowlist.js';
export * from './kinds/pause.js';
export * from './kinds/reserve.js';
export * from './kinds/redemption-request.js';
export * from './kinds/redemption-stage.js';
export * from './kinds/redemption-policy.js';
export * from './kinds/redemption-fulfilment.js';
export * from './kinds/disclosure.js';
export * from './kinds/transport-quorum.js';
export * from './kinds/redemption-acceptance.js';
export * from './kinds/move.js';
export * from './kinds/brakes.js';

/** Encodes v1 bytes, lowercase hex (canonical: the attestation id is keccak256 of these bytes). */
export function encodeMessage(m: AttestationMessage): Hex {
  return concat([u(MESSAGE_VERSION, 1), u(KIND[m.kind], 1), m.did, u(m.nonce, 8), encodeBody(m)]).toLowerCase() as Hex;
}

/** The bytes after the header: what `AdminAttestation.body` signs for every kind but settlement and NAV. */
export const encodeBody = (m: AttestationMessage): Hex => kindOf(m).encodeBody(m);

export class MessageDecodeError extends Error {
  override readonly name = 'MessageDecodeError';
}

export function decodeMessage(message: Hex): AttestationMessage {
  const len = size(message);
  const at = (start: number, end: number): Hex => {
    if (end > len) throw new MessageDecodeError(`message truncated: needs ${end} bytes, has ${len}`);
    return sliceHex(message, start, end, { strict: true });
  };
  const reader: FieldReader = {
    length: len,
    at,
    num: (start, end) => hexToNumber(at(start, end)),
    big: (start, end) => hexToBigInt(at(start, end)),
    address: (start, end) => getAddress(at(start, end)),
    // viem refuses an empty slice at the very end of the bytes; an empty URI is valid.
    text: (start, end) => (start === end && end <= len ? '' : hexToString(at(start, end))),
    exact: (expected, what) => {
      if (len !== expected) throw new MessageDecodeError(`${what} message must be ${expected} bytes, got ${len}`);
    },
    fail: (reason) => {
      throw new MessageDecodeError(reason);
    },
  };
  if (len < HEADER_LENGTH) throw new MessageDecodeError(`message too short: ${len} bytes`);
  const version = reader.num(0, 1);
  if (version !== MESSAGE_VERSION) throw new MessageDecodeError(`unsupported message version ${version}`);
  const code = reader.num(1, 2);
  const spec = kindByCode(code);
  if (!spec) throw new MessageDecodeError(`unknown message kind ${code}`);
  return spec.decodeBody({ did: at(2, 34) as DidHash, nonce: reader.big(34, 42) }, reader);
}

export const attestationId = (message: Hex): AttestationId => keccak256(message) as AttestationId;

/** The committee's EIP-712 message for a decoded attestation (primary type + message for viem's signTypedData). */
export function attestationTypedMessage(m: AttestationMessage): TypedAttestation {
  const spec = kindOf(m);
  return spec.typed ? spec.typed(m) : { primaryType: 'AdminAttestation', message: { did: m.did, nonce: m.nonce, kind: spec.code, body: spec.encodeBody(m) } };
}
