import { describe, expect, it } from 'vitest';
import { createCipheriv, pbkdf2Sync, randomBytes, randomUUID, scryptSync } from 'node:crypto';
import { keccak256, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { decryptKeystore, KeystoreError } from './keystore.js';

/** Writes a v3 keystore the way geth does, with small KDF costs so the test stays fast. */
function encryptKeystore(key: Hex, password: string, kdf: 'scrypt' | 'pbkdf2') {
  const salt = randomBytes(32);
  const iv = randomBytes(16);
  const derived =
    kdf === 'scrypt' ? scryptSync(Buffer.from(password, 'utf8'), salt, 32, { N: 1024, r: 8, p: 1 }) : pbkdf2Sync(Buffer.from(password, 'utf8'), salt, 1024, 32, 'sha256');
  const cipher = createCipheriv('aes-128-ctr', derived.subarray(0, 16), iv);
  const ciphertext = Buffer.concat([cipher.update(Buffer.from(key.slice(2), 'hex')), cipher.final()]);
  const mac = keccak256(Buffer.concat([derived.subarray(16, 32), ciphertext])).slice(2);
  const kdfparams = kdf === 'scrypt' ? { dklen: 32, n: 1024, r: 8, p: 1, salt: salt.toString('hex') } : { c: 1024, dklen: 32, prf: 'hmac-sha256', salt: salt.toString('hex') };
  return {
    version: 3,
    id: randomUUID(),
    address: privateKeyToAccount(key).address.slice(2).toLowerCase(),
    crypto: { cipher: 'aes-128-ctr', cipherparams: { iv: iv.toString('hex') }, ciphertext: ciphertext.toString('hex'), kdf, kdfparams, mac },
  };
}

describe('Web3 Secret Storage v3 keystore', () => {
  const key = generatePrivateKey();

  it.each(['scrypt', 'pbkdf2'] as const)('decrypts a %s keystore with the right password', (kdf) => {
    expect(decryptKeystore(encryptKeystore(key, 'correct horse', kdf), 'correct horse')).toBe(key);
  });

  it.each(['scrypt', 'pbkdf2'] as const)('refuses a wrong password for a %s keystore with a clear error', (kdf) => {
    const ks = encryptKeystore(key, 'correct horse', kdf);
    expect(() => decryptKeystore(ks, 'battery staple')).toThrow(KeystoreError);
    expect(() => decryptKeystore(ks, 'battery staple')).toThrow('keystore MAC mismatch: wrong password or corrupted file');
  });

  it('decrypts the PBKDF2 test vector of the Web3 Secret Storage definition', () => {
    const vector = {
      crypto: {
        cipher: 'aes-128-ctr',
        cipherparams: { iv: '6087dab2f9fdbbfaddc31a909735c1e6' },
        ciphertext: '5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46',
        kdf: 'pbkdf2',
        kdfparams: { c: 262144, dklen: 32, prf: 'hmac-sha256', salt: 'ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd' },
        mac: '517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2',
      },
      id: '3198bc9c-6672-5ab3-d995-4942343ae5b6',
      version: 3,
    };
    expect(decryptKeystore(vector, 'testpassword')).toBe('0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d');
  });

  it('accepts the capitalised "Crypto" key some writers use', () => {
    const { crypto, ...rest } = encryptKeystore(key, 'pw', 'pbkdf2');
    expect(decryptKeystore({ ...rest, Crypto: crypto }, 'pw')).toBe(key);
  });

  it('accepts a password given in another Unicode normal form than it was encrypted with', () => {
    const nfkd = 'café'.normalize('NFKD');
    expect(decryptKeystore(encryptKeystore(key, nfkd, 'pbkdf2'), 'café'.normalize('NFC'))).toBe(key);
  });

  it('refuses a keystore whose key is not the address it names', () => {
    const ks = { ...encryptKeystore(key, 'pw', 'pbkdf2'), address: privateKeyToAccount(generatePrivateKey()).address.slice(2) };
    expect(() => decryptKeystore(ks, 'pw')).toThrow(/not to the file's address/);
  });

  it.each([
    ['another version', (k: ReturnType<typeof encryptKeystore>) => ({ ...k, version: 1 }), /keystore version/],
    ['another cipher', (k: ReturnType<typeof encryptKeystore>) => ({ ...k, crypto: { ...k.crypto, cipher: 'aes-128-cbc' } }), /keystore crypto.cipher/],
    ['another KDF', (k: ReturnType<typeof encryptKeystore>) => ({ ...k, crypto: { ...k.crypto, kdf: 'argon2' } }), /keystore crypto.kdf/],
    ['another PRF', (k: ReturnType<typeof encryptKeystore>) => ({ ...k, crypto: { ...k.crypto, kdfparams: { ...k.crypto.kdfparams, prf: 'hmac-sha512' } } }), /kdfparams.prf/],
    ['a truncated MAC', (k: ReturnType<typeof encryptKeystore>) => ({ ...k, crypto: { ...k.crypto, mac: k.crypto.mac.slice(2) } }), /keystore crypto.mac/],
    ['no crypto section', (k: ReturnType<typeof encryptKeystore>) => ({ version: k.version }), /keystore crypto is required/],
  ])('refuses %s with a KeystoreError naming it', (_name, mutate, message) => {
    const ks = mutate(encryptKeystore(key, 'pw', 'pbkdf2'));
    expect(() => decryptKeystore(ks, 'pw')).toThrow(KeystoreError);
    expect(() => decryptKeystore(ks, 'pw')).toThrow(message);
  });

  it('refuses a scrypt n that is not a power of two', () => {
    const k = encryptKeystore(key, 'pw', 'scrypt');
    expect(() => decryptKeystore({ ...k, crypto: { ...k.crypto, kdfparams: { ...k.crypto.kdfparams, n: 1000 } } }, 'pw')).toThrow(/power of two/);
  });
});
