import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hashTypedData, keccak256, size, stringToBytes, type Hex } from 'viem';
import {
  DISCLOSURE_MIN_LENGTH,
  KIND,
  REDEMPTION_FULFILMENT_LENGTH,
  REDEMPTION_POLICY_LENGTH,
  REDEMPTION_REQUEST_LENGTH,
  REDEMPTION_STAGE_LENGTH,
  attestationTypedMessage,
  decodeMessage,
  encodeBody,
  encodeMessage,
  type AttestationMessage,
  type DisclosureMessage,
} from './message.js';
import { attestationDomain, attestationTypes } from './eip712.js';
import { VECTOR_MESSAGES } from './vectors.js';
import type { DidHash } from './ids.js';

const did = keccak256(stringToBytes('did:rwa:demo:ustb-2027')) as DidHash;
const of = <K extends AttestationMessage['kind']>(kind: K) => VECTOR_MESSAGES.filter((m): m is Extract<AttestationMessage, { kind: K }> => m.kind === kind);
const hexOf = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => `0x${Buffer.from(b).toString('hex')}` as Hex);
const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const u256 = fc.bigInt({ min: 0n, max: 2n ** 256n - 1n });
/** Flips one byte of the encoded message (offset in bytes) to `value`. */
const withByte = (hex: Hex, offset: number, value: number): Hex => `0x${hex.slice(2, 2 + 2 * offset)}${value.toString(16).padStart(2, '0')}${hex.slice(4 + 2 * offset)}` as Hex;

describe('redemption and disclosure kinds (7..11)', () => {
  it('has golden vectors of every new kind, encoded to the lengths of the wire table', () => {
    const lengths = { redemptionRequest: REDEMPTION_REQUEST_LENGTH, redemptionStage: REDEMPTION_STAGE_LENGTH, redemptionPolicy: REDEMPTION_POLICY_LENGTH, redemptionFulfilment: REDEMPTION_FULFILMENT_LENGTH } as const;
    for (const [kind, length] of Object.entries(lengths) as [keyof typeof lengths, number][]) {
      const messages = of(kind);
      expect(messages.length, `golden vector of kind ${kind}`).toBeGreaterThan(0);
      for (const m of messages) expect(size(encodeMessage(m))).toBe(length);
    }
    const disclosures = of('disclosure');
    expect(disclosures.length).toBeGreaterThan(0);
    for (const m of disclosures) expect(size(encodeMessage(m))).toBe(DISCLOSURE_MIN_LENGTH + size(stringToBytes(m.uri)));
  });

  it('puts the kind byte and the header in front of the body', () => {
    for (const m of VECTOR_MESSAGES.filter((v) => KIND[v.kind] >= 7)) {
      const bytes = encodeMessage(m);
      expect(Number.parseInt(bytes.slice(4, 6), 16)).toBe(KIND[m.kind]);
      expect(`0x${bytes.slice(2 + 2 * 42)}`).toBe(encodeBody(m).toLowerCase());
    }
  });

  it('lays out a redemption request at the offsets of the wire table', () => {
    const m = of('redemptionRequest')[0]!;
    const bytes = encodeMessage(m);
    const field = (start: number, end: number) => BigInt(`0x${bytes.slice(2 + 2 * start, 2 + 2 * end)}`);
    expect(field(42, 50)).toBe(m.chainId);
    expect(field(50, 58)).toBe(m.requestId);
    expect(field(58, 78)).toBe(BigInt(m.owner));
    expect(field(78, 110)).toBe(m.amount);
    expect(field(110, 118)).toBe(m.requestedAt);
    expect(field(118, 150)).toBe(m.poolSupply);
  });

  it('signs kinds 7..11 as AdminAttestation over the body, with the kind number', () => {
    for (const m of VECTOR_MESSAGES.filter((v) => KIND[v.kind] >= 7)) {
      const typed = attestationTypedMessage(m);
      expect(typed.primaryType).toBe('AdminAttestation');
      expect(typed.message).toEqual({ did: m.did, nonce: m.nonce, kind: KIND[m.kind], body: encodeBody(m) });
      // viem accepts it as a typed-data message of the attestation types.
      hashTypedData({ domain: attestationDomain(31337n, '0x5FbDB2315678afecb367f032d93F642f64180aa3'), types: attestationTypes, primaryType: 'AdminAttestation', message: typed.message as { did: Hex; nonce: bigint; kind: number; body: Hex } });
    }
  });

  it('round-trips arbitrary requests, stages, policies and fulfilments', () => {
    const message = fc.oneof(
      fc.record({ kind: fc.constant('redemptionRequest' as const), did: fc.constant(did), nonce: u64, chainId: u64, requestId: u64, owner: hexOf(20).map((h) => h as `0x${string}`), amount: u256, requestedAt: u64, poolSupply: u256 }),
      fc.record({ kind: fc.constant('redemptionStage' as const), did: fc.constant(did), nonce: u64, stage: fc.constantFrom('A' as const, 'B' as const, 'C' as const), stageSeq: u64, since: u64, reason: fc.constantFrom('none' as const, 'threshold' as const, 'emergency' as const), dayRequested: u256, poolSupply: u256 }),
      fc.record({ kind: fc.constant('redemptionPolicy' as const), did: fc.constant(did), nonce: u64, stageBBps: fc.integer({ min: 0, max: 0xffff }), stageCBps: fc.integer({ min: 0, max: 0xffff }), instalments: fc.integer({ min: 0, max: 0xff }), windowSeconds: fc.integer({ min: 0, max: 0xffffffff }), emergency: fc.boolean() }),
      fc.record({ kind: fc.constant('redemptionFulfilment' as const), did: fc.constant(did), nonce: u64, requestId: u64, settlementRef: hexOf(32), amount: u256, cashLegRef: hexOf(32), settledAt: u64 }),
    );
    fc.assert(
      fc.property(message, (m) => {
        const back = decodeMessage(encodeMessage(m));
        if ('owner' in back) back.owner = back.owner.toLowerCase() as `0x${string}`;
        expect(back).toEqual(m);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('round-trips disclosures with any UTF-8 URI and counts its length in bytes', () => {
    fc.assert(
      fc.property(fc.constantFrom('navReport' as const, 'custodyStatement' as const, 'auditReport' as const, 'incidentNotice' as const), hexOf(32), u64, fc.string({ unit: 'grapheme', maxLength: 40 }), (docKind, docHash, asOf, uri) => {
        const m: DisclosureMessage = { kind: 'disclosure', did, nonce: 1n, docKind, docHash, asOf, uri };
        const bytes = encodeMessage(m);
        expect(size(bytes)).toBe(DISCLOSURE_MIN_LENGTH + stringToBytes(uri).length);
        expect(decodeMessage(bytes)).toEqual(m);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('refuses a disclosure URI longer than a uint16 length can say', () => {
    const m: DisclosureMessage = { kind: 'disclosure', did, nonce: 1n, docKind: 'navReport', docHash: `0x${'11'.repeat(32)}`, asOf: 1n, uri: 'x'.repeat(0x10000) };
    expect(() => encodeMessage(m)).toThrow(/longer than 65535 bytes/);
    expect(size(encodeMessage({ ...m, uri: 'x'.repeat(0xffff) }))).toBe(DISCLOSURE_MIN_LENGTH + 0xffff);
  });

  it('rejects truncated and padded messages of every new kind', () => {
    for (const m of VECTOR_MESSAGES.filter((v) => KIND[v.kind] >= 7)) {
      const bytes = encodeMessage(m);
      expect(() => decodeMessage(bytes.slice(0, -2) as Hex), `truncated ${m.kind}`).toThrow();
      expect(() => decodeMessage(`${bytes}00`), `padded ${m.kind}`).toThrow(/must be \d+ bytes/);
    }
    // A disclosure whose length field claims more URI than it carries.
    const d = encodeMessage(of('disclosure')[0]!);
    expect(() => decodeMessage(withByte(d, 84, Number.parseInt(d.slice(2 + 2 * 84, 4 + 2 * 84), 16) + 1))).toThrow(/must be/);
    // Too short to hold the URI length at all.
    expect(() => decodeMessage(d.slice(0, 2 + 2 * 84) as Hex)).toThrow(/truncated/);
  });

  it('rejects out-of-range stage, reason and document kind bytes', () => {
    const stage = encodeMessage(of('redemptionStage')[0]!);
    expect(() => decodeMessage(withByte(stage, 42, 0))).toThrow(/unknown redemption stage 0/);
    expect(() => decodeMessage(withByte(stage, 42, 4))).toThrow(/unknown redemption stage 4/);
    expect(() => decodeMessage(withByte(stage, 59, 3))).toThrow(/unknown redemption stage reason 3/);
    const disclosure = encodeMessage(of('disclosure')[0]!);
    expect(() => decodeMessage(withByte(disclosure, 42, 0))).toThrow(/unknown disclosure kind 0/);
    expect(() => decodeMessage(withByte(disclosure, 42, 5))).toThrow(/unknown disclosure kind 5/);
  });
});
