import { deserializeLayout, serializeLayout, toChain, type Layout } from '@wormhole-foundation/sdk-base';
import { createVAA, deserialize, keccak256 as sdkKeccak256, serialize, Signature, SignatureUtils, UniversalAddress, type VAA } from '@wormhole-foundation/sdk-definitions';
import { bytesToHex, concat, decodeAbiParameters, encodeAbiParameters, getAddress, hexToBigInt, hexToBytes, hexToNumber, isAddressEqual, numberToHex, parseAbiParameters, size, slice, type Address, type Hex } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import type { WormholeChainId } from '../../../schemas/ids.js';
import { RwaError } from '../../../common/errors.js';

/**
 * Wormhole VAAs v1 for the local Wormhole transport: build the body of what RwaWormholeEmitter published, sign it as
 * the guardian set the destination adapter holds, serialise. Every VAA byte goes through the Wormhole SDK's own
 * layouts (createVAA / serialize / deserialize, its keccak256 and secp256k1 signing); only our payload inside the
 * body has a layout of ours, declared with the SDK's layout DSL. Pure: nothing here touches a chain.
 */

/** Every error of this module says whether trying again can help (the relayer's retry vs dead-letter decision). */
export class WormholeVaaError extends RwaError<'wormhole_vaa'> {
  override readonly name = 'WormholeVaaError';
  constructor(message: string, retryable: boolean, options?: { cause?: unknown }) {
    super(message, { code: 'wormhole_vaa', retryable, cause: options?.cause });
  }
}

/** An unsigned or signed VAA whose payload is raw bytes (our attestation payload). */
export type RawVaa = VAA<'Uint8Array'>;

/** Wormhole's quorum for a guardian set of `n`: more than two thirds (core contract, Messages.sol). */
export const quorum = (n: number): number => Math.floor((n * 2) / 3) + 1;

// ---------------------------------------------------------------------------------------------------------------
// Our payload (WormholeVaa.sol, "Payload v1")
// ---------------------------------------------------------------------------------------------------------------

const attestationPayloadLayout = [
  { name: 'version', binary: 'uint', size: 1, custom: 1, omit: true },
  { name: 'destinationChainId', binary: 'uint', size: 8 },
  { name: 'message', binary: 'bytes', lengthSize: 4 },
  { name: 'signatures', binary: 'bytes' },
] as const satisfies Layout;

export interface AttestationPayload {
  /** EVM chain id of the RwaReceiver the attestation is for. */
  destinationChainId: bigint;
  /** AttestationCodec v1 bytes. */
  message: Hex;
  /** The oracle committee's quorum signatures for that chain's RwaReceiver. */
  signatures: Hex;
}

export function encodeAttestationPayload(p: AttestationPayload): Hex {
  return bytesToHex(serializeLayout(attestationPayloadLayout, { destinationChainId: p.destinationChainId, message: hexToBytes(p.message), signatures: hexToBytes(p.signatures) }));
}

export function decodeAttestationPayload(payload: Hex | Uint8Array): AttestationPayload {
  try {
    const d = deserializeLayout(attestationPayloadLayout, typeof payload === 'string' ? hexToBytes(payload) : payload);
    return { destinationChainId: d.destinationChainId, message: bytesToHex(d.message), signatures: bytesToHex(d.signatures) };
  } catch (err) {
    throw new WormholeVaaError('not an attestation payload v1', false, { cause: err });
  }
}

/** Payload v2 (RwaWormholeEmitter.publishAttestations): version 2, destination, abi.encode(bytes[], bytes[]). */
export const BATCH_PAYLOAD_VERSION = 2;

export function encodeBatchPayload(destinationChainId: bigint, messages: readonly Hex[], signatures: readonly Hex[]): Hex {
  return concat([numberToHex(BATCH_PAYLOAD_VERSION, { size: 1 }), numberToHex(destinationChainId, { size: 8 }), encodeAbiParameters(parseAbiParameters('bytes[], bytes[]'), [messages, signatures])]);
}

export function decodeBatchPayload(payload: Hex): { destinationChainId: bigint; messages: readonly Hex[]; signatures: readonly Hex[] } {
  try {
    if (hexToNumber(slice(payload, 0, 1)) !== BATCH_PAYLOAD_VERSION) throw new Error(`version ${slice(payload, 0, 1)}`);
    const [messages, signatures] = decodeAbiParameters(parseAbiParameters('bytes[], bytes[]'), slice(payload, 9));
    return { destinationChainId: hexToBigInt(slice(payload, 1, 9)), messages, signatures };
  } catch (err) {
    throw new WormholeVaaError('not an attestation batch payload v2', false, { cause: err });
  }
}

/** The destination chain a payload of either version names (v1 single, v2 batch). */
export function payloadDestination(payload: Hex): bigint {
  if (size(payload) >= 1 && hexToNumber(slice(payload, 0, 1)) === BATCH_PAYLOAD_VERSION) return decodeBatchPayload(payload).destinationChainId;
  return decodeAttestationPayload(payload).destinationChainId;
}

// ---------------------------------------------------------------------------------------------------------------
// Body, digest, signatures
// ---------------------------------------------------------------------------------------------------------------

/** What the guardians observe of one LogMessagePublished, plus the time of its block. */
export interface Observation {
  emitterChainId: WormholeChainId;
  /** The emitting contract (RwaWormholeEmitter): an EVM address, left-padded to 32 bytes in the VAA. */
  emitter: Address;
  sequence: bigint;
  nonce: number;
  consistencyLevel: number;
  /** Unix seconds of the block the message was published in. */
  timestamp: number;
  payload: Hex;
}

/** The unsigned VAA of an observation, for guardian set `guardianSet`. */
export function buildVaa(o: Observation, guardianSet: number): RawVaa {
  let emitterChain;
  try {
    emitterChain = toChain(o.emitterChainId);
  } catch (err) {
    throw new WormholeVaaError(`emitter chain ${o.emitterChainId} is not in the Wormhole SDK's chain table`, false, { cause: err });
  }
  return createVAA('Uint8Array', {
    guardianSet,
    signatures: [],
    timestamp: o.timestamp,
    nonce: o.nonce,
    emitterChain,
    emitterAddress: new UniversalAddress(getAddress(o.emitter), 'hex'),
    sequence: o.sequence,
    consistencyLevel: o.consistencyLevel,
    payload: hexToBytes(o.payload),
  });
}

/**
 * What the guardians sign and what names the VAA on chain (RwaWormholeReceiver's vaaHash): keccak256 of the SDK's
 * `hash`, which is keccak256(body).
 */
export function vaaDigest(vaa: Pick<RawVaa, 'hash'>): Hex {
  return bytesToHex(sdkKeccak256(vaa.hash));
}

/** A guardian's key and its index in the set the destination holds. */
export interface GuardianSigner {
  index: number;
  key: Hex;
}

/**
 * Matches local guardian keys to the destination's guardian set (its keys by index, as RwaWormholeReceiver
 * reports them). A key absent from the set is a configuration error, as is having fewer than quorum of them.
 */
/** A key's address never changes: derived once per key (a curve multiplication), not once per VAA. */
const addressOfKey = new Map<Hex, Address>();
const guardianAddress = (key: Hex): Address => {
  let address = addressOfKey.get(key);
  if (!address) addressOfKey.set(key, (address = privateKeyToAddress(key)));
  return address;
};

export function guardianSignersFor(keys: readonly Hex[], setKeys: readonly Address[]): GuardianSigner[] {
  const signers = keys.map((key) => {
    const address = guardianAddress(key);
    const index = setKeys.findIndex((k) => isAddressEqual(k, address));
    if (index < 0) throw new WormholeVaaError(`guardian key for ${address} is not in the destination's guardian set`, false);
    return { index, key };
  });
  const needed = quorum(setKeys.length);
  const distinct = new Set(signers.map((s) => s.index)).size;
  if (distinct < needed) throw new WormholeVaaError(`${distinct} local guardian keys, the set of ${setKeys.length} needs ${needed}`, false);
  return signers;
}

/**
 * Signs `vaa` with exactly quorum-many guardians (the lowest indices among `signers`), in strictly increasing
 * guardian index as the verifier requires; recovery id 0/1 and low s, as the SDK's secp256k1 signs.
 */
export function signVaa(vaa: RawVaa, signers: readonly GuardianSigner[], setSize: number): RawVaa {
  const needed = quorum(setSize);
  const chosen = [...new Map(signers.map((s) => [s.index, s])).values()].sort((a, b) => a.index - b.index).slice(0, needed);
  if (chosen.length < needed) throw new WormholeVaaError(`${chosen.length} guardian signatures, quorum of ${setSize} is ${needed}`, false);
  const digest = sdkKeccak256(vaa.hash);
  const signatures = chosen.map(({ index, key }) => {
    const sig = SignatureUtils.sign(key.slice(2), digest);
    return { guardianIndex: index, signature: new Signature(sig.r, sig.s, sig.recovery) };
  });
  return { ...vaa, signatures };
}

export function serializeVaa(vaa: RawVaa): Hex {
  return bytesToHex(serialize(vaa));
}

export function deserializeVaa(bytes: Hex): RawVaa {
  try {
    return deserialize('Uint8Array', hexToBytes(bytes));
  } catch (err) {
    throw new WormholeVaaError('not a VAA v1', false, { cause: err });
  }
}
