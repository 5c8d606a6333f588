import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hashTypedData, keccak256, numberToHex, recoverTypedDataAddress, stringToBytes, type Address, type Hex } from 'viem';
import { privateKeyToAccount, sign } from 'viem/accounts';
import { ecdsa, fastAccount, javascriptEcdsa, nativeEcdsa, nativeLoadError, recoverTypedDataSigner, type Ecdsa } from './ecdsa.js';

// anvil's first dev account: a key whose address everyone knows.
const KEY: Hex = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const ADDRESS: Address = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const OTHER_KEY: Hex = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const digest = (s: string) => keccak256(stringToBytes(s));
const hex32 = (x: bigint) => numberToHex(x, { size: 32 }).slice(2);

/** What a backend answers: the address, or that it refused. */
const outcome = (e: Ecdsa, d: Hex, sig: Hex) => e.recoverAddress(d, sig).then((a) => a, () => 'refused');

const typed = {
  domain: { name: 'RWA Settlement Oracle', version: '1', chainId: 31337n, verifyingContract: '0x5FbDB2315678afecb367f032d93F642f64180aa3' as Address },
  types: { NavAttestation: [{ name: 'did', type: 'bytes32' }, { name: 'nonce', type: 'uint64' }, { name: 'nav', type: 'uint256' }] },
  primaryType: 'NavAttestation' as const,
  message: { did: digest('did:rwa:test'), nonce: 7n, nav: 100_000_000n },
};

const native = nativeEcdsa!;

describe('secp256k1 over a digest (core/ecdsa.ts)', () => {
  it('loads libsecp256k1 here and the services use it', () => {
    expect(nativeLoadError).toBeUndefined();
    expect(native.backend).toBe('libsecp256k1');
    expect(ecdsa).toBe(native);
  });

  it('signs byte for byte as viem does (RFC 6979, low s, v 27/28) and recovers the known address', async () => {
    const d = digest('known vector');
    const sig = await native.signDigest(d, KEY);
    expect(sig).toBe(await sign({ hash: d, privateKey: KEY, to: 'hex' }));
    expect(BigInt(`0x${sig.slice(66, 130)}`) <= N / 2n).toBe(true);
    expect(['1b', '1c']).toContain(sig.slice(130));
    expect(await native.recoverAddress(d, sig)).toBe(ADDRESS);
    expect(await javascriptEcdsa.recoverAddress(d, sig)).toBe(ADDRESS);
  });

  it('a typed-data signature of fastAccount equals privateKeyToAccount\'s and recovers to it', async () => {
    const base = privateKeyToAccount(KEY);
    const fast = fastAccount(base, KEY);
    const sig = await fast.signTypedData(typed);
    expect(sig).toBe(await base.signTypedData(typed));
    expect(await recoverTypedDataSigner(typed, sig)).toBe(ADDRESS);
    expect(await recoverTypedDataAddress({ ...typed, signature: sig })).toBe(ADDRESS);
    expect(fast.address).toBe(ADDRESS);
  });

  it('another key\'s signature, or another digest, never recovers the key\'s address', async () => {
    const d = digest('wrong key');
    const other = await native.signDigest(d, OTHER_KEY);
    expect(await native.recoverAddress(d, other)).toBe(privateKeyToAccount(OTHER_KEY).address);
    expect(await native.recoverAddress(d, other)).not.toBe(ADDRESS);
    const mine = await native.signDigest(d, KEY);
    const elsewhere = await native.recoverAddress(digest('another digest'), mine);
    expect(elsewhere).not.toBe(ADDRESS);
    expect(elsewhere).toBe(await javascriptEcdsa.recoverAddress(digest('another digest'), mine));
  });

  it('answers as viem for the high-s twin, v 0/1 and every malformed form', async () => {
    const d = digest('malformed');
    const sig = await native.signDigest(d, KEY);
    const r = sig.slice(2, 66);
    const s = BigInt(`0x${sig.slice(66, 130)}`);
    const v = sig.slice(130);
    const flipped = v === '1b' ? '1c' : '1b';
    const cases: Hex[] = [
      `0x${r}${hex32(N - s)}${flipped}`, // the high-s twin: same key for both (low s is the callers' rule)
      `0x${r}${hex32(s)}${v === '1b' ? '00' : '01'}`,
      `0x${r}${hex32(s)}${flipped}`,
      `0x${r}${hex32(s)}1d`,
      `0x${r}${hex32(s)}02`,
      `0x${r}${hex32(s)}`,
      `0x${r}${hex32(s)}${v}00`,
      `0x${'00'.repeat(32)}${hex32(s)}${v}`,
      `0x${r}${'00'.repeat(32)}${v}`,
      `0x${hex32(N)}${hex32(s)}${v}`,
      `0x${r}${hex32(N)}${v}`,
      `0x${'ff'.repeat(32)}${hex32(s)}${v}`,
      `0x${hex32(5n)}${hex32(s)}${v}`, // 5 is not the x of a curve point
      `0x${r.toUpperCase()}${hex32(s)}${v}`,
      `0x${r}${hex32(s)}${v}`.slice(0, -1) as Hex,
      `0x${r.slice(0, -1)}g${hex32(s)}${v}` as Hex,
    ];
    const expected = [ADDRESS, ADDRESS];
    for (const [i, c] of cases.entries()) {
      const js = await outcome(javascriptEcdsa, d, c);
      expect({ i, answer: await outcome(native, d, c) }).toEqual({ i, answer: js });
      if (i < expected.length) expect(js).toBe(expected[i]);
    }
    expect(await outcome(native, d, `0x${r}${hex32(s)}1d`)).toBe('refused');
    expect(await outcome(native, d, `0x${'00'.repeat(32)}${hex32(s)}${v}`)).toBe('refused');
  });

  it('answers as viem on random signatures, digests and keys', async () => {
    const scalar = fc.oneof(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), fc.bigInt({ min: N - 3n, max: N + 3n }), fc.constantFrom(0n, 1n, N / 2n, N / 2n + 1n));
    const vByte = fc.constantFrom(0, 1, 27, 28, 2, 29, 35, 255);
    await fc.assert(
      fc.asyncProperty(scalar, scalar, vByte, fc.uint8Array({ minLength: 32, maxLength: 32 }), async (r, s, v, h) => {
        const d = `0x${Buffer.from(h).toString('hex')}` as Hex;
        const sig = `0x${hex32(r)}${hex32(s)}${v.toString(16).padStart(2, '0')}` as Hex;
        expect(await outcome(native, d, sig)).toBe(await outcome(javascriptEcdsa, d, sig));
      }),
      { numRuns: 300, seed: 21 },
    );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), async (k, h) => {
        const key = BigInt(`0x${Buffer.from(k).toString('hex')}`);
        fc.pre(key > 0n && key < N);
        const privateKey = `0x${hex32(key)}` as Hex;
        const d = `0x${Buffer.from(h).toString('hex')}` as Hex;
        const sig = await native.signDigest(d, privateKey);
        expect(sig).toBe(await sign({ hash: d, privateKey, to: 'hex' }));
        expect(await native.recoverAddress(d, sig)).toBe(privateKeyToAccount(privateKey).address);
      }),
      { numRuns: 100, seed: 21 },
    );
  });

  it('hashes typed data as viem does before recovering', async () => {
    const sig = await privateKeyToAccount(KEY).signTypedData(typed);
    expect(await native.recoverAddress(hashTypedData(typed), sig)).toBe(ADDRESS);
    const changed = { ...typed, message: { ...typed.message, nav: 100_000_001n } };
    expect(await recoverTypedDataSigner(changed, sig)).not.toBe(ADDRESS);
  });

  it('typed data that cannot be hashed rejects the promise (a 4xx for the caller), never throws before it', async () => {
    const bad = { ...typed, message: { ...typed.message, nonce: -1n } };
    let promise: Promise<Address> | undefined;
    expect(() => (promise = recoverTypedDataSigner(bad, '0x00'))).not.toThrow();
    await expect(promise).rejects.toThrow();
    await expect(recoverTypedDataAddress({ ...bad, signature: '0x00' })).rejects.toThrow();
  });
});
