import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { keccak256, size, stringToBytes, type Hex } from 'viem';
import { BRAKES_DIRECTION, BRAKES_LENGTH, KIND, attestationTypedMessage, decodeMessage, encodeBody, encodeMessage, type BrakesMessage } from './message.js';
import { VECTOR_MESSAGES } from './vectors.js';
import type { DidHash } from './ids.js';

const did = keccak256(stringToBytes('did:rwa:demo:ustb-2027')) as DidHash;
const brakesVectors = VECTOR_MESSAGES.filter((m): m is BrakesMessage => m.kind === 'brakes');
const u128 = fc.bigInt({ min: 0n, max: 2n ** 128n - 1n });
const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });

describe('brakes (kind 14)', () => {
  it('has golden vectors, 131 bytes each, kind byte 14', () => {
    expect(brakesVectors.length).toBeGreaterThanOrEqual(2);
    expect(KIND.brakes).toBe(14);
    for (const m of brakesVectors) {
      const bytes = encodeMessage(m);
      expect(size(bytes)).toBe(BRAKES_LENGTH);
      expect(Number.parseInt(bytes.slice(4, 6), 16)).toBe(14);
    }
  });

  it('lays out chainId, the two buckets, the line and its threshold at offsets 42, 50, 66, 82, 98, 114 and 130', () => {
    const m: BrakesMessage = {
      kind: 'brakes',
      did,
      nonce: 9n,
      chainId: 0x0102030405060708n,
      mintCapacity: 0x11n,
      mintRefillPerSecond: 0x22n,
      burnCapacity: 0x33n,
      burnRefillPerSecond: 0x44n,
      largeAmount: 0x55n,
      largeThreshold: 3,
    };
    const word = (b: string) => '00'.repeat(15) + b;
    expect(encodeBody(m)).toBe(`0x0102030405060708${word('11')}${word('22')}${word('33')}${word('44')}${word('55')}03`);
    expect(encodeMessage(m).slice(2 + 2 * 42)).toBe(encodeBody(m).slice(2));
  });

  it('round-trips arbitrary fields', () => {
    fc.assert(
      fc.property(u64, u64, u128, u128, u128, u128, u128, fc.integer({ min: 0, max: 255 }), (nonce, chainId, mc, mr, bc, br, line, threshold) => {
        const m: BrakesMessage = { kind: 'brakes', did, nonce, chainId, mintCapacity: mc, mintRefillPerSecond: mr, burnCapacity: bc, burnRefillPerSecond: br, largeAmount: line, largeThreshold: threshold };
        expect(decodeMessage(encodeMessage(m))).toEqual(m);
      }),
      { seed: 14, numRuns: 200 },
    );
  });

  it('refuses truncated and padded kind-14 bytes', () => {
    const bytes = encodeMessage(brakesVectors[0]!);
    expect(() => decodeMessage(bytes.slice(0, -2) as Hex)).toThrow(/brakes message must be 131 bytes/);
    expect(() => decodeMessage(`${bytes}00`)).toThrow(/brakes message must be 131 bytes/);
  });

  it('is signed as AdminAttestation over the body with kind 14', () => {
    const m = brakesVectors[0]!;
    expect(attestationTypedMessage(m)).toEqual({ primaryType: 'AdminAttestation', message: { did: m.did, nonce: m.nonce, kind: 14, body: encodeBody(m) } });
  });

  it('names the directions 0 mint and 1 burn', () => {
    expect(BRAKES_DIRECTION).toEqual({ mint: 0, burn: 1 });
  });
});
