import { beforeEach, describe, expect, it } from 'vitest';
import { DEV_COMMITTEE_KEYS } from '../schemas/dev-keys.js';
import type { SignResponse } from '../schemas/committee.js';
import { attestationId, decodeMessage, encodeMessage } from '../schemas/message.js';
import type { BrakesSnapshot } from '../schemas/kinds/brakes-source.js';
import { attestationOf } from '../core/attestation.js';
import { DID, DID_HASH, makeSigner, newWorld, refusalOf, signAt, type World } from '../testkit/committee.js';

// Unit test: the hub registry is an in-memory fake; signer service, store and HTTP app are the real ones.
let world: World;
let signer: ReturnType<typeof makeSigner>;
const HUB = 31337;
const SPOKE = 31338;

const sign = (request: unknown, nonce: number, chainIds: number[]) => signAt(signer.app, 'brakes', request, nonce, chainIds);

const REGISTRY_BRAKES = { mintCapacity: 1_000_000n, mintRefillPerSecond: 100n, burnCapacity: 0n, burnRefillPerSecond: 0n, largeAmount: 500_000n, largeThreshold: 3 };
const brakes = (over: Partial<BrakesSnapshot> = {}): BrakesSnapshot => ({
  did: DID,
  chainId: SPOKE,
  revision: 1,
  mintCapacity: '1000000',
  mintRefillPerSecond: '100',
  burnCapacity: '0',
  burnRefillPerSecond: '0',
  largeAmount: '500000',
  largeThreshold: 3,
  ...over,
});

beforeEach(() => {
  world = newWorld();
  // Three signers, 2 of 3: a line's threshold may be 2 or 3.
  world.record = { ...world.record, threshold: 2 };
  world.brakes.set(SPOKE, REGISTRY_BRAKES);
  signer = makeSigner(DEV_COMMITTEE_KEYS[0]!, world);
});

describe('committee signer, brakes (kind 14)', () => {
  it("signs the registry's brakes of a chain for that chain only, the bytes the aggregator builds", async () => {
    const res = await sign(brakes(), 5, [SPOKE]);
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as SignResponse;
    const message = attestationOf({ kind: 'brakes', request: brakes() }, DID_HASH, 5n);
    expect(body.attestationId).toBe(attestationId(encodeMessage(message)));
    expect(decodeMessage(encodeMessage(message))).toEqual({ kind: 'brakes', did: DID_HASH, nonce: 5n, chainId: BigInt(SPOKE), ...REGISTRY_BRAKES });
    expect(body.signatures.map((s) => s.chainId)).toEqual([SPOKE]);
  });

  it.each([
    ['another mint capacity', brakes({ mintCapacity: '999999' }), [SPOKE], { status: 422, code: 'brakes_mismatch', field: 'request.mintCapacity' }],
    ['another line', brakes({ largeAmount: '1' }), [SPOKE], { status: 422, code: 'brakes_mismatch', field: 'request.largeAmount' }],
    ['no brakes while the registry has some', brakes({ mintCapacity: '0', mintRefillPerSecond: '0', largeAmount: '0', largeThreshold: 0 }), [SPOKE], { status: 422, code: 'brakes_mismatch', field: 'request.mintCapacity' }],
    ["a line's threshold above the signer count", brakes({ largeThreshold: 4 }), [SPOKE], { status: 422, code: 'invalid_brakes', field: 'request' }],
    ["a line's threshold below the DID's threshold", brakes({ largeThreshold: 1 }), [SPOKE], { status: 422, code: 'invalid_brakes', field: 'request' }],
    ['a bucket without refill', brakes({ mintRefillPerSecond: '0' }), [SPOKE], { status: 422, code: 'invalid_brakes', field: 'request' }],
    ['a line the receivers cannot store exactly', brakes({ largeAmount: '4294967297' }), [SPOKE], { status: 422, code: 'invalid_brakes', field: 'request' }],
    ['a chain other than the brakes', brakes(), [HUB], { status: 422, code: 'chain_mismatch', field: 'chainIds' }],
    ['more chains than the brakes', brakes(), [HUB, SPOKE], { status: 422, code: 'chain_mismatch', field: 'chainIds' }],
    ['an amount past uint128', brakes({ largeAmount: (1n << 128n).toString() }), [SPOKE], { status: 400, code: 'invalid_body', field: 'request.largeAmount' }],
  ])('refuses %s', async (_name, request, chains, expected) => {
    expect(await refusalOf(await sign(request, 5, chains))).toMatchObject(expected);
    expect(signer.store.count()).toBe(0);
  });

  it('refuses brakes the registry changed since, and signs the new ones as the next revision', async () => {
    expect((await sign(brakes(), 5, [SPOKE])).status).toBe(200);
    world.brakes.set(SPOKE, { ...REGISTRY_BRAKES, mintCapacity: 2_000_000n });
    expect(await refusalOf(await sign(brakes({ revision: 2 }), 6, [SPOKE]))).toEqual({ status: 422, code: 'brakes_mismatch', field: 'request.mintCapacity' });
    expect((await sign(brakes({ revision: 2, mintCapacity: '2000000' }), 6, [SPOKE])).status).toBe(200);
  });

  it('refuses brakes when it does not read the registry (503)', async () => {
    const plain = makeSigner(DEV_COMMITTEE_KEYS[1]!, world, undefined, { quorums: false });
    expect(await refusalOf(await signAt(plain.app, 'brakes', brakes(), 5, [SPOKE]))).toMatchObject({ status: 503, code: 'brakes_not_configured' });
  });
});
