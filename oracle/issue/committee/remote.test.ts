import { beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Hono } from 'hono';
import { concat, hexToBigInt, numberToHex, recoverTypedDataAddress, sliceHex, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { pino } from 'pino';
import { DEV_COMMITTEE_KEYS, DEV_OUTSIDER_KEY } from '../../../schemas/dev-keys.js';
import { attestationDomain, attestationTypes } from '../../../schemas/eip712.js';
import { attestationId, attestationTypedMessage, decodeMessage, encodeMessage, type AttestationMessage } from '../../../schemas/message.js';
import type { SettlementRequest } from '../../../schemas/http.js';
import type { DidHash } from '../../../schemas/ids.js';
import type { SignRequest, SignResponse } from '../../../schemas/committee.js';
import { openDb } from '../../../common/sqlite.js';
import { navAttestation, settlementAttestation } from '../../../core/attestation.js';
import { createMetrics, type OracleMetrics } from '../../metrics.js';
import { OracleService } from '../../intake/settlement-service.js';
import { createApp } from '../../api/app.js';
import * as oracleSchema from '../../store/schema.js';
import { AttestationStore } from '../../store/attestations.js';
import { CHAINS, COMMITTEE, DID_HASH, HUB, NOW, OPEN_HOLDINGS, REGISTRY, fakeChains, fakeRegistry, makeSigner, navBody, newWorld, settlementBody, tempDb, type World } from '../../../testkit/committee.js';
import { RemoteCommittee, type FetchLike } from './remote.js';
import { QuorumUnavailableError, type QuorumRequest } from '../../../core/committee-port.js';

// Unit test: signers are real SignerService + SQLite + hono apps reached through app.request; only the network
// between aggregator and signers is simulated (down, hanging, or a rogue signer app).
type Peer = Hono | 'down' | 'hang';
let world: World;
let peers: Map<string, Peer>;
let metrics: OracleMetrics;

const URLS = ['http://signer-1.test', 'http://signer-2.test', 'http://signer-3.test', 'http://signer-4.test'];
const network: FetchLike = async (url, init) => {
  const peer = peers.get(new URL(url).origin);
  if (!peer || peer === 'down') throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
  if (peer === 'hang') {
    return new Promise((_, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true }));
  }
  return peer.request(url, init);
};

function committee(urls: string[], timeoutMs = 2_000) {
  return new RemoteCommittee({ urls, timeoutMs, metrics, logger: pino({ level: 'silent' }), fetch: network });
}

const destination = (chainId: number) => {
  const c = CHAINS.find((x) => x.chainId === chainId)!;
  return { chainId: BigInt(chainId), receiver: c.receiver as Address };
};

async function settlementRequest(nonce = 1n, over: Parameters<typeof settlementBody>[0] = {}): Promise<QuorumRequest> {
  const body = await settlementBody(over);
  return { message: settlementAttestation(body, DID_HASH, nonce), source: { kind: 'settlement', request: body }, destinations: [destination(body.chainId)], signers: COMMITTEE, threshold: 2 };
}

async function signersOf(message: AttestationMessage, chainId: number, receiver: Address, packed: Hex): Promise<Address[]> {
  const typed = attestationTypedMessage(message);
  const out: Address[] = [];
  for (let i = 0; i < (packed.length - 2) / 130; i++) {
    const signature = sliceHex(packed, i * 65, (i + 1) * 65);
    out.push(
      await recoverTypedDataAddress({ domain: attestationDomain(BigInt(chainId), receiver), types: attestationTypes, primaryType: typed.primaryType, message: typed.message, signature } as Parameters<
        typeof recoverTypedDataAddress
      >[0]),
    );
  }
  return out;
}

const ascending = (xs: Address[]) => xs.every((x, i) => i === 0 || BigInt(xs[i - 1]!) < BigInt(x));
const counter = async (m: OracleMetrics[keyof OracleMetrics], labels: Record<string, string>) =>
  ((await (m as OracleMetrics['signerCalls']).get()).values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k as never] === val))?.value ?? 0);

/** A signer app that answers with whatever `respond` returns (a buggy signer). */
function rogue(respond: (req: SignRequest) => Promise<SignResponse | Record<string, unknown>>): Hono {
  const app = new Hono();
  app.post('/v1/sign', async (c) => c.json(await respond((await c.req.json()) as SignRequest)));
  return app;
}

/** A compromised signer: builds the right message, claims to be `claimed`, and signs it however `sign` does. */
const rogueSigner = (claimed: Address, sign: (m: AttestationMessage) => Promise<Hex>) =>
  rogue(async (r) => {
    const m = settlementAttestation(r.request as unknown as SettlementRequest, DID_HASH, BigInt(r.nonce));
    return { signer: claimed, attestationId: attestationId(encodeMessage(m)), signatures: [{ chainId: 31338, receiver: CHAINS[1].receiver, signature: await sign(m) }] };
  });

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** Signs `message` for one chain with `key`: what an honest signer with that key would return. */
async function signWith(key: Hex, message: AttestationMessage, chainId: number) {
  const dest = destination(chainId);
  const typed = attestationTypedMessage(message);
  return privateKeyToAccount(key).signTypedData({ domain: attestationDomain(dest.chainId, dest.receiver), types: attestationTypes, primaryType: typed.primaryType, message: typed.message } as Parameters<
    ReturnType<typeof privateKeyToAccount>['signTypedData']
  >[0]);
}

describe('RemoteCommittee', () => {
  beforeEach(() => {
    world = newWorld();
    world.holdings.set(31338, OPEN_HOLDINGS);
    metrics = createMetrics();
    peers = new Map(DEV_COMMITTEE_KEYS.map((k, i) => [URLS[i]!, makeSigner(k, world).app]));
  });

  it('packs exactly threshold signatures of the DID signers, by ascending signer address', async () => {
    const req = await settlementRequest();
    const [packed] = await committee(URLS.slice(0, 3)).sign(req);
    expect(packed).toMatchObject({ chainId: 31338, receiver: CHAINS[1].receiver });
    expect((packed!.signatures.length - 2) / 2).toBe(2 * 65);
    const signers = await signersOf(req.message, 31338, CHAINS[1].receiver, packed!.signatures);
    expect(ascending(signers)).toBe(true);
    for (const s of signers) expect(COMMITTEE).toContain(s);
    // The lowest two addresses of those that answered.
    expect(signers).toEqual([...COMMITTEE].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)).slice(0, 2));
  });

  it('asks each signer once for all chains of a NAV and packs a quorum per chain', async () => {
    const body = await navBody();
    const message = navAttestation(body, DID_HASH, 1n);
    const packed = await committee(URLS.slice(0, 3)).sign({ message, source: { kind: 'nav', request: body }, destinations: [destination(31337), destination(31338)], signers: COMMITTEE, threshold: 2 });
    expect(packed.map((p) => p.chainId)).toEqual([31337, 31338]);
    for (const p of packed) {
      const signers = await signersOf(message, p.chainId, p.receiver, p.signatures);
      expect(signers).toHaveLength(2);
      expect(ascending(signers)).toBe(true);
    }
  });

  it('presents each signer its own bearer token; a signer given the wrong one refuses (401) and does not count', async () => {
    const tokens = ['1', '2', '3'].map((c) => c.repeat(32));
    peers = new Map(DEV_COMMITTEE_KEYS.map((k, i) => [URLS[i]!, makeSigner(k, world, undefined, { quorums: true, authToken: tokens[i]! }).app]));
    const withTokens = (ts: string[]) => new RemoteCommittee({ urls: URLS.slice(0, 3), timeoutMs: 2_000, tokens: ts, metrics, logger: pino({ level: 'silent' }), fetch: network });
    const [packed] = await withTokens(tokens).sign(await settlementRequest());
    expect((packed!.signatures.length - 2) / 130).toBe(2);
    // Signers 1 and 2 swapped: both refuse, one signature is not a quorum.
    await expect(withTokens([tokens[1]!, tokens[0]!, tokens[2]!]).sign(await settlementRequest(2n))).rejects.toBeInstanceOf(QuorumUnavailableError);
  });

  it('reaches quorum with one signer down: a down signer only lowers availability', async () => {
    peers.set(URLS[0]!, 'down');
    const req = await settlementRequest();
    const [packed] = await committee(URLS.slice(0, 3)).sign(req);
    const signers = await signersOf(req.message, 31338, CHAINS[1].receiver, packed!.signatures);
    expect(signers.sort()).toEqual([COMMITTEE[1]!, COMMITTEE[2]!].sort());
    expect(await counter(metrics.signerCalls, { signer: URLS[0]!, outcome: 'unreachable' })).toBe(1);
  });

  it('answers as soon as the quorum is met, without waiting for a hanging signer', async () => {
    peers.set(URLS[2]!, 'hang');
    const started = performance.now();
    await committee(URLS.slice(0, 3), 60_000).sign(await settlementRequest());
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await counter(metrics.signerCalls, { signer: URLS[2]!, outcome: 'cancelled' })).toBe(1);
  });

  it('gives up on a hanging signer at its deadline and reports no quorum', async () => {
    peers.set(URLS[1]!, 'hang');
    peers.set(URLS[2]!, 'down');
    const err = await committee(URLS.slice(0, 3), 100).sign(await settlementRequest()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuorumUnavailableError);
    expect((err as Error).message).toMatch(/1 valid committee signature\(s\) for chain 31338, 2 required/);
    expect((err as Error).message).toMatch(/signer 2: timeout/);
    expect((err as Error).message).toMatch(/signer 3: unreachable/);
    expect(await counter(metrics.signerCalls, { signer: URLS[1]!, outcome: 'timeout' })).toBe(1);
  });

  it('does not count a signer that refuses (equivocation)', async () => {
    const c = committee(URLS.slice(0, 3));
    await c.sign(await settlementRequest(5n, { settlementRef: 'FIRST' }));
    // Nonce 5 is signed for FIRST by signers 1 and 2 (signer 3 was cancelled or signed too); another message at 5:
    peers.set(URLS[2]!, 'down');
    const err = await c.sign(await settlementRequest(5n, { settlementRef: 'SECOND' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuorumUnavailableError);
    expect((err as Error).message).toMatch(/refused \(equivocation\)/);
    expect(await counter(metrics.signerCalls, { signer: URLS[0]!, outcome: 'refused' })).toBe(1);
  });

  it('ignores and counts signatures from keys outside the signer set, lying signers, high-s and other messages', async () => {
    const outsider = privateKeyToAccount(DEV_OUTSIDER_KEY).address;
    const highS = async (m: AttestationMessage) => {
      // Committee member 2's genuine signature turned into its high-s twin: valid ECDSA, rejected by the receiver.
      const sig = await signWith(DEV_COMMITTEE_KEYS[1]!, m, 31338);
      const s = SECP256K1_N - hexToBigInt(sliceHex(sig, 32, 64));
      const v = Number(hexToBigInt(sliceHex(sig, 64, 65))) === 27 ? 28 : 27;
      return concat([sliceHex(sig, 0, 32), numberToHex(s, { size: 32 }), numberToHex(v, { size: 1 })]);
    };
    peers.set(URLS[1]!, rogueSigner(outsider, (m) => signWith(DEV_OUTSIDER_KEY, m, 31338)));
    peers.set(URLS[2]!, rogueSigner(COMMITTEE[2]!, (m) => signWith(DEV_OUTSIDER_KEY, m, 31338)));
    peers.set(URLS[3]!, rogueSigner(COMMITTEE[1]!, highS));
    const err = await committee(URLS).sign(await settlementRequest()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuorumUnavailableError);
    expect((err as Error).message).toMatch(/^1 valid committee signature/);
    expect(await counter(metrics.signaturesRejected, { signer: URLS[1]!, reason: 'not_in_signer_set' })).toBe(1);
    expect(await counter(metrics.signaturesRejected, { signer: URLS[2]!, reason: 'signer_mismatch' })).toBe(1);
    expect(await counter(metrics.signaturesRejected, { signer: URLS[3]!, reason: 'high_s' })).toBe(1);

    // With a second honest signer back, the quorum is the two honest ones, never a rogue signature.
    peers.set(URLS[1]!, makeSigner(DEV_COMMITTEE_KEYS[1]!, world).app);
    const req = await settlementRequest(2n, { settlementRef: 'REF-2' });
    const [packed] = await committee(URLS).sign(req);
    expect((await signersOf(req.message, 31338, CHAINS[1].receiver, packed!.signatures)).sort()).toEqual([COMMITTEE[0]!, COMMITTEE[1]!].sort());
  });

  it('ignores a signer that signed another message or answered garbage', async () => {
    peers.set(URLS[1]!, rogue(async () => ({ signer: COMMITTEE[1]!, attestationId: `0x${'ab'.repeat(32)}`, signatures: [] })));
    peers.set(URLS[2]!, rogue(async () => ({ hello: 'world' })));
    const err = await committee(URLS.slice(0, 3)).sign(await settlementRequest()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuorumUnavailableError);
    expect(await counter(metrics.signerCalls, { signer: URLS[1]!, outcome: 'message_mismatch' })).toBe(1);
    expect(await counter(metrics.signerCalls, { signer: URLS[2]!, outcome: 'bad_response' })).toBe(1);
  });
});

describe('oracle API with a remote committee', () => {
  let store: AttestationStore;
  let app: Hono;

  beforeEach(() => {
    world = newWorld();
    world.holdings.set(31338, OPEN_HOLDINGS);
    metrics = createMetrics();
    peers = new Map(DEV_COMMITTEE_KEYS.map((k, i) => [URLS[i]!, makeSigner(k, world).app]));
    const { db } = openDb(tempDb('oracle-remote-test'), oracleSchema, join(import.meta.dirname, '..', '..', 'store', 'migrations'));
    store = new AttestationStore(db);
    const registry = { ...fakeRegistry(world), ping: async () => true };
    const chains = fakeChains(world);
    const destinations = {
      get: chains.get,
      balanceOf: chains.balanceOf,
      isApplied: async () => false,
      settlementState: async () => 'pending' as const,
      transportQuorumStatus: async () => undefined,
      moveOutcomeOf: async () => 'none' as const,
      // The aggregator's own pre-checks: configured, allow-listed, under the reserve cap, holdings from the world.
      holdingsState: async (chainId: number, d: DidHash, investor?: Address) => ({
        configured: true,
        totalSupply: 0n,
        supplyCap: 10n ** 30n,
        paused: false,
        investorAllowed: true,
        investorBalance: investor ? await chains.balanceOf(chainId, d, investor) : 0n,
      }),
    };
    const logger = pino({ level: 'silent' });
    const service = new OracleService({
      registry,
      registryAddress: REGISTRY,
      hubChainId: BigInt(HUB),
      destinations,
      committee: committee(URLS.slice(0, 3)),
      store,
      metrics,
      logger,
      now: () => BigInt(NOW),
      maxFutureSkewSeconds: 300,
    });
    app = createApp({
      service,
      store,
      destinations,
      registry,
      metrics,
      logger,
      dids: { members: { custodiansOf: async () => [], navPublishersOf: async () => [] }, hubChainId: BigInt(HUB), registryAddress: REGISTRY, publicUrl: undefined },
    });
  });

  const post = (path: string, body: unknown) => app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('answers 503 quorum_unavailable and stores nothing below threshold, then signs the same request at the same nonce', async () => {
    peers.set(URLS[1]!, 'down');
    peers.set(URLS[2]!, 'down');
    const refused = await post('/v1/settlements', await settlementBody());
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('quorum_unavailable');
    expect(store.count()).toBe(0);

    // Signer 1 signed nonce 1 already; once a second signer is back the retry reuses nonce 1 and the same message.
    peers.set(URLS[1]!, makeSigner(DEV_COMMITTEE_KEYS[1]!, world).app);
    const ok = await post('/v1/settlements', await settlementBody());
    expect(ok.status).toBe(201);
    const body = (await ok.json()) as { nonce: string; message: Hex; deliveries: { chainId: number; receiver: Address; signatures: Hex }[] };
    expect(body.nonce).toBe('1');
    const signers = await signersOf(decodeMessage(body.message), 31338, body.deliveries[0]!.receiver, body.deliveries[0]!.signatures);
    expect(signers.sort()).toEqual([COMMITTEE[0]!, COMMITTEE[1]!].sort());
    expect(store.count()).toBe(1);
  });

  it('signs a NAV for every chain with two of three signers up', async () => {
    peers.set(URLS[0]!, 'down');
    const res = await post('/v1/nav', await navBody());
    expect(res.status).toBe(201);
    const body = (await res.json()) as { deliveries: { chainId: number }[] };
    expect(body.deliveries.map((d) => d.chainId)).toEqual([31337, 31338]);
  });
});
