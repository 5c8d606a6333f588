import { describe, expect, it } from 'vitest';
import { concat, keccak256, numberToHex, recoverAddress, serializeSignature, size, sliceHex, hexToNumber, type Address, type Hex } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import { wormholeChainId } from '../../../schemas/ids.js';
import { DEV_WORMHOLE_GUARDIAN_KEYS } from '../../../schemas/dev-keys.js';
import {
  buildVaa,
  decodeAttestationPayload,
  deserializeVaa,
  encodeAttestationPayload,
  guardianSignersFor,
  quorum,
  serializeVaa,
  signVaa,
  vaaDigest,
  WormholeVaaError,
  type Observation,
} from './vaa.js';

const EMITTER: Address = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const payload = encodeAttestationPayload({ destinationChainId: 31_338n, message: '0x0101aabb', signatures: '0xccddeeff' });
const observation: Observation = {
  emitterChainId: wormholeChainId(2),
  emitter: EMITTER,
  sequence: 7n,
  nonce: 42,
  consistencyLevel: 200,
  timestamp: 1_767_225_600,
  payload,
};
const keys = DEV_WORMHOLE_GUARDIAN_KEYS;
const setKeys = keys.map((k) => privateKeyToAddress(k));

describe('Wormhole VAA v1 (SDK serialisation)', () => {
  it('follows Wormhole quorum: floor(2n/3) + 1', () => {
    expect([1, 3, 4, 5, 7, 19].map(quorum)).toEqual([1, 3, 3, 4, 5, 13]);
  });

  it('encodes our payload with the version byte, a uint64 destination and a uint32 message length', () => {
    expect(payload).toBe('0x01' + '0000000000007a6a' + '00000004' + '0101aabb' + 'ccddeeff');
    expect(decodeAttestationPayload(payload)).toEqual({ destinationChainId: 31_338n, message: '0x0101aabb', signatures: '0xccddeeff' });
  });

  it('refuses a payload of another version or cut short', () => {
    expect(() => decodeAttestationPayload('0x02' + payload.slice(4) as Hex)).toThrow(WormholeVaaError);
    expect(() => decodeAttestationPayload(sliceHex(payload, 0, 10))).toThrow(WormholeVaaError);
  });

  it('signs keccak256(keccak256(body)) with exactly quorum guardians in increasing index, and round-trips', async () => {
    const signed = signVaa(buildVaa(observation, 3), guardianSignersFor(keys, setKeys), setKeys.length);
    const bytes = serializeVaa(signed);
    const n = quorum(setKeys.length);

    // Header: version 1, guardian set index, signature count; then 66 bytes per signature; then the body.
    expect(hexToNumber(sliceHex(bytes, 0, 1))).toBe(1);
    expect(hexToNumber(sliceHex(bytes, 1, 5))).toBe(3);
    expect(hexToNumber(sliceHex(bytes, 5, 6))).toBe(n);
    const body = sliceHex(bytes, 6 + 66 * n);
    expect(body).toBe(
      concat([numberToHex(observation.timestamp, { size: 4 }), numberToHex(42, { size: 4 }), numberToHex(2, { size: 2 }), numberToHex(BigInt(EMITTER), { size: 32 }), numberToHex(7n, { size: 8 }), numberToHex(200, { size: 1 }), payload]),
    );
    const digest = keccak256(keccak256(body));
    expect(vaaDigest(signed)).toBe(digest);

    const back = deserializeVaa(bytes);
    expect(back.guardianSet).toBe(3);
    expect(back.emitterChain).toBe('Ethereum');
    expect(back.emitterAddress.toString().toLowerCase()).toBe(numberToHex(BigInt(EMITTER), { size: 32 }));
    expect(back.sequence).toBe(7n);
    expect(back.nonce).toBe(42);
    expect(back.consistencyLevel).toBe(200);
    expect(serializeVaa(back)).toBe(bytes);
    expect(vaaDigest(back)).toBe(digest);

    expect(back.signatures.map((s) => s.guardianIndex)).toEqual([...Array(n).keys()]);
    for (const { guardianIndex, signature } of back.signatures) {
      const sig = serializeSignature({ r: numberToHex(signature.r, { size: 32 }), s: numberToHex(signature.s, { size: 32 }), yParity: signature.v });
      expect(signature.v === 0 || signature.v === 1).toBe(true);
      expect(await recoverAddress({ hash: digest, signature: sig })).toBe(setKeys[guardianIndex]);
    }
  });

  it('uses the guardian indices of the destination set, whatever order the keys come in', () => {
    const shuffled = [setKeys[2]!, setKeys[0]!, setKeys[1]!];
    const signers = guardianSignersFor(keys.slice(0, 3), shuffled);
    expect(signers.map((s) => s.index)).toEqual([1, 2, 0]);
    const signed = signVaa(buildVaa(observation, 0), signers, shuffled.length);
    expect(signed.signatures.map((s) => s.guardianIndex)).toEqual([0, 1, 2]);
  });

  it('refuses a key outside the set, and too few keys for quorum', () => {
    expect(() => guardianSignersFor(keys, setKeys.slice(1))).toThrow(/not in the destination's guardian set/);
    expect(() => guardianSignersFor(keys.slice(0, 2), setKeys)).toThrow(/needs 3/);
    expect(() => signVaa(buildVaa(observation, 0), [{ index: 0, key: keys[0]! }], 4)).toThrow(WormholeVaaError);
  });

  it('refuses an emitter chain the SDK does not know, and bytes that are not a VAA', () => {
    expect(() => wormholeChainId(31_337)).toThrow();
    expect(() => deserializeVaa('0x02')).toThrow(WormholeVaaError);
    const bytes = serializeVaa(signVaa(buildVaa(observation, 0), guardianSignersFor(keys, setKeys), setKeys.length));
    expect(() => deserializeVaa(sliceHex(bytes, 0, size(bytes) - 60))).toThrow(WormholeVaaError);
  });
});
