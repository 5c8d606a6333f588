/**
 * Test fixtures shared by the signer and remote-committee unit tests: one DID on a fake hub registry, two fake
 * destination chains, and real signer apps (SignerService + SQLite store + hono) built around them. Not used by
 * production code.
 */
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { keccak256, stringToBytes, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { pino } from 'pino';
import { openDb } from '../common/sqlite.js';
import { DEV_COMMITTEE_KEYS, DEV_CUSTODIAN_KEY, DEV_ISSUER_KEY, DEV_NAV_PUBLISHER_KEY, DEV_SIGNERS_VALID_UNTIL } from '../schemas/dev-keys.js';
import { didHash, type DidString } from '../schemas/ids.js';
import {
  signAllowList,
  signNav,
  signPause,
  signReserve,
  signSettlement,
  type CustodianDomain,
  type UnsignedAllowList,
  type UnsignedNav,
  type UnsignedPause,
  type UnsignedReserve,
  type UnsignedSettlement,
} from '../clients/custodian.js';
import type { BrakesPort, DidRecord, TransportQuorumPort } from '../core/chain/registry.js';
import { NO_BRAKES_VALUES, type BrakesValues } from '../schemas/kinds/brakes-source.js';
import type { MoveOutcome } from '../core/chain/destinations.js';
import type { SignerCheckDeps, SignerChainsPort, SignerSet } from '../committee/checks.js';
import { appliedIn, fakeRedemptionChains, type RedemptionWorld } from './redemption-fake.js';
import * as schema from '../committee/store/schema.js';
import { SignedStore } from '../committee/store/signed.js';
import { SignerService } from '../committee/signer.js';
import { createSignerMetrics } from '../committee/metrics.js';
import { createSignerApp } from '../committee/http.js';

export const DID = 'did:rwa:test:fund-a';
export const DID_HASH = didHash(DID as DidString);
export const NOW = 1_800_000_000;
export const HUB = 31337;
export const REGISTRY: Address = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
export const DOMAIN: CustodianDomain = { hubChainId: HUB, registry: REGISTRY };
export const INVESTOR: Address = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
/** A second investor (anvil's account #4, address only). */
export const OTHER_INVESTOR: Address = '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65';
export const COMMITTEE = DEV_COMMITTEE_KEYS.map((k) => privateKeyToAccount(k).address);
export const CHAINS = [
  { name: 'hub', chainId: 31337, rpcUrl: 'http://x', receiver: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512', confirmations: 0 },
  { name: 'spoke', chainId: 31338, rpcUrl: 'http://y', receiver: '0x5FbDB2315678afecb367f032d93F642f64180aa3', confirmations: 0 },
] as const;

export const record = (over: Partial<DidRecord> = {}): DidRecord => ({
  did: DID,
  name: 'Fund A',
  symbol: 'FA', signersValidUntil: DEV_SIGNERS_VALID_UNTIL,
  issuer: privateKeyToAccount(DEV_ISSUER_KEY).address,
  navDecimals: 8,
  tokenDecimals: 6,
  threshold: 2,
  heartbeat: 86_400,
  maxNavMoveBps: 500,
  signers: COMMITTEE,
  chainIds: [31337n, 31338n],
  ...over,
});

/** What the fake chains hold; tests change it between requests. */
export interface World {
  record: DidRecord;
  balances: Map<string, bigint>;
  navs: Map<number, { nav: bigint; asOf: bigint }>;
  /** Holdings totalSupply per chain (reserve cap checks). */
  supplies: Map<number, bigint>;
  /** The deployment file's governance set (signs a DID's first config). */
  governance: SignerSet;
  /** Nonces used on each chain (`chainId:nonce`), as the receivers' isNonceUsed answers. */
  usedNonces: Set<string>;
  /** Of those, the settlements the brakes queued and not yet drained (`chainId:nonce`): used, not yet in the supply. */
  queuedNonces: Set<string>;
  /** Destination chain RPCs answer with an error. */
  chainsDown: boolean;
  /** The hub registry's transport quorum of the DID per chain (absent = 0/0). */
  quorums: Map<number, { k: number; transports: number }>;
  /** The hub registry's brakes of the DID per chain (absent = none). */
  brakes: Map<number, BrakesValues>;
  /** What a move-in check reads per chain besides the supply (absent: not allow-listed, cap 0). */
  holdings: Map<number, { supplyCap: bigint; paused: boolean; investorAllowed: boolean }>;
  /** How each move ended per chain (`chainId:moveRef`), as RwaReceiver.moveOutcomeOf answers (absent: none). */
  moveOutcomes: Map<string, MoveOutcome>;
}

/** A chain that accepts any mint the tests sign (configured, not paused, investor allow-listed, a cap of 10^30). */
export const OPEN_HOLDINGS = { supplyCap: 10n ** 30n, paused: false, investorAllowed: true } as const;

export const newWorld = (): World => ({
  record: record(),
  balances: new Map(),
  navs: new Map(),
  supplies: new Map(),
  governance: { signers: COMMITTEE, threshold: 2 },
  usedNonces: new Set(),
  queuedNonces: new Set(),
  holdings: new Map(),
  moveOutcomes: new Map(),
  chainsDown: false,
  quorums: new Map(),
  brakes: new Map(),
});

const up = (w: World) => {
  if (w.chainsDown) throw new Error('rpc down');
};

export function fakeRegistry(w: World): SignerCheckDeps['registry'] {
  return {
    getDid: async (h) => (h === DID_HASH ? w.record : undefined),
    isCustodian: async (_h, a) => a === privateKeyToAccount(DEV_CUSTODIAN_KEY).address,
    isNavPublisher: async (_h, a) => a === privateKeyToAccount(DEV_NAV_PUBLISHER_KEY).address,
  };
}

export function fakeBrakes(w: World): BrakesPort {
  return { brakesOf: async (_h, chainId) => w.brakes.get(Number(chainId)) ?? NO_BRAKES_VALUES };
}

export function fakeQuorums(w: World): TransportQuorumPort {
  return { transportQuorumOf: async (_h, chainId) => w.quorums.get(Number(chainId)) ?? { k: 0, transports: 0 } };
}

/** The destination chains of `w`; with redemptions modules, a nonce is also used where their world says so. */
export function fakeChains(w: World, redemptions?: RedemptionWorld): SignerChainsPort {
  return {
    get: (id) => CHAINS.find((c) => c.chainId === id),
    balanceOf: async (chainId, _d, investor) => (up(w), w.balances.get(`${chainId}:${investor}`) ?? 0n),
    latestNav: async (chainId) => (up(w), w.navs.get(chainId)),
    moveOutcomeOf: async (chainId, _d, moveRef) => (up(w), w.moveOutcomes.get(`${chainId}:${moveRef}`) ?? 'none'),
    isApplied: async (chainId, _d, nonce, blockNumber) => (
      up(w), (redemptions !== undefined && appliedIn(redemptions, chainId, nonce, blockNumber)) || w.usedNonces.has(`${chainId}:${nonce}`)
    ),
    settlementState: async (chainId, _d, nonce) => (
      up(w), !w.usedNonces.has(`${chainId}:${nonce}`) ? 'pending' : w.queuedNonces.has(`${chainId}:${nonce}`) ? 'queued' : 'applied'
    ),
    holdingsState: async (chainId) => (
      up(w),
      { configured: true, totalSupply: w.supplies.get(chainId) ?? 0n, supplyCap: 0n, paused: false, investorAllowed: false, investorBalance: 0n, ...w.holdings.get(chainId) }
    ),
  };
}

export const tempDb = (label: string) => join(tmpdir(), `${label}-${process.pid}-${Math.random().toString(16).slice(2)}.sqlite`);

/**
 * A real signer (service, SQLite store, HTTP app) with `key`, over the world's fake chains (and redemptions modules,
 * if given); it reads the world's transport quorums unless `opts.quorums` is false.
 */
export function makeSigner(key: Hex, w: World, redemptions?: RedemptionWorld, opts: { quorums: boolean; authToken?: string } = { quorums: true }) {
  const { db } = openDb(tempDb('signer-test'), schema, join(import.meta.dirname, '..', 'committee', 'store', 'migrations'));
  const store = new SignedStore(db);
  const metrics = createSignerMetrics();
  const logger = pino({ level: 'silent' });
  const service = new SignerService({
    account: privateKeyToAccount(key),
    store,
    registry: fakeRegistry(w),
    ...(opts.quorums ? { quorums: fakeQuorums(w), brakes: fakeBrakes(w) } : {}),
    chains: fakeChains(w, redemptions),
    custodianDomain: { hubChainId: BigInt(HUB), registry: REGISTRY },
    governance: w.governance,
    now: () => BigInt(NOW),
    maxFutureSkewSeconds: 300,
    logger,
    ...(redemptions ? { redemption: { chains: fakeRedemptionChains(redemptions), policies: fakeRedemptionChains(redemptions), hubChainId: HUB, maxPinLagSeconds: 3600 } } : {}),
  });
  const app = createSignerApp({ service, metrics, logger, ready: async () => undefined, ...(opts.authToken ? { authToken: opts.authToken } : {}) });
  return { app, store, service, metrics, address: service.address };
}

type SignerApp = ReturnType<typeof makeSigner>['app'];

/** POSTs `body` to a signer's /v1/sign. */
export const postSign = (app: SignerApp, body: unknown) =>
  app.request('/v1/sign', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** A sign request of `kind` for `request` at `nonce`, to `chainIds`. */
export const signAt = (app: SignerApp, kind: string, request: unknown, nonce: number, chainIds: number[]) => postSign(app, { kind, request, nonce: String(nonce), chainIds });

/** What a refusal answered: its status, code and field. */
export async function refusalOf(res: Response): Promise<{ status: number; code: string; field: string | undefined }> {
  const j = (await res.json()) as { error: { code: string; field?: string } };
  return { status: res.status, code: j.error.code, field: j.error.field };
}

export const settlementBody = (over: Partial<UnsignedSettlement> = {}, key: Hex = DEV_CUSTODIAN_KEY) =>
  signSettlement(key, DOMAIN, {
    did: DID,
    chainId: 31338,
    kind: 'subscription',
    settlementRef: 'REF-1',
    investor: INVESTOR,
    amount: '1000000',
    cashLegRef: keccak256(stringToBytes('wire')),
    settledAt: NOW - 60,
    ...over,
  });

export const navBody = (over: Partial<UnsignedNav> = {}, key: Hex = DEV_NAV_PUBLISHER_KEY) => signNav(key, DOMAIN, { did: DID, nav: '100000000', asOf: NOW - 10, ...over });

export const reserveBody = (over: Partial<UnsignedReserve> = {}, key: Hex = DEV_CUSTODIAN_KEY) => signReserve(key, DOMAIN, { did: DID, reserve: '10000000', asOf: NOW - 10, ...over });

export const allowListBody = (over: Partial<UnsignedAllowList> = {}, key: Hex = DEV_ISSUER_KEY) =>
  signAllowList(key, DOMAIN, { did: DID, ref: 'ALLOW-1', entries: [{ account: INVESTOR, allowed: true }], ...over });

export const pauseBody = (over: Partial<UnsignedPause> = {}, key: Hex = DEV_ISSUER_KEY) => signPause(key, DOMAIN, { did: DID, ref: 'PAUSE-1', paused: true, ...over });
