import { concat, getAddress, hexToBigInt, size, sliceHex, type Address, type HashTypedDataParameters, type Hex } from 'viem';
import { attestationDomain, attestationTypes } from '../../../schemas/eip712.js';
import { attestationTypedMessage, type AttestationMessage } from '../../../schemas/message.js';
import type { Destination } from '../../../core/committee-port.js';
import { ecdsa } from '../../../core/ecdsa.js';
import { fastHashTypedData } from '../../../core/typed-data-hash.js';

/** secp256k1 order / 2: RwaReceiver rejects any s above it (one valid signature per signer and digest). */
const HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

export type SignatureCheck = { ok: true; signer: Address } | { ok: false; reason: 'malformed' | 'high_s' | 'signer_mismatch' | 'not_in_signer_set' };

/**
 * EIP-712 digests of a message per destination, kept with the message object: in a round every signer's signature
 * for one message and chain is checked against the same digest, hashed once (the message objects are the round's).
 */
const digests = new WeakMap<AttestationMessage, Map<string, Hex>>();

/** The attestation digest of `message` in `destination`'s domain (chain id and receiver), what RwaReceiver recovers. */
export function attestationDigest(message: AttestationMessage, destination: Destination): Hex {
  let perChain = digests.get(message);
  if (!perChain) digests.set(message, (perChain = new Map()));
  const key = `${destination.chainId}:${destination.receiver.toLowerCase()}`;
  let digest = perChain.get(key);
  if (!digest) {
    const typed = attestationTypedMessage(message);
    digest = fastHashTypedData({ domain: attestationDomain(destination.chainId, destination.receiver), types: attestationTypes, primaryType: typed.primaryType, message: typed.message } as HashTypedDataParameters);
    perChain.set(key, digest);
  }
  return digest;
}

/**
 * Checks one signer's signature for one destination the way the receiver will: 65 bytes, low s, v 27/28, recovers
 * over this chain's domain to the signer it claims to be, and that signer is in the DID's set.
 */
export function checkSignature(
  message: AttestationMessage,
  destination: Destination,
  signature: Hex,
  claimed: Address,
  signerSet: readonly Address[],
): Promise<SignatureCheck> {
  return checkDigestSignature(attestationDigest(message, destination), signature, claimed, signerSet);
}

/** checkSignature over any EIP-712 typed data of the attestation domain (a message, or a batch root). */
export async function checkTypedSignature(data: HashTypedDataParameters, signature: Hex, claimed: Address, signerSet: readonly Address[]): Promise<SignatureCheck> {
  return checkDigestSignature(fastHashTypedData(data), signature, claimed, signerSet);
}

/** checkSignature over an EIP-712 digest already computed. */
export async function checkDigestSignature(digest: Hex, signature: Hex, claimed: Address, signerSet: readonly Address[]): Promise<SignatureCheck> {
  if (size(signature) !== 65) return { ok: false, reason: 'malformed' };
  const s = hexToBigInt(sliceHex(signature, 32, 64));
  const v = Number(hexToBigInt(sliceHex(signature, 64, 65)));
  if (v !== 27 && v !== 28) return { ok: false, reason: 'malformed' };
  if (s > HALF_ORDER) return { ok: false, reason: 'high_s' };
  let recovered: Address;
  try {
    recovered = await ecdsa.recoverAddress(digest, signature);
  } catch {
    // An r/s that is not a curve point: the signature is simply not valid.
    return { ok: false, reason: 'malformed' };
  }
  return inSet(recovered, claimed, signerSet);
}

/** The rest of a check once the signature recovered: it is the claimed signer's, and that signer is in `signerSet`. */
export function inSet(recovered: Address, claimed: Address, signerSet: readonly Address[]): SignatureCheck {
  if (recovered.toLowerCase() !== claimed.toLowerCase()) return { ok: false, reason: 'signer_mismatch' };
  if (!signerSet.some((a) => a.toLowerCase() === recovered.toLowerCase())) return { ok: false, reason: 'not_in_signer_set' };
  return { ok: true, signer: getAddress(recovered) };
}

/**
 * Packs exactly `threshold` signatures by strictly increasing signer address (duplicates of a signer count once),
 * or returns undefined when there are fewer distinct signers than that.
 */
export function packQuorum(collected: readonly { signer: Address; signature: Hex }[], threshold: number): Hex | undefined {
  const bySigner = new Map<bigint, Hex>();
  for (const c of collected) if (!bySigner.has(BigInt(c.signer))) bySigner.set(BigInt(c.signer), c.signature);
  if (threshold < 1 || bySigner.size < threshold) return undefined;
  const ordered = [...bySigner.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, threshold);
  return concat(ordered.map(([, sig]) => sig));
}
