import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ATTESTATION_KINDS, KIND, KINDS, REQUEST_SIGNINGS, SIGN_KINDS, SOURCES, kindByCode } from './index.js';
import { ATTESTATION_KINDS as FEED_KINDS } from '../http.js';
import { SIGN_KINDS as COMMITTEE_KINDS, signRequestSchema } from '../committee.js';
import { custodianTypes } from '../eip712.js';
import { decodeMessage, encodeMessage } from '../message.js';
import { VECTOR_MESSAGES } from '../vectors.js';

const codec = readFileSync(join(import.meta.dirname, '..', '..', 'contracts', 'src', 'libraries', 'AttestationCodec.sol'), 'utf8');
/** The KIND_* constants of the Solidity codec, by value. */
const solidityCodes = [...codec.matchAll(/uint8 internal constant KIND_[A-Z_]+ = (\d+);/g)].map((m) => Number(m[1])).sort((a, b) => a - b);

describe('the kind list', () => {
  it('has one module per code and name, the codes of the Solidity codec', () => {
    const codes = KINDS.map((k) => k.code);
    expect(new Set(codes).size).toBe(KINDS.length);
    expect(new Set(KINDS.map((k) => k.name)).size).toBe(KINDS.length);
    expect([...codes].sort((a, b) => a - b)).toEqual(solidityCodes);
    for (const k of KINDS) expect(kindByCode(k.code)?.name).toBe(k.name);
  });

  it('is the only list: KIND, the feed and store kinds, the sign kinds and the custodian types derive from it', () => {
    expect(Object.entries(KIND)).toEqual(KINDS.map((k) => [k.name, k.code]));
    expect(ATTESTATION_KINDS).toEqual(KINDS.map((k) => k.name));
    expect(FEED_KINDS).toBe(ATTESTATION_KINDS);
    expect(SIGN_KINDS).toEqual(SOURCES.map((s) => s.kind));
    expect(COMMITTEE_KINDS).toBe(SIGN_KINDS);
    expect(signRequestSchema.properties.kind.enum).toBe(SIGN_KINDS);
    expect(Object.keys(custodianTypes)).toEqual(REQUEST_SIGNINGS.map((s) => s.primaryType));
  });

  it('has golden vectors for every kind, each decoding to itself', () => {
    for (const k of KINDS) {
      const vectors = VECTOR_MESSAGES.filter((m) => m.kind === k.name);
      expect(vectors.length, k.name).toBeGreaterThan(0);
      for (const m of vectors) expect(decodeMessage(encodeMessage(m))).toEqual(m);
    }
  });

  it("refuses a code no module has, and each kind's message one byte short", () => {
    const header = (code: number) => `0x01${code.toString(16).padStart(2, '0')}${'11'.repeat(32)}${'00'.repeat(8)}` as const;
    expect(() => decodeMessage(header(255))).toThrow(/unknown message kind 255/);
    for (const m of VECTOR_MESSAGES) {
      const bytes = encodeMessage(m);
      expect(() => decodeMessage(bytes.slice(0, -2) as `0x${string}`), m.kind).toThrow();
    }
  });
});

describe('the HTTP schema set', () => {
  it("holds each routed kind's request schema under its $id name, as before the kind modules", async () => {
    const { httpSchemas } = await import('../http.js');
    expect(Object.keys(httpSchemas).sort()).toEqual(
      ['acceptance-request', 'allowlist-request', 'attestation-feed', 'disclosure-request', 'error', 'fulfilment-request', 'move-request', 'nav-request', 'pause-request', 'reserve-request', 'settlement-request'].sort(),
    );
  });
});
