import { concat, getAddress, hexToBigInt, recoverTypedDataAddress, size, sliceHex, type Address, type Hex } from 'viem';
import { attestationDomain, attestationTypes } from '../../../schemas/eip712.js';
import { attestationTypedMessage, type AttestationMessage } from '../../../schemas/message.js';
import type { Destination } from '../../../core/committee-port.js';

/** secp256k1 order / 2: RwaReceiver rejects any s above it (one valid signature per signer and digest). */
const HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

export type SignatureCheck = { ok: true; signer: Address } | { ok: false; reason: 'malformed' | 'high_s' | 'signer_mismatch' | 'not_in_signer_set' };

/**
 * Checks one signer's signature for one destination the way the receiver will: 65 bytes, low s, v 27/28, recovers
 * over this chain's domain to the signer it claims to be, and that signer is in the DID's set.
 */
export async function checkSignature(
  message: AttestationMessage,
  destination: Destination,
  signature: Hex,
  claimed: Address,
  signerSet: readonly Address[],
): Promise<SignatureCheck> {
  const typed = attestationTypedMessage(message);
  const data = { domain: attestationDomain(destination.chainId, destination.receiver), types: attestationTypes, primaryType: typed.primaryType, message: typed.message };
  return checkTypedSignature(data as Omit<Parameters<typeof recoverTypedDataAddress>[0], 'signature'>, signature, claimed, signerSet);
}

/** checkSignature over any EIP-712 typed data of the attestation domain (a message, or a batch root). */
export async function checkTypedSignature(
  data: Omit<Parameters<typeof recoverTypedDataAddress>[0], 'signature'>,
  signature: Hex,
  claimed: Address,
  signerSet: readonly Address[],
): Promise<SignatureCheck> {
  if (size(signature) !== 65) return { ok: false, reason: 'malformed' };
  const s = hexToBigInt(sliceHex(signature, 32, 64));
  const v = Number(hexToBigInt(sliceHex(signature, 64, 65)));
  if (v !== 27 && v !== 28) return { ok: false, reason: 'malformed' };
  if (s > HALF_ORDER) return { ok: false, reason: 'high_s' };
  let recovered: Address;
  try {
    recovered = await recoverTypedDataAddress({ ...data, signature } as Parameters<typeof recoverTypedDataAddress>[0]);
  } catch {
    // viem throws on an r/s that is not a curve point: the signature is simply not valid.
    return { ok: false, reason: 'malformed' };
  }
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
