import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bytesToHex, getAddress, hashTypedData, type Hex } from 'viem';
import { attestationDomain, attestationTypes, batchTypedData, curseTypes, custodianDomain, custodianTypes } from '../schemas/eip712.js';
import { attestationTypedMessage, decodeMessage } from '../schemas/message.js';
import vectors from '../schemas/vectors.json' with { type: 'json' };
import batchVectors from '../schemas/batch-vectors.json' with { type: 'json' };
import { fastHashTypedData, fastTypedDataDigest } from './typed-data-hash.js';

type Field = { readonly name: string; readonly type: string };
type Types = Record<string, readonly Field[]>;
type Params = { domain?: unknown; types: unknown; primaryType: string; message: unknown };

/** What a hash function answers for `p`: the digest, or the error it throws (class and message). */
function outcome(hash: (p: never) => Hex, p: Params): string {
  try {
    return hash(p as never);
  } catch (err) {
    return err instanceof Error ? `${err.constructor.name}: ${err.message}` : `thrown ${String(err)}`;
  }
}
const expectSame = (p: Params): void => {
  expect(outcome(fastHashTypedData, p)).toBe(outcome(hashTypedData, p));
};

const hexOf = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => bytesToHex(b));
const anyCase = (h: fc.Arbitrary<Hex>) => fc.tuple(h, fc.boolean()).map(([x, up]) => (up ? (`0x${x.slice(2).toUpperCase()}` as Hex) : x));
const address = hexOf(20).chain((a) => fc.constantFrom(a, getAddress(a)));
const INT = /^(u?int)(\d+)$/;
const BYTES = /^bytes(\d+)$/;

/** Valid values of an EIP-712 member type, in every form viem takes (bigint or number, either hex case, ...). */
function valid(type: string): fc.Arbitrary<unknown> {
  if (type.endsWith('[]')) return fc.array(valid(type.slice(0, -2)), { maxLength: 6 });
  if (type === 'address') return address;
  if (type === 'bool') return fc.boolean();
  if (type === 'string') return fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('', 'did:rwa:fund-1', '\ud800 lone', 'é€😀'));
  if (type === 'bytes') return fc.integer({ min: 0, max: 90 }).chain((n) => anyCase(hexOf(n)));
  const bytes = BYTES.exec(type);
  if (bytes) return anyCase(hexOf(Number(bytes[1])));
  const int = INT.exec(type)!;
  const bits = BigInt(int[2]!);
  const [min, max] = int[1] === 'int' ? [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n] : [0n, (1n << bits) - 1n];
  const edges = [0n, 1n, min, max, 2n ** 32n, 2n ** 53n, 2n ** 64n - 1n, 2n ** 64n, 2n ** 128n, -(2n ** 64n), -(2n ** 64n) - 1n].filter((e) => e >= min && e <= max);
  return fc.oneof(fc.bigInt({ min, max }), fc.constantFrom(...edges), fc.integer({ min: Number(min > -1000000n ? min : -1000000n), max: Number(max < 1000000n ? max : 1000000n) }));
}

/** Values viem refuses or reads in its own way (strings for numbers, odd hex, bad checksums, out of range, ...). */
function odd(type: string): fc.Arbitrary<unknown> {
  const common = fc.constantFrom<unknown>(null, undefined, 1.5, '12', '0x12', '0x123', '0xzz', true, {}, [], new Uint8Array([1, 2]), -1n, NaN, 2 ** 60);
  if (type.endsWith('[]')) return fc.oneof(common, fc.array(fc.oneof(odd(type.slice(0, -2)), valid(type.slice(0, -2))), { minLength: 1, maxLength: 4 }));
  if (type === 'address') {
    const badChecksum = hexOf(20).map((a) => getAddress(a)).filter((a) => /[a-f]/.test(a.slice(2)) && /[A-F]/.test(a.slice(2))).map((a) => a.replace(/[a-f]/, (c) => c.toUpperCase()));
    return fc.oneof(common, badChecksum, hexOf(19), hexOf(21), hexOf(20).map((a) => a.toUpperCase()), hexOf(20).map((a) => a.slice(2)));
  }
  const int = INT.exec(type);
  if (int) {
    const bits = BigInt(int[2]!);
    const over = int[1] === 'int' ? 1n << (bits - 1n) : 1n << bits;
    return fc.oneof(common, fc.constantFrom(over, -over - 1n, Number(over) * 2, -1, -1n), fc.bigInt({ min: over, max: over * 4n }));
  }
  const bytes = BYTES.exec(type);
  if (bytes) {
    const n = Number(bytes[1]);
    return fc.oneof(common, hexOf(n - 1), hexOf(n + 1), hexOf(n).map((h) => `${h.slice(0, -1)}`), hexOf(n).map((h) => `${h.slice(0, -1)}g`));
  }
  return common;
}

const messageOf = (fields: readonly Field[], value: (type: string) => fc.Arbitrary<unknown>) =>
  fc.tuple(...fields.map((f) => value(f.type))).map((vs) => Object.fromEntries(fields.map((f, i) => [f.name, vs[i]])));

const domains = fc.oneof(
  fc.tuple(fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }), address).map(([c, r]) => attestationDomain(c, r as Hex)),
  fc.tuple(fc.bigInt({ min: 1n, max: 1000000n }), address).map(([c, r]) => custodianDomain(c, r as Hex)),
  fc.record({ name: fc.string(), chainId: fc.integer({ min: 0, max: 2 ** 40 }), salt: hexOf(32) }, { requiredKeys: [] }),
  fc.record({ version: fc.string(), verifyingContract: address }, { requiredKeys: ['verifyingContract'] }),
  fc.constant(undefined),
);

const FAMILIES: [string, Types][] = [
  ['attestation', attestationTypes],
  ['custodian', custodianTypes],
  ['curse', curseTypes],
];

describe('fastHashTypedData (core/typed-data-hash.ts) against viem\'s hashTypedData', () => {
  it('gives the golden digests of schemas/vectors.json and schemas/batch-vectors.json', () => {
    for (const v of vectors.vectors) {
      const typed = attestationTypedMessage(decodeMessage(v.message as Hex));
      const p = { domain: attestationDomain(BigInt(vectors.chainId), vectors.receiver as Hex), types: attestationTypes, primaryType: typed.primaryType, message: typed.message } as Params;
      expect(fastHashTypedData(p as never)).toBe(v.digest);
    }
    for (const t of batchVectors.trees) expect(fastHashTypedData(batchTypedData(BigInt(batchVectors.chainId), batchVectors.receiver as Hex, batchVectors.did as Hex, t.root as Hex))).toBe(t.digest);
    expect(vectors.vectors.length + batchVectors.trees.length).toBeGreaterThan(40);
  });

  for (const [family, types] of FAMILIES) {
    for (const [primaryType, fields] of Object.entries(types)) {
      it(`${family} ${primaryType}: the same digest on random valid messages and domains`, () => {
        fc.assert(
          fc.property(domains, messageOf(fields, valid), (domain, message) => {
            const p = { domain, types, primaryType, message };
            const digest = fastTypedDataDigest(p);
            expect(digest).toBeDefined(); // taken here, not handed to viem
            expect(digest).toBe(hashTypedData(p as never));
            expect(fastHashTypedData(p as never)).toBe(digest);
          }),
          { numRuns: 300 },
        );
      });

      it(`${family} ${primaryType}: the same digest or the same error when one field is odd or invalid`, () => {
        const oneOdd = fc.tuple(messageOf(fields, valid), fc.nat({ max: fields.length - 1 })).chain(([m, i]) => odd(fields[i]!.type).map((v) => ({ ...m, [fields[i]!.name]: v })));
        const withoutOne = fc.tuple(messageOf(fields, valid), fc.nat({ max: fields.length - 1 })).map(([m, i]) => Object.fromEntries(Object.entries(m).filter(([k]) => k !== fields[i]!.name)));
        fc.assert(fc.property(domains, fc.oneof(oneOdd, withoutOne), (domain, message) => expectSame({ domain, types, primaryType, message })), { numRuns: 300 });
      });
    }
  }

  it('the same digest or error for odd domains', () => {
    const oddDomain = fc.oneof(
      fc.record({ name: fc.constantFrom<unknown>(5, 5n, null, true, 'x'), chainId: fc.constantFrom<unknown>(-1n, 1.5, '1', 2n ** 256n, 7, 7n, null), verifyingContract: fc.oneof(odd('address'), address) }, { requiredKeys: [] }),
      fc.record({ salt: odd('bytes32') }),
      fc.constantFrom<unknown>(null, 'domain', 7, []),
    );
    const message = { did: `0x${'11'.repeat(32)}`, nonce: 1n, nav: 2n, asOf: 3n };
    fc.assert(fc.property(oddDomain, (domain) => expectSame({ domain, types: attestationTypes, primaryType: 'NavAttestation', message })), { numRuns: 500 });
  });

  it('types it does not encode itself (structs, fixed or nested arrays, int, bad names, own EIP712Domain) answer as viem', () => {
    const domain = attestationDomain(1n, '0x5FbDB2315678afecb367f032d93F642f64180aa3');
    const cases: Params[] = [
      { domain, types: { Inner: [{ name: 'a', type: 'uint8' }], Outer: [{ name: 'i', type: 'Inner' }, { name: 'l', type: 'Inner[]' }] }, primaryType: 'Outer', message: { i: { a: 1 }, l: [{ a: 2 }] } },
      { domain, types: { T: [{ name: 'a', type: 'uint8[2]' }] }, primaryType: 'T', message: { a: [1, 2] } },
      { domain, types: { T: [{ name: 'a', type: 'uint8[][]' }] }, primaryType: 'T', message: { a: [[1], [2, 3]] } },
      { domain, types: { T: [{ name: 'a', type: 'uint' }] }, primaryType: 'T', message: { a: 1n } },
      { domain, types: { T: [{ name: 'a', type: 'uint7' }] }, primaryType: 'T', message: { a: 1n } },
      { domain, types: { T: [{ name: 'a', type: 'bytes33' }] }, primaryType: 'T', message: { a: '0x00' } },
      { domain, types: { uint8: [{ name: 'a', type: 'bool' }] }, primaryType: 'uint8', message: { a: true } },
      { domain, types: { T: [{ name: 'a', type: 'bool' }], 'bad name': [] }, primaryType: 'T', message: { a: true } },
      { domain, types: { T: [{ name: 'a', type: 'bool' }] }, primaryType: 'Missing', message: { a: true } },
      { domain, types: { T: [{ name: 'a', type: 'bool' }] }, primaryType: 'toString', message: { a: true } },
      { domain, types: { T: [{ name: 'a', type: 'bool' }] }, primaryType: 'EIP712Domain', message: { a: true } },
      { domain, types: { EIP712Domain: [{ name: 'name', type: 'string' }], T: [{ name: 'a', type: 'bool' }] }, primaryType: 'T', message: { a: true } },
      { domain, types: attestationTypes, primaryType: 'NavAttestation', message: null },
      { domain, types: attestationTypes, primaryType: 'NavAttestation', message: 'x' },
      { domain, types: undefined, primaryType: 'NavAttestation', message: {} },
      { domain, types: { T: [] }, primaryType: 'T', message: {} },
      { domain, types: { T: [{ name: 'a', type: 'int8' }, { name: 'b', type: 'int256' }] }, primaryType: 'T', message: { a: -128, b: -(1n << 255n) } },
    ];
    for (const p of cases) expectSame(p);
    expect(cases.filter((p) => fastTypedDataDigest(p) !== undefined).length).toBe(2); // only the empty struct and the ints
  });

  it('a types object built afresh on every call answers the same', () => {
    const message = { did: `0x${'22'.repeat(32)}` as Hex, root: `0x${'33'.repeat(32)}` as Hex };
    const domain = attestationDomain(5n, '0x5FbDB2315678afecb367f032d93F642f64180aa3');
    const viaFresh = fastHashTypedData({ domain, types: { AttestationBatch: [...attestationTypes.AttestationBatch] }, primaryType: 'AttestationBatch', message });
    expect(viaFresh).toBe(hashTypedData({ domain, types: attestationTypes, primaryType: 'AttestationBatch', message }));
  });
});
