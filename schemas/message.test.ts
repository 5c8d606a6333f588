import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { keccak256, stringToBytes, size } from 'viem';
import { decodeMessage, encodeMessage, KIND, NAV_LENGTH, PAUSE_LENGTH, SETTLEMENT_KIND, SETTLEMENT_LENGTH, type AttestationMessage } from './message.js';
import { VECTOR_MESSAGES, buildVectors } from './vectors.js';
import vectors from './vectors.json' with { type: 'json' };
import type { DidHash } from './ids.js';
import { didHash, parseDid } from './ids.js';

describe('message codec v1', () => {
  it('encodes settlement and NAV messages to their fixed lengths', () => {
    const settlement = VECTOR_MESSAGES.find((m) => m.kind === 'settlement');
    const nav = VECTOR_MESSAGES.find((m) => m.kind === 'nav');
    const pause = VECTOR_MESSAGES.find((m) => m.kind === 'pause');
    expect(size(encodeMessage(settlement!))).toBe(SETTLEMENT_LENGTH);
    expect(size(encodeMessage(nav!))).toBe(NAV_LENGTH);
    expect(size(encodeMessage(pause!))).toBe(PAUSE_LENGTH);
  });

  it('has a golden vector of every kind and settlement kind, so forge checks each layout against TypeScript', () => {
    for (const kind of Object.keys(KIND)) {
      expect(VECTOR_MESSAGES.some((m) => m.kind === kind), `golden vector of kind ${kind}`).toBe(true);
    }
    for (const settlementKind of Object.keys(SETTLEMENT_KIND)) {
      expect(VECTOR_MESSAGES.some((m) => m.kind === 'settlement' && m.settlementKind === settlementKind), `golden vector of settlement kind ${settlementKind}`).toBe(true);
    }
  });

  it('round-trips every golden message', () => {
    for (const m of VECTOR_MESSAGES) expect(decodeMessage(encodeMessage(m))).toEqual(m);
  });

  it('round-trips arbitrary settlement fields', () => {
    const hex32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `0x${Buffer.from(b).toString('hex')}` as const);
    const addr = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => `0x${Buffer.from(b).toString('hex')}` as const);
    fc.assert(
      fc.property(hex32, fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.constantFrom('subscription', 'redemption'), hex32, addr, fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), (d, nonce, sk, ref, investor, amount) => {
        const m: AttestationMessage = { kind: 'settlement', did: d as DidHash, nonce, settlementKind: sk as 'subscription', settlementRef: ref, investor, amount, cashLegRef: ref, settledAt: nonce, peerChainId: 0n };
        const back = decodeMessage(encodeMessage(m));
        expect(back.kind).toBe('settlement');
        if (back.kind === 'settlement') {
          expect(back.amount).toBe(amount);
          expect(back.investor.toLowerCase()).toBe(investor);
          expect(back.nonce).toBe(nonce);
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('rejects truncated, padded, unknown-version and unknown-kind bytes', () => {
    const good = encodeMessage(VECTOR_MESSAGES[0]!);
    expect(() => decodeMessage(good.slice(0, -2) as `0x${string}`)).toThrow(/must be 175 bytes/);
    expect(() => decodeMessage(`${good}00`)).toThrow(/must be 175 bytes/);
    expect(() => decodeMessage(`0x02${good.slice(4)}`)).toThrow(/version 2/);
    expect(() => decodeMessage(`0x01ff${good.slice(6)}`)).toThrow(/kind 255/);
    expect(() => decodeMessage('0x0101')).toThrow(/too short/);
    for (const m of VECTOR_MESSAGES.filter((v) => v.kind === 'config' || v.kind === 'allowlist' || v.kind === 'reserve')) {
      const bytes = encodeMessage(m);
      expect(() => decodeMessage(bytes.slice(0, -2) as `0x${string}`), `truncated ${m.kind}`).toThrow();
      expect(() => decodeMessage(`${bytes}00`), `padded ${m.kind}`).toThrow();
    }
  });

  it('matches the committed golden vectors (forge checks the same file)', () => {
    expect(buildVectors()).toEqual(vectors);
  });
});

describe('ids', () => {
  it('hashes a DID as the registry does and refuses what is not an RWA DID', () => {
    expect(didHash(parseDid('did:rwa:demo:ustb-2027'))).toBe(keccak256(stringToBytes('did:rwa:demo:ustb-2027')));
    for (let n = 0; n < 1100; n++) {
      const did = parseDid(`did:rwa:fund-${n % 1050}`); // past the memo's 1,024 entries and back
      expect(didHash(did)).toBe(keccak256(stringToBytes(did)));
    }
    expect(() => parseDid('did:web:example.com')).toThrow(/not an RWA DID/);
    expect(() => parseDid('did:rwa:UPPER')).toThrow();
  });
});
