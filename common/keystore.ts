import { createDecipheriv, pbkdf2Sync, scryptSync, timingSafeEqual } from 'node:crypto';
import { bytesToHex, keccak256, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { parserFor } from '../schemas/validate.js';
import { RwaError } from './errors.js';

/**
 * Web3 Secret Storage v3 (the JSON keystore geth, clef, ethers and foundry's `cast wallet` write):
 * derived key = scrypt or PBKDF2-HMAC-SHA256(password, salt); MAC = keccak256(derived[16..32] ++ ciphertext);
 * private key = AES-128-CTR(derived[0..16], iv) over the ciphertext.
 * Spec: https://ethereum.org/developers/docs/data-structures-and-encoding/web3-secret-storage
 */
export class KeystoreError extends RwaError<'keystore'> {
  override readonly name = 'KeystoreError';
  /** A wrong password or a broken file does not fix itself: never retryable. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { code: 'keystore', retryable: false, cause: options?.cause });
  }
}

const hex = (bytes?: number) => ({ type: 'string', pattern: bytes ? `^(0x)?[0-9a-fA-F]{${bytes * 2}}$` : '^(0x)?([0-9a-fA-F]{2})+$' }) as const;

const keystoreSchema = {
  type: 'object',
  required: ['version', 'crypto'],
  properties: {
    version: { const: 3 },
    address: hex(20),
    crypto: {
      type: 'object',
      required: ['cipher', 'cipherparams', 'ciphertext', 'kdf', 'kdfparams', 'mac'],
      properties: {
        cipher: { const: 'aes-128-ctr' },
        cipherparams: { type: 'object', required: ['iv'], properties: { iv: hex(16) } },
        ciphertext: hex(32),
        kdf: { enum: ['scrypt', 'pbkdf2'] },
        kdfparams: { type: 'object' },
        mac: hex(32),
      },
    },
  },
} as const;

const scryptSchema = {
  type: 'object',
  required: ['dklen', 'n', 'r', 'p', 'salt'],
  properties: {
    dklen: { const: 32 },
    n: { type: 'integer', minimum: 2, maximum: 1048576 },
    r: { type: 'integer', minimum: 1, maximum: 32 },
    p: { type: 'integer', minimum: 1, maximum: 16 },
    salt: hex(),
  },
} as const;

const pbkdf2Schema = {
  type: 'object',
  required: ['c', 'dklen', 'prf', 'salt'],
  properties: {
    c: { type: 'integer', minimum: 1, maximum: 100000000 },
    dklen: { const: 32 },
    prf: { const: 'hmac-sha256' },
    salt: hex(),
  },
} as const;

interface Keystore {
  version: 3;
  address?: string;
  crypto: { cipher: 'aes-128-ctr'; cipherparams: { iv: string }; ciphertext: string; kdf: 'scrypt' | 'pbkdf2'; kdfparams: object; mac: string };
}
interface ScryptParams {
  dklen: 32;
  n: number;
  r: number;
  p: number;
  salt: string;
}
interface Pbkdf2Params {
  c: number;
  dklen: 32;
  prf: 'hmac-sha256';
  salt: string;
}

const parseKeystore = parserFor<Keystore>(keystoreSchema);
const parseScrypt = parserFor<ScryptParams>(scryptSchema);
const parsePbkdf2 = parserFor<Pbkdf2Params>(pbkdf2Schema);

const bytes = (h: string) => Buffer.from(h.replace(/^0x/, ''), 'hex');

function deriveKey(ks: Keystore, password: string): Buffer {
  const pw = Buffer.from(password, 'utf8');
  if (ks.crypto.kdf === 'scrypt') {
    const p = parseScrypt(ks.crypto.kdfparams);
    if (!p.ok) throw new KeystoreError(`keystore crypto.kdfparams.${p.issue.field} ${p.issue.message}`);
    const { n, r, p: par, salt, dklen } = p.value;
    if ((n & (n - 1)) !== 0) throw new KeystoreError('keystore scrypt n must be a power of two');
    // scrypt needs 128 * N * r * p bytes; node refuses above maxmem, so allow exactly that plus slack.
    return scryptSync(pw, bytes(salt), dklen, { N: n, r, p: par, maxmem: 128 * n * r * par + 16 * 1024 * 1024 });
  }
  const p = parsePbkdf2(ks.crypto.kdfparams);
  if (!p.ok) throw new KeystoreError(`keystore crypto.kdfparams.${p.issue.field} ${p.issue.message}`);
  return pbkdf2Sync(pw, bytes(p.value.salt), p.value.c, p.value.dklen, 'sha256');
}

function macMatches(derived: Buffer, ciphertext: Buffer, mac: Buffer): boolean {
  const computed = bytes(keccak256(Buffer.concat([derived.subarray(16, 32), ciphertext])));
  return computed.length === mac.length && timingSafeEqual(computed, mac);
}

/**
 * Decrypts a v3 keystore (parsed JSON) with its password and returns the private key. Throws KeystoreError on a
 * malformed file, unsupported cipher/KDF, a wrong password (MAC mismatch), or a key that is not the file's address.
 */
export function decryptKeystore(json: unknown, password: string): Hex {
  // Some writers (old geth, MyEtherWallet) capitalise the "Crypto" key.
  const input = typeof json === 'object' && json !== null && !('crypto' in json) && 'Crypto' in json ? { ...json, crypto: (json as { Crypto: unknown }).Crypto } : json;
  const parsed = parseKeystore(input);
  if (!parsed.ok) throw new KeystoreError(`keystore ${parsed.issue.field} ${parsed.issue.message}`);
  const ks = parsed.value;
  const ciphertext = bytes(ks.crypto.ciphertext);
  const mac = bytes(ks.crypto.mac);
  let derived = deriveKey(ks, password);
  // geth hashes the password's UTF-8 bytes as given, ethers normalises to NFKD first; accept either.
  if (!macMatches(derived, ciphertext, mac) && password.normalize('NFKD') !== password) derived = deriveKey(ks, password.normalize('NFKD'));
  if (!macMatches(derived, ciphertext, mac)) throw new KeystoreError('keystore MAC mismatch: wrong password or corrupted file');
  const decipher = createDecipheriv('aes-128-ctr', derived.subarray(0, 16), bytes(ks.crypto.cipherparams.iv));
  const key = bytesToHex(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
  const address = privateKeyToAccount(key).address;
  if (ks.address && address.toLowerCase() !== `0x${ks.address.replace(/^0x/, '').toLowerCase()}`) {
    throw new KeystoreError(`keystore key belongs to ${address}, not to the file's address 0x${ks.address.replace(/^0x/, '')}`);
  }
  return key;
}
