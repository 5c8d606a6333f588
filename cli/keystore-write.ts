import { createCipheriv, randomBytes, randomUUID, scryptSync } from 'node:crypto';
import { keccak256, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

/** scrypt cost geth and ethers write by default (N = 2^18, r = 8, p = 1: 256 MiB, about a second). */
export const DEFAULT_SCRYPT_N = 262_144;

/**
 * Encrypts a private key as a Web3 Secret Storage v3 keystore (scrypt, AES-128-CTR, keccak256 MAC): the format
 * common/keystore.ts decrypts and geth, ethers and `cast wallet` read.
 */
export function encryptKeystore(key: Hex, password: string, opts: { scryptN?: number } = {}): object {
  const n = opts.scryptN ?? DEFAULT_SCRYPT_N;
  const r = 8;
  const p = 1;
  const salt = randomBytes(32);
  const iv = randomBytes(16);
  const derived = scryptSync(Buffer.from(password.normalize('NFKD'), 'utf8'), salt, 32, { N: n, r, p, maxmem: 128 * n * r * p + 16 * 1024 * 1024 });
  const cipher = createCipheriv('aes-128-ctr', derived.subarray(0, 16), iv);
  const ciphertext = Buffer.concat([cipher.update(Buffer.from(key.slice(2), 'hex')), cipher.final()]);
  const mac = keccak256(Buffer.concat([derived.subarray(16, 32), ciphertext])).slice(2);
  return {
    version: 3,
    id: randomUUID(),
    address: privateKeyToAccount(key).address.slice(2).toLowerCase(),
    crypto: {
      cipher: 'aes-128-ctr',
      cipherparams: { iv: iv.toString('hex') },
      ciphertext: ciphertext.toString('hex'),
      kdf: 'scrypt',
      kdfparams: { dklen: 32, n, r, p, salt: salt.toString('hex') },
      mac,
    },
  };
}
