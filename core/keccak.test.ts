import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bytesToHex, keccak256 } from 'viem';
import { javascriptKeccak, keccak, keccak256Bytes, keccak256Hex, nativeKeccak, nativeKeccakLoadError } from './keccak.js';

const hex = (b: Uint8Array) => bytesToHex(b);

describe('Keccak-256 (core/keccak.ts)', () => {
  it('loads the XKCP addon here and the services use it', () => {
    expect(nativeKeccakLoadError).toBeUndefined();
    expect(nativeKeccak?.backend).toBe('xkcp');
    expect(keccak).toBe(nativeKeccak);
  });

  it('known digests: empty input and "abc" (Keccak-256, not SHA3-256)', () => {
    for (const k of [nativeKeccak!, javascriptKeccak]) {
      expect(hex(k.hash(new Uint8Array(0)))).toBe('0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
      expect(hex(k.hash(Buffer.from('abc')))).toBe('0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45');
    }
  });

  it('is byte for byte viem\'s keccak256 on random inputs of 0..300 bytes, across the 136-byte block edges', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), (data) => {
        const expected = keccak256(data);
        expect(hex(nativeKeccak!.hash(data))).toBe(expected);
        expect(hex(javascriptKeccak.hash(data))).toBe(expected);
        expect(keccak256Hex(data)).toBe(expected);
        expect(hex(keccak256Bytes(data))).toBe(expected);
      }),
      { numRuns: 3000 },
    );
    for (const n of [135, 136, 137, 271, 272, 273]) expect(keccak256Hex(new Uint8Array(n).fill(n))).toBe(keccak256(new Uint8Array(n).fill(n)));
  });

  it('hashes a view into a larger buffer by its own bytes only', () => {
    const whole = Buffer.from('0123456789abcdef');
    const view = new Uint8Array(whole.buffer, whole.byteOffset + 3, 5);
    expect(keccak256Hex(view)).toBe(keccak256(Buffer.from('34567')));
  });

  it('refuses what is not bytes rather than hashing something else', () => {
    expect(() => nativeKeccak!.hash('abc' as unknown as Uint8Array)).toThrow(TypeError);
  });
});
