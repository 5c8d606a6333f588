import { createRequire } from 'node:module';
import { getAddress, recoverAddress as jsRecoverAddress, type Address, type Hex, type HashTypedDataParameters, type TypedData } from 'viem';
import { sign as jsSign, type PrivateKeyAccount, type LocalAccount } from 'viem/accounts';
import { keccak256Hex } from './keccak.js';
import { fastHashTypedData } from './typed-data-hash.js';

/**
 * secp256k1 recovery and signing over a 32-byte digest, in libsecp256k1 (the npm `secp256k1` package's native
 * addon, shipped prebuilt) when it loads, else in JavaScript (viem / noble). Node's own crypto cannot serve here: its
 * ECDSA always hashes the input itself (SHA-2/SHA-3, no Keccak-256 in OpenSSL 3.0), and EIP-712 signs a Keccak digest.
 *
 * The native path answers exactly as viem's `recoverAddress` does: it only takes the canonical form (65 bytes of
 * lower- or upper-case hex, v in {0, 1, 27, 28}, 0 < r, s < n) and hands everything else, and anything libsecp256k1
 * fails on, to viem, so it never accepts what viem refuses nor refuses what viem accepts (core/ecdsa.test.ts checks
 * this on fixed vectors and random inputs). Neither path checks low s: callers that need it check it themselves
 * (oracle/issue/committee/quorum.ts), as before. Signing is RFC 6979 with low s in both, byte for byte the same.
 */

interface NativeSecp256k1 {
  ecdsaRecover(sig: Uint8Array, recid: number, msg32: Uint8Array, compressed?: boolean): Uint8Array;
  ecdsaSign(msg32: Uint8Array, privateKey: Uint8Array): { signature: Uint8Array; recid: number };
}

export type EcdsaBackend = 'libsecp256k1' | 'javascript';

/** One way to recover and sign; `native` and `javascript` are both exported so tests hold one against the other. */
export interface Ecdsa {
  backend: EcdsaBackend;
  /** The address whose key signed `digest` (a 32-byte hash); throws when the signature recovers no key. */
  recoverAddress(digest: Hex, signature: Hex): Promise<Address>;
  /** A 65-byte r || s || v signature (v 27/28, low s, RFC 6979) of `digest` by `privateKey`. */
  signDigest(digest: Hex, privateKey: Hex): Promise<Hex>;
}

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const CANONICAL = /^0x[0-9a-fA-F]{130}$/;
const DIGEST = /^0x[0-9a-fA-F]{64}$/;

const bytes = (hex: string) => Buffer.from(hex.slice(2), 'hex');

export const javascriptEcdsa: Ecdsa = {
  backend: 'javascript',
  recoverAddress: (digest, signature) => jsRecoverAddress({ hash: digest, signature }),
  signDigest: (digest, privateKey) => jsSign({ hash: digest, privateKey, to: 'hex' }),
};

/** Checksummed addresses by lower-case form: the checksum is a second Keccak per recovery, worth remembering. */
const checksummed = new Map<string, Address>();
const CHECKSUM_CACHE_MAX = 4096;

function toAddress(publicKey: Uint8Array): Address {
  const lower = `0x${keccak256Hex(publicKey.subarray(1)).slice(26)}`;
  let a = checksummed.get(lower);
  if (!a) {
    if (checksummed.size >= CHECKSUM_CACHE_MAX) checksummed.clear();
    a = getAddress(lower);
    checksummed.set(lower, a);
  }
  return a;
}

function nativeEcdsaOf(lib: NativeSecp256k1): Ecdsa {
  return {
    backend: 'libsecp256k1',
    async recoverAddress(digest, signature) {
      if (typeof signature !== 'string' || typeof digest !== 'string' || !CANONICAL.test(signature) || !DIGEST.test(digest)) return javascriptEcdsa.recoverAddress(digest, signature);
      const v = parseInt(signature.slice(130), 16);
      const r = BigInt(`0x${signature.slice(2, 66)}`);
      const s = BigInt(`0x${signature.slice(66, 130)}`);
      if (![0, 1, 27, 28].includes(v) || r === 0n || s === 0n || r >= N || s >= N) return javascriptEcdsa.recoverAddress(digest, signature);
      let publicKey: Uint8Array;
      try {
        publicKey = lib.ecdsaRecover(bytes(signature).subarray(0, 64), v >= 27 ? v - 27 : v, bytes(digest), false);
      } catch {
        // No key for this (r, recovery bit): viem gives its own error for it (or, were they ever to differ, its answer).
        return javascriptEcdsa.recoverAddress(digest, signature);
      }
      return toAddress(publicKey);
    },
    async signDigest(digest, privateKey) {
      if (!DIGEST.test(digest) || !DIGEST.test(privateKey)) return javascriptEcdsa.signDigest(digest, privateKey);
      const { signature, recid } = lib.ecdsaSign(bytes(digest), bytes(privateKey));
      return `0x${Buffer.from(signature).toString('hex')}${recid === 0 ? '1b' : '1c'}`;
    },
  };
}

function loadNative(): { ecdsa?: Ecdsa; error?: string } {
  try {
    // The addon itself, not the package's index (which would fall back to a JavaScript `elliptic` silently).
    return { ecdsa: nativeEcdsaOf(createRequire(import.meta.url)('secp256k1/bindings') as NativeSecp256k1) };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

const loaded = loadNative();

/** libsecp256k1, or undefined where its addon does not load here (`nativeLoadError` says why). */
export const nativeEcdsa: Ecdsa | undefined = loaded.ecdsa;
export const nativeLoadError: string | undefined = loaded.error;

/** What the services use: libsecp256k1 where it loads, else JavaScript (services log which at boot). */
export const ecdsa: Ecdsa = nativeEcdsa ?? javascriptEcdsa;

/**
 * The signer of EIP-712 typed data (viem's `recoverTypedDataAddress`, through `ecdsa`; the digest is
 * core/typed-data-hash.ts's, viem's byte for byte). Async on purpose: typed data that cannot be hashed rejects the
 * promise, as viem's does, rather than throwing before the caller's try.
 */
export async function recoverTypedDataSigner<const T extends TypedData | Record<string, unknown>, P extends keyof T | 'EIP712Domain'>(
  data: HashTypedDataParameters<T, P>,
  signature: Hex,
  using: Ecdsa = ecdsa,
): Promise<Address> {
  return using.recoverAddress(fastHashTypedData(data), signature);
}

/**
 * A viem account for a private key whose digest and typed-data signatures go through `ecdsa` (same bytes as
 * `privateKeyToAccount`'s, faster with libsecp256k1); everything else is privateKeyToAccount's own.
 */
export function fastAccount(base: PrivateKeyAccount, privateKey: Hex, using: Ecdsa = ecdsa): LocalAccount {
  return {
    ...base,
    sign: ({ hash }) => using.signDigest(hash, privateKey),
    signTypedData: (data) => using.signDigest(fastHashTypedData(data as HashTypedDataParameters), privateKey),
  };
}
