import { beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { DEV_COMMITTEE_KEYS } from '../schemas/dev-keys.js';
import type { QuorumSnapshot, SignResponse } from '../schemas/committee.js';
import { attestationId, decodeMessage, encodeMessage } from '../schemas/message.js';
import { attestationOf } from '../core/attestation.js';
import { RemoteCommittee } from '../oracle/issue/committee/remote.js';
import { createMetrics } from '../oracle/metrics.js';
import { CHAINS, DID, DID_HASH, makeSigner, newWorld, refusalOf, signAt, type World } from '../testkit/committee.js';

// Unit test: the hub registry is an in-memory fake; signer service, store and HTTP app are the real ones.
let world: World;
let signer: ReturnType<typeof makeSigner>;
const HUB = 31337;
const SPOKE = 31338;

const sign = (request: unknown, nonce: number, chainIds: number[]) => signAt(signer.app, 'transportQuorum', request, nonce, chainIds);

const quorum = (over: Partial<QuorumSnapshot> = {}): QuorumSnapshot => ({ did: DID, chainId: SPOKE, revision: 1, k: 2, transports: 7, ...over });

beforeEach(() => {
  world = newWorld();
  world.quorums.set(SPOKE, { k: 2, transports: 7 });
  signer = makeSigner(DEV_COMMITTEE_KEYS[0]!, world);
});

describe('committee signer, transport quorum (kind 12)', () => {
  it("signs the registry's quorum of a chain for that chain only, the bytes the aggregator builds", async () => {
    const res = await sign(quorum(), 5, [SPOKE]);
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as SignResponse;
    const message = attestationOf({ kind: 'transportQuorum', request: quorum() }, DID_HASH, 5n);
    expect(body.attestationId).toBe(attestationId(encodeMessage(message)));
    expect(decodeMessage(encodeMessage(message))).toEqual({ kind: 'transportQuorum', did: DID_HASH, nonce: 5n, chainId: BigInt(SPOKE), k: 2, transports: 7 });
    expect(body.signatures.map((s) => s.chainId)).toEqual([SPOKE]);
  });

  it.each([
    ['another k', quorum({ k: 1 }), [SPOKE], { status: 422, code: 'quorum_mismatch', field: 'request.k' }],
    ['another mask', quorum({ transports: 3 }), [SPOKE], { status: 422, code: 'quorum_mismatch', field: 'request.transports' }],
    ['the ungated 0/0 while the registry gates', quorum({ k: 0, transports: 0 }), [SPOKE], { status: 422, code: 'quorum_mismatch', field: 'request.k' }],
    ['a k above the transports it counts', quorum({ k: 3, transports: 3 }), [SPOKE], { status: 422, code: 'invalid_transport_quorum', field: 'request.k' }],
    ['a chain other than the rule', quorum(), [HUB], { status: 422, code: 'chain_mismatch', field: 'chainIds' }],
    ['more chains than the rule', quorum(), [HUB, SPOKE], { status: 422, code: 'chain_mismatch', field: 'chainIds' }],
    ['a chain not enabled for the DID', quorum({ chainId: 31339 }), [31339], { status: 422, code: 'chain_not_enabled', field: 'chainIds' }],
    ['a mask past the three transports', quorum({ transports: 8 }), [SPOKE], { status: 400, code: 'invalid_body', field: 'request.transports' }],
  ])('refuses %s', async (_name, request, chains, expected) => {
    expect(await refusalOf(await sign(request, 5, chains))).toMatchObject(expected);
    expect(signer.store.count()).toBe(0);
  });

  it('refuses a quorum the registry changed since (even at a nonce it signed, for another chain list)', async () => {
    expect((await sign(quorum(), 5, [SPOKE])).status).toBe(200);
    world.quorums.set(SPOKE, { k: 1, transports: 2 });
    expect(await refusalOf(await sign(quorum({ revision: 2 }), 6, [SPOKE]))).toEqual({ status: 422, code: 'quorum_mismatch', field: 'request.k' });
    expect((await sign(quorum({ revision: 2, k: 1, transports: 2 }), 6, [SPOKE])).status).toBe(200);
  });

  it('refuses kind 12 (503) when it does not read the transport quorums', async () => {
    const plain = makeSigner(DEV_COMMITTEE_KEYS[1]!, world, undefined, { quorums: false });
    expect(await refusalOf(await signAt(plain.app, 'transportQuorum', quorum(), 5, [SPOKE]))).toMatchObject({ status: 503, code: 'quorums_not_configured' });
  });
});

describe('remote committee over kind 12', () => {
  it('reaches quorum only with signers whose registry holds the same rule', async () => {
    const skewed = newWorld();
    skewed.quorums.set(SPOKE, { k: 1, transports: 7 });
    const apps = [makeSigner(DEV_COMMITTEE_KEYS[0]!, world), makeSigner(DEV_COMMITTEE_KEYS[1]!, skewed), makeSigner(DEV_COMMITTEE_KEYS[2]!, skewed)];
    const urls = apps.map((_, i) => `http://signer-${i + 1}.test`);
    const committee = new RemoteCommittee({
      urls,
      timeoutMs: 2_000,
      metrics: createMetrics(),
      logger: pino({ level: 'silent' }),
      fetch: async (url, init) => apps[urls.indexOf(new URL(url).origin)]!.app.request(url, init),
    });
    const source = { kind: 'transportQuorum' as const, request: quorum() };
    const message = attestationOf(source, DID_HASH, 5n);
    const spoke = { chainId: BigInt(SPOKE), receiver: CHAINS[1].receiver };
    await expect(committee.sign({ message, source, destinations: [spoke], signers: world.record.signers, threshold: 2 })).rejects.toThrow(/quorum_mismatch/);
  });
});
