import { beforeEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { keccak256, stringToBytes, type Address } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import pino from 'pino';
import { openDb } from '../../common/sqlite.js';
import * as schema from '../store/schema.js';
import { AttestationStore } from '../store/attestations.js';
import { OracleService } from '../intake/settlement-service.js';
import { Committee } from '../issue/committee/local.js';
import { createMetrics, type OracleMetrics } from '../metrics.js';
import { createApp } from './app.js';
import { attestationView } from './views.js';
import { ReadSide } from './read/side.js';
import type { DidRecord, RegistryPort } from '../../core/chain/registry.js';
import type { DestinationsPort } from '../../core/chain/destinations.js';
import { DEV_COMMITTEE_KEYS, DEV_CUSTODIAN_KEY, DEV_ISSUER_KEY, DEV_SIGNERS_VALID_UNTIL } from '../../schemas/dev-keys.js';
import { didHash, type DidString } from '../../schemas/ids.js';
import { signSettlement } from '../../clients/custodian.js';

// Unit test of the public read limits and caches through the real app: fakes for the chains, a real SQLite store,
// the read side's clock held by the test. Each request names its TCP peer as @hono/node-server would.
const DID = 'did:rwa:test:reads';
const DID_HASH = didHash(DID as DidString);
const NOW = 1_800_000_000;
const HUB = 31337;
const REGISTRY: Address = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const committee = DEV_COMMITTEE_KEYS.map((k) => privateKeyToAccount(k).address);
const custodian = privateKeyToAccount(DEV_CUSTODIAN_KEY).address;
const chains = [{ name: 'hub', chainId: HUB, rpcUrl: 'http://x', receiver: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512', confirmations: 0 }];
const record: DidRecord = {
  did: DID,
  name: 'Reads',
  symbol: 'RD', signersValidUntil: DEV_SIGNERS_VALID_UNTIL,
  issuer: privateKeyToAccount(DEV_ISSUER_KEY).address,
  navDecimals: 8,
  tokenDecimals: 6,
  threshold: 2,
  heartbeat: 86_400,
  maxNavMoveBps: 500,
  signers: committee,
  chainIds: [BigInt(HUB)],
};
const RATE = 2;
const BURST = 3;
const CACHE_MS = 1_000;

let app: ReturnType<typeof createApp>;
let store: AttestationStore;
let metrics: OracleMetrics;
let now: number;
let chainCalls: { getDid: number; isApplied: number };
let applied: boolean;

function setup(global = { rate: 1_000, burst: 1_000 }, tokenBytes?: number) {
  const dbFile = join(process.env.TMPDIR ?? '/tmp', `oracle-reads-${process.pid}-${Math.random().toString(16).slice(2)}.sqlite`);
  store = new AttestationStore(openDb(dbFile, schema, join(import.meta.dirname, '..', 'store', 'migrations')).db);
  now = 5_000_000;
  chainCalls = { getDid: 0, isApplied: 0 };
  applied = false;
  const registry: RegistryPort = {
    getDid: async (h) => (chainCalls.getDid++, h === DID_HASH ? record : undefined),
    isCustodian: async (_h, a) => a === custodian,
    isNavPublisher: async () => false,
    ping: async () => true,
  };
  const destinations: DestinationsPort = {
    get: (id) => chains.find((c) => c.chainId === id),
    isApplied: async () => (chainCalls.isApplied++, applied),
    settlementState: async () => (chainCalls.isApplied++, applied ? 'applied' : 'pending'),
    transportQuorumStatus: async () => undefined,
    moveOutcomeOf: async () => 'none',
    balanceOf: async () => 0n,
    holdingsState: async () => ({ configured: true, totalSupply: 0n, supplyCap: 10n ** 18n, paused: false, investorAllowed: true, investorBalance: 0n }),
  };
  metrics = createMetrics();
  const logger = pino({ level: 'silent' });
  const service = new OracleService({ registry, registryAddress: REGISTRY, hubChainId: BigInt(HUB), destinations, committee: new Committee(DEV_COMMITTEE_KEYS), store, metrics, logger, now: () => BigInt(NOW), maxFutureSkewSeconds: 300 });
  const reads = new ReadSide({ cacheMs: CACHE_MS, chainConcurrency: 2, perClient: { rate: RATE, burst: BURST }, global, trustedClients: ['10.0.0.9'], clientHeader: undefined, tokenBytes }, metrics, () => now);
  app = createApp({
    service,
    store,
    destinations,
    registry,
    metrics,
    logger,
    reads,
    dids: { registry: reads.registry(registry), members: reads.members({ custodiansOf: async () => [custodian], navPublishersOf: async () => [] }), hubChainId: BigInt(HUB), registryAddress: REGISTRY, publicUrl: undefined },
  });
}

/** A request from `ip`, as the node server hands it to hono (c.env.incoming.socket). */
const from = (ip: string, path: string, init?: RequestInit) => app.request(path, init, { incoming: { socket: { remoteAddress: ip } } });
const settle = async (ip: string, ref: string) => {
  const body = await signSettlement(DEV_CUSTODIAN_KEY, { hubChainId: HUB, registry: REGISTRY }, {
    did: DID,
    chainId: HUB,
    kind: 'subscription',
    settlementRef: ref,
    investor: '0x90F79bf6EB2c4f870365E785982E1f101E93b906',
    amount: '1000',
    cashLegRef: keccak256(stringToBytes(ref)),
    settledAt: NOW - 60,
  });
  return from(ip, '/v1/settlements', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
};

describe('public read limits', () => {
  beforeEach(() => setup());

  it('answers a client over its limit 429 with Retry-After and a JSON error, and lets it in again after that', async () => {
    for (let i = 0; i < BURST; i++) expect((await from('10.0.0.1', '/v1/attestations')).status).toBe(200);
    const refused = await from('10.0.0.1', '/v1/attestations');
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBe(Math.ceil(1 / RATE));
    expect(await refused.json()).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    expect((await from('10.0.0.1', `/v1/dids/${DID}`)).status).toBe(429); // the limit is the client's, over every route
    expect((await from('10.0.0.2', '/v1/attestations')).status).toBe(200); // another client is not affected
    now += retryAfter * 1000;
    expect((await from('10.0.0.1', '/v1/attestations')).status).toBe(200);
    expect(await metrics.readLimited.get()).toMatchObject({ values: [{ labels: { scope: 'client' }, value: 2 }] });
  });

  it('never limits the signed write routes, /health, or a trusted client', async () => {
    for (let i = 0; i < BURST + 1; i++) await from('10.0.0.1', '/metrics');
    expect((await from('10.0.0.1', '/metrics')).status).toBe(429);
    expect((await settle('10.0.0.1', 'W-1')).status).toBe(201);
    expect((await settle('10.0.0.1', 'W-2')).status).toBe(201);
    expect((await from('10.0.0.1', '/health')).status).toBe(200);
    for (let i = 0; i < 3 * BURST; i++) expect((await from('10.0.0.9', '/v1/attestations')).status).toBe(200);
  });

  it('documents the 429 on every limited read in the OpenAPI document', async () => {
    const doc = (await (await from('10.0.0.3', '/openapi.json')).json()) as { paths: Record<string, { get?: { responses: Record<string, { headers?: object }> }; post?: { responses: Record<string, unknown> } }> };
    const gets = Object.entries(doc.paths).filter(([, item]) => item.get);
    expect(gets.length).toBeGreaterThan(4);
    for (const [path, item] of gets) expect(Boolean(item.get!.responses['429']?.headers), path).toBe(path !== '/health');
    for (const item of Object.values(doc.paths)) expect(item.post?.responses['429']).toBeUndefined();
  });

  it('bounds all readers together: past the global budget every anonymous client gets 429', async () => {
    setup({ rate: 1, burst: 4 });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await from(`10.0.1.${i}`, '/v1/attestations')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    expect((await settle('10.0.1.0', 'W-3')).status).toBe(201);
  });
});

describe('public read limits by size', () => {
  it("charges a large answer to the reader's budget and the global one by its size, one token per tokenBytes", async () => {
    const TOKEN_BYTES = 128;
    setup({ rate: 1_000, burst: 1_000 }, TOKEN_BYTES);
    expect((await settle('10.0.8.1', 'B-1')).status).toBe(201);
    // A feed page of one attestation, read by a trusted client (never charged) to learn its size.
    const bytes = (await (await from('10.0.0.9', '/v1/attestations')).arrayBuffer()).byteLength;
    const weight = Math.ceil(bytes / TOKEN_BYTES);
    expect(weight).toBeGreaterThanOrEqual(BURST);
    // BURST tokens: the page passes (the bucket goes into debt by weight - BURST), the next read does not.
    expect((await from('10.0.8.2', '/v1/attestations')).status).toBe(200);
    const refused = await from('10.0.8.2', `/v1/dids/${DID}`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBe(Math.ceil((1 - (BURST - weight)) / RATE));
    // A reader of small answers is not charged beyond one token per read.
    for (let i = 0; i < BURST; i++) expect((await from('10.0.8.3', `/v1/dids/${DID}`)).status).toBe(200);
    expect((await from('10.0.8.3', `/v1/dids/${DID}`)).status).toBe(429);
  });

  it('counts the size against the global budget too', async () => {
    setup({ rate: 1, burst: 4 }, 128);
    expect((await settle('10.0.9.1', 'B-2')).status).toBe(201);
    const bytes = (await (await from('10.0.0.9', '/v1/attestations')).arrayBuffer()).byteLength;
    expect(Math.ceil(bytes / 128)).toBeGreaterThanOrEqual(4);
    expect((await from('10.0.9.2', '/v1/attestations')).status).toBe(200);
    expect((await from('10.0.9.3', `/v1/dids/${DID}`)).status).toBe(429); // another client: the global budget is spent
  });
});

describe('cached public reads', () => {
  beforeEach(() => setup());

  it('serves concurrent readers of a DID document from one chain read, and reads again once the bound has passed', async () => {
    const docs = await Promise.all(Array.from({ length: 20 }, (_, i) => from(`10.0.2.${i}`, `/v1/dids/${DID}`)));
    expect(docs.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(chainCalls.getDid).toBe(1);
    now += CACHE_MS;
    expect((await from('10.0.3.1', `/v1/dids/${DID}`)).status).toBe(200);
    expect(chainCalls.getDid).toBe(2);
  });

  it("shows a delivery's applied state at most ORACLE_READ_CACHE_MS late", async () => {
    const id = ((await (await settle('10.0.0.5', 'S-1')).json()) as { id: string }).id;
    const state = async (ip: string) => ((await (await from(ip, `/v1/attestations/${id}`)).json()) as { delivery: { state: string }[] }).delivery[0]!.state;
    expect(await state('10.0.4.1')).toBe('pending');
    applied = true;
    expect(await state('10.0.4.2')).toBe('pending'); // within the bound: the kept answer
    expect(chainCalls.isApplied).toBe(1);
    now += CACHE_MS;
    expect(await state('10.0.4.3')).toBe('applied');
  });

  it('shows a new attestation in the feed to a trusted reader at once, to anonymous readers within the bound', async () => {
    const items = async (ip: string) => ((await (await from(ip, '/v1/attestations?limit=500')).json()) as { items: unknown[] }).items.length;
    expect(await items('10.0.0.9')).toBe(0);
    expect(await items('10.0.5.1')).toBe(0);
    expect((await settle('10.0.5.1', 'F-1')).status).toBe(201);
    expect(await items('10.0.0.9')).toBe(1); // the relayer's view: at once
    expect(await items('10.0.5.2')).toBe(0); // anonymous: the kept page, within the bound
    now += CACHE_MS;
    expect(await items('10.0.5.3')).toBe(1);
    expect(await items('10.0.5.4')).toBe(1);
    expect(await metrics.readCache.get()).toMatchObject({ values: expect.arrayContaining([{ labels: { cache: 'feed', outcome: 'hit' }, value: 2 }]) });
  });

  it('builds a full feed page once for every reader however long they read, and serves it unchanged as the feed grows', async () => {
    const build = vi.spyOn(store, 'page');
    const page = async (ip: string, after: number) => (await from(ip, `/v1/attestations?after=${after}&limit=2`)).text();
    const seqs = (text: string) => (JSON.parse(text) as { items: { seq: number }[] }).items.map((i) => i.seq);
    expect((await settle('10.0.6.1', 'P-1')).status).toBe(201);
    expect(seqs(await page('10.0.6.1', 0))).toEqual([1]); // not full yet: kept only within the bound
    expect((await settle('10.0.6.1', 'P-2')).status).toBe(201);
    now += CACHE_MS;
    const full = await page('10.0.6.2', 0);
    expect(seqs(full)).toEqual([1, 2]);
    expect(build).toHaveBeenCalledTimes(2);
    // Past many cache intervals, new attestations, anonymous and trusted readers alike: the same page, never rebuilt.
    expect((await settle('10.0.6.1', 'P-3')).status).toBe(201);
    for (let i = 0; i < 5; i++) {
      now += CACHE_MS;
      expect(await page(`10.0.7.${i}`, 0)).toBe(full);
      expect(await page('10.0.0.9', 0)).toBe(full);
    }
    expect(build).toHaveBeenCalledTimes(2);
    // It is what a fresh build reads from the store, and the new attestation is on the next page.
    expect(JSON.parse(full)).toEqual(JSON.parse(JSON.stringify({ items: store.page(0, 2).map((p) => attestationView(p.row, p.deliveries)), next: 2 })));
    expect(seqs(await page('10.0.0.9', 2))).toEqual([3]);
    expect(await metrics.readCache.get()).toMatchObject({ values: expect.arrayContaining([{ labels: { cache: 'feed_full', outcome: 'kept' }, value: 1 }]) });
  });
});
