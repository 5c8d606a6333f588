/**
 * Fixture shared by the unit tests of the oracle's redemption flows and registry syncs: one DID on a fake hub registry, three fake
 * chains with fake redemptions modules, and the real store, committee keys, services and HTTP app around them.
 * Not used by production code.
 */
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Address } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import pino from 'pino';
import { openDb } from '../common/sqlite.js';
import { KeyedMutex } from '../common/mutex.js';
import { DEV_COMMITTEE_KEYS, DEV_CUSTODIAN_KEY, DEV_ISSUER_KEY, DEV_SIGNERS_VALID_UNTIL } from '../schemas/dev-keys.js';
import { didHash, type DidHash, type DidString } from '../schemas/ids.js';
import type { CustodianDomain } from '../clients/custodian.js';
import * as schema from '../oracle/store/schema.js';
import { AttestationStore } from '../oracle/store/attestations.js';
import { RedemptionStore } from '../oracle/store/redemptions.js';
import { Committee } from '../oracle/issue/committee/local.js';
import { createMetrics } from '../oracle/metrics.js';
import { OracleService } from '../oracle/intake/settlement-service.js';
import { createApp } from '../oracle/api/app.js';
import type { DidRecord, RegistryPort, TransportQuorum, TransportQuorumPort } from '../core/chain/registry.js';
import type { DestinationsPort } from '../core/chain/destinations.js';
import { appliedIn, fakeRedemptionChains, newRedemptionWorld, type RedemptionWorld } from './redemption-fake.js';
import type { RedemptionDeps } from '../oracle/redemption-deps.js';
import { FulfilmentService } from '../oracle/intake/fulfilment-service.js';
import { AcceptanceService } from '../oracle/intake/acceptance-service.js';
import { DisclosureService } from '../oracle/intake/disclosure-service.js';
import { RedemptionView } from '../oracle/api/redemption-view.js';
import { RequestWatcher } from '../oracle/mirror/request-watcher.js';
import { StageWatcher } from '../oracle/mirror/stage-watcher.js';
import { PolicySync } from '../oracle/mirror/policy-sync.js';
import { QuorumSync } from '../oracle/mirror/quorum-sync.js';

export const DID = 'did:rwa:test:fund-r';
export const HASH = didHash(DID as DidString);
export const NOW = 1_800_000_000;
export const HUB = 31337;
export const SPOKE_A = 31338;
export const SPOKE_B = 31339;
export const REGISTRY: Address = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
export const INVESTOR: Address = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
export const DOMAIN: CustodianDomain = { hubChainId: HUB, registry: REGISTRY };
const COMMITTEE = DEV_COMMITTEE_KEYS.map((k) => privateKeyToAccount(k).address);
const CHAINS = [
  { name: 'hub', chainId: HUB, rpcUrl: 'http://x', receiver: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512', confirmations: 0 },
  { name: 'spoke-a', chainId: SPOKE_A, rpcUrl: 'http://y', receiver: '0x5FbDB2315678afecb367f032d93F642f64180aa3', confirmations: 0 },
  { name: 'spoke-b', chainId: SPOKE_B, rpcUrl: 'http://z', receiver: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0', confirmations: 0 },
];

export function makeRedemptions() {
  const record: DidRecord = {
    did: DID,
    name: 'Fund R',
    symbol: 'FR', signersValidUntil: DEV_SIGNERS_VALID_UNTIL,
    issuer: privateKeyToAccount(DEV_ISSUER_KEY).address,
    navDecimals: 8,
    tokenDecimals: 6,
    threshold: 2,
    heartbeat: 86_400,
    maxNavMoveBps: 500,
    signers: COMMITTEE,
    chainIds: [BigInt(HUB), BigInt(SPOKE_A), BigInt(SPOKE_B)],
  };
  const world: RedemptionWorld = newRedemptionWorld(BigInt(NOW));
  const used = new Set<string>();
  const clock = { now: BigInt(NOW) };
  const { db } = openDb(join(tmpdir(), `redemptions-${process.pid}-${Math.random().toString(16).slice(2)}.sqlite`), schema, join(import.meta.dirname, '..', 'oracle', 'store', 'migrations'));
  const store = new AttestationStore(db);
  const redemptions = new RedemptionStore(db);
  const registry: RegistryPort & { listDids(): Promise<DidHash[]> } = {
    getDid: async (h: DidHash) => (h === HASH ? record : undefined),
    isCustodian: async (_h, a) => a === privateKeyToAccount(DEV_CUSTODIAN_KEY).address,
    isNavPublisher: async () => false,
    ping: async () => true,
    listDids: async () => [HASH],
  };
  const destinations: DestinationsPort = {
    get: (id) => CHAINS.find((c) => c.chainId === id),
    holdingsState: async () => ({ configured: true, totalSupply: 0n, supplyCap: 0n, paused: false, investorAllowed: true, investorBalance: 0n }),
    balanceOf: async () => 0n,
    isApplied: async (chainId, _d, nonce, blockNumber) => appliedIn(world, chainId, nonce, blockNumber) || used.has(`${chainId}:${nonce}`),
    settlementState: async (chainId, _d, nonce) => (appliedIn(world, chainId, nonce, undefined) || used.has(`${chainId}:${nonce}`) ? 'applied' : 'pending'),
    transportQuorumStatus: async () => undefined,
    moveOutcomeOf: async () => 'none' as const,
  };
  const metrics = createMetrics();
  const logger = pino({ level: 'silent' });
  const chains = fakeRedemptionChains(world);
  const deps: RedemptionDeps = {
    registry,
    registryAddress: REGISTRY,
    hubChainId: BigInt(HUB),
    destinations,
    chains,
    committee: new Committee(DEV_COMMITTEE_KEYS),
    store,
    redemptions,
    metrics,
    logger,
    lock: new KeyedMutex(),
    now: () => clock.now,
    maxFutureSkewSeconds: 300,
  };
  const fulfilments = new FulfilmentService(deps);
  const acceptances = new AcceptanceService(deps);
  const disclosures = new DisclosureService(deps);
  const view = new RedemptionView(deps);
  const requestWatcher = new RequestWatcher(deps, { chainIds: CHAINS.map((c) => c.chainId), startBlock: 0n, maxSpan: 1_000n });
  const stageWatcher = new StageWatcher(deps, { startBlock: 0n, maxSpan: 1_000n });
  const policySync = new PolicySync({ ...deps, registry, policies: chains });
  /** The hub registry's transport quorum per chain of the DID (absent = 0/0); `quorumDown` fails reads of those chains. */
  const quorums = new Map<number, TransportQuorum>();
  const quorumDown = new Set<number>();
  const quorumPort: TransportQuorumPort = {
    transportQuorumOf: async (_h, chainId) => {
      if (quorumDown.has(Number(chainId))) throw new Error('rpc down');
      return quorums.get(Number(chainId)) ?? { k: 0, transports: 0 };
    },
  };
  const quorumSync = new QuorumSync({ ...deps, registry, quorums: quorumPort });
  const app = createApp({
    service: new OracleService({ ...deps, registry, destinations }),
    store,
    destinations,
    registry,
    metrics,
    logger,
    dids: { members: { custodiansOf: async () => [], navPublishersOf: async () => [] }, hubChainId: BigInt(HUB), registryAddress: REGISTRY, publicUrl: undefined },
    redemptions: { fulfilments, acceptances, disclosures, view },
  });
  return { record, world, used, clock, store, redemptions, metrics, requestWatcher, stageWatcher, policySync, quorums, quorumDown, quorumSync, app, view, deps };
}
