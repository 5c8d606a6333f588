import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { join } from 'node:path';
import { keccak256, stringToBytes, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import pino from 'pino';
import { openDb } from '../../common/sqlite.js';
import * as schema from '../store/schema.js';
import { AttestationStore } from '../store/attestations.js';
import { OracleService } from '../intake/settlement-service.js';
import { Committee } from '../issue/committee/local.js';
import { createMetrics } from '../metrics.js';
import { createApp } from './app.js';
import type { DidRecord, RegistryPort } from '../../core/chain/registry.js';
import type { DestinationsPort, TransportQuorumStatus } from '../../core/chain/destinations.js';
import { DEV_COMMITTEE_KEYS, DEV_CUSTODIAN_KEY, DEV_NAV_PUBLISHER_KEY, DEV_OUTSIDER_KEY, DEV_ISSUER_KEY, DEV_SIGNERS_VALID_UNTIL } from '../../schemas/dev-keys.js';
import { didHash, type DidString } from '../../schemas/ids.js';
import { signNav, signSettlement, type CustodianDomain } from '../../clients/custodian.js';
import { decodeMessage } from '../../schemas/message.js';
import { recoverTypedDataAddress } from 'viem';
import { attestationDomain, attestationTypes } from '../../schemas/eip712.js';
import { attestationTypedMessage } from '../../schemas/message.js';

// Unit test: the hub registry and destination chains are in-memory fakes; the store is a real SQLite file.
const DID = 'did:rwa:test:fund-a';
const DID_HASH = didHash(DID as DidString);
const NOW = 1_800_000_000;
const HUB = 31337;
const REGISTRY: Address = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const domain: CustodianDomain = { hubChainId: HUB, registry: REGISTRY };
const committeeAddrs = DEV_COMMITTEE_KEYS.map((k) => privateKeyToAccount(k).address);
const custodianAddr = privateKeyToAccount(DEV_CUSTODIAN_KEY).address;
const publisherAddr = privateKeyToAccount(DEV_NAV_PUBLISHER_KEY).address;
const chains = [
  { name: 'hub', chainId: 31337, rpcUrl: 'http://x', receiver: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512', confirmations: 0 },
  { name: 'spoke', chainId: 31338, rpcUrl: 'http://y', receiver: '0x5FbDB2315678afecb367f032d93F642f64180aa3', confirmations: 0 },
];
const record: DidRecord = {
  did: DID,
  name: 'Fund A',
  symbol: 'FA', signersValidUntil: DEV_SIGNERS_VALID_UNTIL,
  issuer: privateKeyToAccount(DEV_ISSUER_KEY).address,
  navDecimals: 8,
  tokenDecimals: 6,
  threshold: 2,
  heartbeat: 86_400,
  maxNavMoveBps: 500,
  signers: committeeAddrs,
  chainIds: [31337n, 31338n],
};

let store: AttestationStore;
let app: ReturnType<typeof createApp>;
let balances: Map<string, bigint>;
let cap: bigint;
let paused: boolean;
let blocked: Set<string>;
/** Transport quorum status per chain id, as the destination's gate would report it. */
let quorums: Map<number, TransportQuorumStatus>;
let dbFile: string;
/** Nonces the chains have used, as `${chainId}:${nonce}`; chain supply per chain id. */
let applied: Set<string>;
/** Nonces the chains' brakes queued (used, not applied until drained), as `${chainId}:${nonce}`. */
let queued: Set<string>;
let supply: Map<number, bigint>;

function setup() {
  dbFile = join(process.env.TMPDIR ?? '/tmp', `oracle-test-${process.pid}-${Math.random().toString(16).slice(2)}.sqlite`);
  const { db } = openDb(dbFile, schema, join(import.meta.dirname, '..', 'store', 'migrations'));
  store = new AttestationStore(db);
  balances = new Map();
  cap = 10n ** 18n;
  paused = false;
  blocked = new Set();
  quorums = new Map();
  applied = new Set();
  queued = new Set();
  supply = new Map();
  const registry: RegistryPort = {
    getDid: async (h) => (h === DID_HASH ? record : undefined),
    isCustodian: async (_h, a) => a === privateKeyToAccount(DEV_CUSTODIAN_KEY).address,
    isNavPublisher: async (_h, a) => a === privateKeyToAccount(DEV_NAV_PUBLISHER_KEY).address,
    ping: async () => true,
  };
  const destinations: DestinationsPort = {
    get: (id) => chains.find((c) => c.chainId === id),
    isApplied: async (chainId, _d, nonce) => applied.has(`${chainId}:${nonce}`) || queued.has(`${chainId}:${nonce}`),
    settlementState: async (chainId, _d, nonce) => (queued.has(`${chainId}:${nonce}`) ? 'queued' : applied.has(`${chainId}:${nonce}`) ? 'applied' : 'pending'),
    transportQuorumStatus: async (chainId) => quorums.get(chainId),
    moveOutcomeOf: async () => 'none' as const,
    balanceOf: async (chainId, _d, investor) => balances.get(`${chainId}:${investor}`) ?? 0n,
    holdingsState: async (chainId, _d, investor) => ({
      configured: true,
      totalSupply: supply.get(chainId) ?? 0n,
      supplyCap: cap,
      paused,
      investorAllowed: investor !== undefined && !blocked.has(investor),
      investorBalance: investor ? (balances.get(`${chainId}:${investor}`) ?? 0n) : 0n,
    }),
  };
  const metrics = createMetrics();
  const logger = pino({ level: 'silent' });
  const service = new OracleService({
    registry,
    registryAddress: REGISTRY,
    hubChainId: BigInt(HUB),
    destinations,
    committee: new Committee(DEV_COMMITTEE_KEYS),
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
    dids: {
      members: { custodiansOf: async () => [custodianAddr], navPublishersOf: async () => [publisherAddr] },
      hubChainId: BigInt(HUB),
      registryAddress: REGISTRY,
      publicUrl: undefined,
      signerSets: { view: () => ({ dids: [], governance: [{ chainId: 31338, signersValidUntil: 2_000_000_000, secondsLeft: 86_400 }], asOf: 1_999_913_600 }) },
    },
  });
}

const investor: Address = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const settlement = (over: Partial<Parameters<typeof signSettlement>[2]> = {}, key: Hex = DEV_CUSTODIAN_KEY) =>
  signSettlement(key, domain, {
    did: DID,
    chainId: 31338,
    kind: 'subscription',
    settlementRef: 'REF-1',
    investor,
    amount: '1000000',
    cashLegRef: keccak256(stringToBytes('wire')),
    settledAt: NOW - 60,
    ...over,
  });

const post = (path: string, body: unknown, contentType = 'application/json') =>
  app.request(path, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });

async function errorOf(res: Response) {
  const j = (await res.json()) as { error: { code: string; field?: string; message: string } };
  return { status: res.status, ...j.error };
}

describe('oracle HTTP API', () => {
  beforeEach(setup);

  it('reports, per chain, the transport quorum and the transports that delivered an attestation so far', async () => {
    const res = await post('/v1/settlements', await settlement());
    const { id } = (await res.json()) as { id: Hex };
    quorums.set(31338, { k: 2, transports: ['cctp', 'ccip', 'wormhole'], arrived: ['cctp'] });
    const status = (await (await app.request(`/v1/attestations/${id}`)).json()) as { delivery: unknown[] };
    expect(status.delivery).toEqual([{ chainId: 31338, state: 'pending', quorum: { k: 2, transports: ['cctp', 'ccip', 'wormhole'], arrived: ['cctp'] } }]);
    quorums.clear();
    const plain = (await (await app.request(`/v1/attestations/${id}`)).json()) as { delivery: unknown[] };
    expect(plain.delivery).toEqual([{ chainId: 31338, state: 'pending' }]);
  });

  it('signs a settlement for its one chain with a threshold quorum of the DID signers', async () => {
    const res = await post('/v1/settlements', await settlement());
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: Hex; message: Hex; deliveries: { chainId: number; receiver: Address; signatures: Hex }[] };
    expect(body.deliveries).toHaveLength(1);
    const [d] = body.deliveries;
    expect(d!.chainId).toBe(31338);
    expect((d!.signatures.length - 2) / 2).toBe(65 * 2);
    const m = decodeMessage(body.message);
    expect(m).toMatchObject({ kind: 'settlement', nonce: 1n, amount: 1_000_000n, settlementKind: 'subscription' });
    const typed = attestationTypedMessage(m);
    const signers = [];
    for (let i = 0; i < 2; i++) {
      const sig = `0x${d!.signatures.slice(2 + i * 130, 2 + (i + 1) * 130)}` as Hex;
      signers.push(await recoverTypedDataAddress({ domain: attestationDomain(31338n, d!.receiver), types: attestationTypes, primaryType: typed.primaryType, message: typed.message, signature: sig } as Parameters<typeof recoverTypedDataAddress>[0]));
    }
    expect(BigInt(signers[0]!) < BigInt(signers[1]!)).toBe(true);
    for (const s of signers) expect(committeeAddrs).toContain(s);
    expect(store.count()).toBe(1);
  });

  it('answers a repeat with the same attestation and a conflicting repeat with 409', async () => {
    const first = await post('/v1/settlements', await settlement());
    const firstBody = (await first.json()) as { id: string };
    const again = await post('/v1/settlements', await settlement());
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(firstBody.id);
    const conflict = await post('/v1/settlements', await settlement({ amount: '2000000' }));
    expect(await errorOf(conflict)).toMatchObject({ status: 409, code: 'conflicting_repeat', field: 'settlementRef' });
    expect(store.count()).toBe(1);
  });

  it('assigns increasing nonces per DID across kinds and signs NAV for every enabled chain', async () => {
    await post('/v1/settlements', await settlement());
    const nav = await post('/v1/nav', await signNav(DEV_NAV_PUBLISHER_KEY, domain, { did: DID, nav: '100000000', asOf: NOW - 10 }));
    expect(nav.status).toBe(201);
    const body = (await nav.json()) as { nonce: string; deliveries: { chainId: number }[] };
    expect(body.nonce).toBe('2');
    expect(body.deliveries.map((d) => d.chainId)).toEqual([31337, 31338]);
  });

  type Case = [string, () => Promise<Response>, number, string, string];
  const cases: Case[] = [
    ['wrong content type', async () => post('/v1/settlements', 'x', 'text/plain'), 415, 'unsupported_media_type', 'content-type'],
    ['invalid JSON', async () => post('/v1/settlements', '{"did":'), 400, 'invalid_json', '(body)'],
    ['missing field', async () => { const { amount: _a, ...rest } = await settlement(); return post('/v1/settlements', rest); }, 400, 'invalid_body', 'amount'],
    ['extra field', async () => post('/v1/settlements', { ...(await settlement()), extra: 1 }), 400, 'invalid_body', 'extra'],
    ['bad investor', async () => post('/v1/settlements', { ...(await settlement()), investor: '0x123' }), 400, 'invalid_body', 'investor'],
    ['amount as number', async () => post('/v1/settlements', { ...(await settlement()), amount: 5 }), 400, 'invalid_body', 'amount'],
    ['bad DID', async () => post('/v1/settlements', { ...(await settlement()), did: 'did:web:x' }), 400, 'invalid_body', 'did'],
    ['unknown DID', async () => post('/v1/settlements', await settlement({ did: 'did:rwa:test:nope' })), 404, 'unknown_did', 'did'],
    ['chain not enabled', async () => post('/v1/settlements', await settlement({ chainId: 1 })), 422, 'chain_not_enabled', 'chainId'],
    ['outsider key', async () => post('/v1/settlements', await settlement({}, DEV_OUTSIDER_KEY)), 403, 'not_a_custodian', 'signature'],
    ['NAV publisher posting a settlement', async () => post('/v1/settlements', await settlement({}, DEV_NAV_PUBLISHER_KEY)), 403, 'not_a_custodian', 'signature'],
    ['tampered body after signing', async () => post('/v1/settlements', { ...(await settlement()), amount: '999' }), 403, 'not_a_custodian', 'signature'],
    ['zero amount', async () => post('/v1/settlements', await settlement({ amount: '0' })), 422, 'amount_not_positive', 'amount'],
    ['amount over 2^128', async () => post('/v1/settlements', await settlement({ amount: (1n << 128n).toString() })), 422, 'amount_too_large', 'amount'],
    ['settled in the future', async () => post('/v1/settlements', await settlement({ settledAt: NOW + 3600 })), 422, 'time_in_future', 'settledAt'],
    ['redemption beyond holdings', async () => post('/v1/settlements', await settlement({ kind: 'redemption' })), 422, 'insufficient_holdings', 'amount'],
    ['custodian posting NAV', async () => post('/v1/nav', await signNav(DEV_CUSTODIAN_KEY, domain, { did: DID, nav: '1', asOf: NOW })), 403, 'not_a_nav_publisher', 'signature'],
    ['zero NAV', async () => post('/v1/nav', await signNav(DEV_NAV_PUBLISHER_KEY, domain, { did: DID, nav: '0', asOf: NOW })), 422, 'nav_not_positive', 'nav'],
    ['unknown attestation', async () => app.request(`/v1/attestations/0x${'00'.repeat(32)}`), 404, 'unknown_attestation', 'id'],
    ['bad attestation id', async () => app.request('/v1/attestations/xyz'), 400, 'invalid_id', 'id'],
    ['bad feed cursor', async () => app.request('/v1/attestations?after=-1'), 400, 'invalid_query', 'after'],
  ];
  it.each(cases)('refuses %s with a JSON error naming the field, storing nothing', async (_name, send, status, code, field) => {
    const res = await send();
    expect(await errorOf(res)).toMatchObject({ status, code, field });
    expect(store.count()).toBe(0);
  });

  it.each([
    ['a subscription beyond the chain reserve cap', (): void => void (cap = 999_999n), 'exceeds_reserve_budget', 'amount'],
    ['a subscription for an investor off the allow-list', (): void => void blocked.add(investor), 'investor_not_allowed', 'investor'],
    ['a settlement while the asset is paused', (): void => void (paused = true), 'asset_paused', 'did'],
  ] as const)('refuses %s with 422, storing nothing', async (_name, arrange, code, field) => {
    arrange();
    expect(await errorOf(await post('/v1/settlements', await settlement()))).toMatchObject({ status: 422, code, field });
    expect(store.count()).toBe(0);
  });

  it('refuses a NAV older than the last one and one that moves too far', async () => {
    const ok = await post('/v1/nav', await signNav(DEV_NAV_PUBLISHER_KEY, domain, { did: DID, nav: '100000000', asOf: NOW - 100 }));
    expect(ok.status).toBe(201);
    const older = await post('/v1/nav', await signNav(DEV_NAV_PUBLISHER_KEY, domain, { did: DID, nav: '100000000', asOf: NOW - 200 }));
    expect(await errorOf(older)).toMatchObject({ status: 422, code: 'nav_not_newer', field: 'asOf' });
    const jump = await post('/v1/nav', await signNav(DEV_NAV_PUBLISHER_KEY, domain, { did: DID, nav: '110000000', asOf: NOW - 50 }));
    expect(await errorOf(jump)).toMatchObject({ status: 422, code: 'nav_move_too_large', field: 'nav' });
    expect(store.count()).toBe(1);
  });

  it('accepts a redemption covered by holdings on that chain', async () => {
    balances.set(`31338:${investor}`, 1_000_000n);
    const res = await post('/v1/settlements', await settlement({ kind: 'redemption', settlementRef: 'RED-1' }));
    expect(res.status).toBe(201);
  });

  describe('what is signed and not yet applied reserves what it consumes', () => {
    const nonceOf = async (res: Response) => ((await res.json()) as { nonce: number }).nonce;

    it('refuses the second of two full-balance redemptions (422), until the first applied and the holdings allow it', async () => {
      balances.set(`31338:${investor}`, 1_000_000n);
      const first = await post('/v1/settlements', await settlement({ kind: 'redemption', settlementRef: 'RED-1' }));
      expect(first.status).toBe(201);
      const second = await post('/v1/settlements', await settlement({ kind: 'redemption', settlementRef: 'RED-2' }));
      expect(await errorOf(second)).toMatchObject({ status: 422, code: 'insufficient_holdings', field: 'amount' });
      expect((await errorOf(await post('/v1/settlements', await settlement({ kind: 'redemption', settlementRef: 'RED-2' })))).message).toMatch(/1000000 already signed and not yet applied/);
      // The first applied (balance burnt): it reserves nothing more; the holdings decide. New holdings: accepted.
      applied.add(`31338:${await nonceOf(first)}`);
      balances.set(`31338:${investor}`, 1_000_000n);
      expect((await post('/v1/settlements', await settlement({ kind: 'redemption', settlementRef: 'RED-2' }))).status).toBe(201);
    });

    it('refuses a subscription past the cap headroom left by those signed and not yet applied', async () => {
      cap = 1_500_000n;
      const first = await post('/v1/settlements', await settlement({ settlementRef: 'SUB-1' }));
      expect(first.status).toBe(201);
      const second = await post('/v1/settlements', await settlement({ settlementRef: 'SUB-2', investor: '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65' }));
      expect(await errorOf(second)).toMatchObject({ status: 422, code: 'exceeds_reserve_budget', field: 'amount' });
      // Applied: the supply holds it now; a subscription within the cap that is left goes.
      applied.add(`31338:${await nonceOf(first)}`);
      supply.set(31338, 1_000_000n);
      expect((await post('/v1/settlements', await settlement({ settlementRef: 'SUB-3', amount: '500000' }))).status).toBe(201);
    });

    it('keeps a subscription the brakes queued under the cap, and shows it queued, until it is drained', async () => {
      cap = 1_500_000n;
      const first = await post('/v1/settlements', await settlement({ settlementRef: 'SUB-1' }));
      const { id, nonce } = (await first.json()) as { id: string; nonce: number };
      // Queued on chain: its nonce is used, the supply does not hold it yet.
      queued.add(`31338:${nonce}`);
      const status = async () => ((await (await app.request(`/v1/attestations/${id}`)).json()) as { delivery: { state: string }[] }).delivery[0]?.state;
      expect(await status()).toBe('queued');
      const second = await post('/v1/settlements', await settlement({ settlementRef: 'SUB-2', investor: '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65' }));
      expect(await errorOf(second)).toMatchObject({ status: 422, code: 'exceeds_reserve_budget', field: 'amount' });
      // Drained: in the supply now; a subscription within what is left goes.
      queued.delete(`31338:${nonce}`);
      applied.add(`31338:${nonce}`);
      supply.set(31338, 1_000_000n);
      expect((await post('/v1/settlements', await settlement({ settlementRef: 'SUB-3', amount: '500000' }))).status).toBe(201);
    });

    it('never signs two concurrent full-balance redemptions', async () => {
      balances.set(`31338:${investor}`, 1_000_000n);
      const bodies = await Promise.all(['RED-A', 'RED-B', 'RED-C'].map((ref) => settlement({ kind: 'redemption', settlementRef: ref })));
      const statuses = (await Promise.all(bodies.map((b) => post('/v1/settlements', b)))).map((r) => r.status).sort();
      expect(statuses).toEqual([201, 422, 422]);
    });
  });

  it('never answers 5xx nor stores anything for thousands of malformed or hostile bodies', async () => {
    const valid = await settlement();
    const anyJson = fc.jsonValue();
    const mutated = fc.record({
      key: fc.constantFrom(...Object.keys(valid), '__proto__', 'constructor', 'extra'),
      value: fc.oneof(anyJson, fc.string(), fc.bigInt().map(String), fc.constant(null), fc.integer(), fc.double()),
    }).map(({ key, value }) => ({ ...valid, [key]: value }));
    const body = fc.oneof(anyJson, mutated, fc.string().map((s) => `{${s}`));
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('/v1/settlements', '/v1/nav'), async (b, path) => {
        const res = await post(path, typeof b === 'string' ? b : JSON.stringify(b));
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        const j = (await res.json()) as { error?: { code?: string } };
        expect(typeof j.error?.code).toBe('string');
      }),
      { seed: 7, numRuns: 1500 },
    );
    expect(store.count()).toBe(0);
  });

  it('serves health, metrics and an OpenAPI document', async () => {
    expect((await app.request('/health')).status).toBe(200);
    expect((await app.request('/ready')).status).toBe(200);
    expect(await (await app.request('/metrics')).text()).toContain('oracle_attestations_signed_total');
    const doc = (await (await app.request('/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/v1/settlements');
  });

  it('serves a W3C DID document with committee, custodian and NAV publisher keys and the registry state', async () => {
    const res = await app.request(`http://oracle.test/v1/dids/${DID}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/did+ld+json');
    const doc = (await res.json()) as {
      '@context': string[];
      id: string;
      verificationMethod: { id: string; type: string; controller: string; blockchainAccountId: string }[];
      assertionMethod: string[];
      service: { id: string; type: string; serviceEndpoint: string }[];
      registry: { chainId: number; address: string; threshold: number; navDecimals: number; heartbeat: number; signers: string[]; custodians: string[]; chainIds: number[]; signersValidUntil: number };
      governance: { chainId: number; signersValidUntil: number; secondsLeft: number }[];
    };
    expect(doc['@context'][0]).toBe('https://www.w3.org/ns/did/v1');
    expect(doc.id).toBe(DID);
    const accounts = doc.verificationMethod.map((m) => m.blockchainAccountId);
    expect(accounts).toEqual([...committeeAddrs, custodianAddr, publisherAddr].map((a) => `eip155:${HUB}:${a}`));
    for (const m of doc.verificationMethod) {
      expect(m).toMatchObject({ type: 'EcdsaSecp256k1RecoveryMethod2020', controller: DID });
      expect(m.id.startsWith(`${DID}#`)).toBe(true);
    }
    expect(doc.assertionMethod).toEqual(doc.verificationMethod.map((m) => m.id));
    expect(doc.service.find((s) => s.type === 'RwaSettlementOracle')?.serviceEndpoint).toBe('http://oracle.test');
    expect(doc.service.map((s) => s.serviceEndpoint)).toContain('http://oracle.test/v1/settlements');
    expect(doc.registry).toMatchObject({ chainId: HUB, address: REGISTRY, threshold: 2, navDecimals: 8, heartbeat: 86_400, custodians: [custodianAddr], chainIds: [31337, 31338] });
    expect(doc.registry.signers).toEqual(committeeAddrs);
    // When each signer set ends: the DID's (hub registry) and governance's on each receiver.
    expect(doc.registry.signersValidUntil).toBe(DEV_SIGNERS_VALID_UNTIL);
    expect(doc.governance).toEqual([{ chainId: 31338, signersValidUntil: 2_000_000_000, secondsLeft: 86_400 }]);
    expect(await errorOf(await app.request('/v1/dids/did:rwa:test:nope'))).toMatchObject({ status: 404, code: 'unknown_did', field: 'did' });
    expect(await errorOf(await app.request('/v1/dids/did:web:x'))).toMatchObject({ status: 400, code: 'invalid_did', field: 'did' });
  });
});
