import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { keccak256, size, stringToBytes, type Hex } from 'viem';
import {
  KIND,
  TRANSPORT_BITS,
  TRANSPORT_QUORUM_LENGTH,
  attestationTypedMessage,
  decodeMessage,
  encodeBody,
  encodeMessage,
  isValidTransportQuorum,
  maskToTransports,
  popcount,
  transportQuorumIssue,
  transportsToMask,
  type TransportQuorumMessage,
} from './message.js';
import { VECTOR_MESSAGES } from './vectors.js';
import type { DidHash } from './ids.js';

const did = keccak256(stringToBytes('did:rwa:demo:ustb-2027')) as DidHash;
const quorums = VECTOR_MESSAGES.filter((m): m is TransportQuorumMessage => m.kind === 'transportQuorum');

describe('transport quorum (kind 12)', () => {
  it('has golden vectors, 52 bytes each, kind byte 12', () => {
    expect(quorums.length).toBeGreaterThan(0);
    for (const m of quorums) {
      const bytes = encodeMessage(m);
      expect(size(bytes)).toBe(TRANSPORT_QUORUM_LENGTH);
      expect(Number.parseInt(bytes.slice(4, 6), 16)).toBe(KIND.transportQuorum);
      expect(KIND.transportQuorum).toBe(12);
    }
  });

  it('lays out chainId, k and transports at offsets 42, 50 and 51', () => {
    const m: TransportQuorumMessage = { kind: 'transportQuorum', did, nonce: 9n, chainId: 0x0102030405060708n, k: 2, transports: 5 };
    const bytes = encodeMessage(m);
    expect(bytes.slice(2 + 2 * 42)).toBe('0102030405060708' + '02' + '05');
    expect(encodeBody(m)).toBe('0x01020304050607080205');
  });

  it('round-trips arbitrary uint fields, valid or not (the codec carries bytes; the rule is checked apart)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (nonce, chainId, k, transports) => {
        const m: TransportQuorumMessage = { kind: 'transportQuorum', did, nonce, chainId, k, transports };
        expect(decodeMessage(encodeMessage(m))).toEqual(m);
      }),
      { seed: 12, numRuns: 200 },
    );
  });

  it('refuses truncated and padded kind-12 bytes', () => {
    const bytes = encodeMessage(quorums[0]!);
    expect(() => decodeMessage(bytes.slice(0, -2) as Hex)).toThrow(/transport quorum message must be 52 bytes/);
    expect(() => decodeMessage(`${bytes}00`)).toThrow(/must be 52 bytes/);
  });

  it('is signed as AdminAttestation over the body with kind 12', () => {
    const m = quorums[0]!;
    expect(attestationTypedMessage(m)).toEqual({ primaryType: 'AdminAttestation', message: { did: m.did, nonce: m.nonce, kind: 12, body: encodeBody(m) } });
  });
});

describe('transport bits and the quorum rule', () => {
  it('names the bits 1 cctp, 2 ccip, 4 wormhole and converts masks both ways', () => {
    expect(TRANSPORT_BITS).toEqual({ cctp: 1, ccip: 2, wormhole: 4 });
    expect(transportsToMask([])).toBe(0);
    expect(transportsToMask(['wormhole', 'cctp'])).toBe(5);
    expect(transportsToMask(['cctp', 'ccip', 'wormhole'])).toBe(7);
    expect(maskToTransports(0)).toEqual([]);
    expect(maskToTransports(6)).toEqual(['ccip', 'wormhole']);
    expect(maskToTransports(7)).toEqual(['cctp', 'ccip', 'wormhole']);
    for (let mask = 0; mask <= 7; mask++) expect(transportsToMask(maskToTransports(mask))).toBe(mask);
    expect(() => maskToTransports(8)).toThrow(/outside 7/);
    expect(popcount(7)).toBe(3);
    expect(popcount(5)).toBe(2);
  });

  it.each([
    [0, 0, true],
    [1, 0, false],
    [0, 1, false],
    [1, 1, true],
    [2, 1, false],
    [1, 3, true],
    [2, 3, true],
    [3, 3, false],
    [2, 7, true],
    [3, 7, true],
    [4, 7, false],
    [1, 8, false],
    [1, 9, false],
    [0, 7, false],
    [256, 7, false],
  ])('k %i of transports %i is valid: %s', (k, transports, valid) => {
    expect(isValidTransportQuorum(k, transports)).toBe(valid);
    expect(transportQuorumIssue(k, transports) === undefined).toBe(valid);
  });

  it('agrees with the rule written out, over every uint8 pair', () => {
    for (let k = 0; k < 256; k++) {
      for (let t = 0; t < 256; t++) {
        const rule = (t & ~7) === 0 && (t === 0 ? k === 0 : k >= 1 && k <= popcount(t));
        expect(isValidTransportQuorum(k, t), `k ${k} transports ${t}`).toBe(rule);
      }
    }
  });
});
