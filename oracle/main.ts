/**
 * Oracle composition root: config -> store -> chain readers -> committee -> service -> HTTP.
 * Usage: tsx oracle/main.ts [--help]. Configuration comes from the environment (see docs/operations.md, "Configuration").
 */
import { join } from 'node:path';
import type { Address } from 'viem';
import { loadConfig, ConfigError } from './config.js';
import { openDb } from '../common/sqlite.js';
import { createLogger } from '../common/logger.js';
import { listen, close } from '../common/serve.js';
import * as schema from './store/schema.js';
import { AttestationStore } from './store/attestations.js';
import { RegistryReader } from '../core/chain/registry.js';
import { Destinations } from '../core/chain/destinations.js';
import { Committee } from './issue/committee/local.js';
import { RemoteCommittee } from './issue/committee/remote.js';
import type { CommitteePort } from '../core/committee-port.js';
import { OracleService } from './intake/settlement-service.js';
import { AdminService } from './intake/admin-service.js';
import { MoveService } from './intake/move-service.js';
import { MoveStore } from './store/moves.js';
import { KeyedMutex } from '../common/mutex.js';
import { loopBackoffMs, runPeriodic } from '../common/periodic.js';
import { createMetrics } from './metrics.js';
import { createApp } from './api/app.js';
import { RedemptionChains } from '../core/chain/redemptions.js';
import { RedemptionStore } from './store/redemptions.js';
import type { RedemptionDeps } from './redemption-deps.js';
import { FulfilmentService } from './intake/fulfilment-service.js';
import { AcceptanceService } from './intake/acceptance-service.js';
import { DisclosureService } from './intake/disclosure-service.js';
import { BuyBackService } from './intake/buyback-service.js';
import { RedemptionView } from './api/redemption-view.js';
import { RequestWatcher } from './mirror/request-watcher.js';
import { StageWatcher } from './mirror/stage-watcher.js';
import { PolicySync } from './mirror/policy-sync.js';
import { QuorumSync } from './mirror/quorum-sync.js';
import { BrakesSync } from './mirror/brakes-sync.js';
import { BrakesView } from './api/brakes-view.js';
import { BrakesChains } from '../core/chain/brakes.js';
import { faultHook, faultyCommittee, storedKindOf } from './issue/fault.js';
import { sweepProposals } from './issue/proposal-sweep.js';
import { acquireInstanceLock, InstanceLockedError } from '../common/instance-lock.js';
import { exitOnUnhandled, stopOnSignals } from '../common/lifecycle.js';
import { ReadSide } from './api/read/side.js';
import { SignerExpiryWatch } from './mirror/signer-expiry.js';
import { warnJavascriptCrypto } from '../core/crypto-backends.js';

const HELP = `rwa oracle: custodian API and committee aggregator

Environment:
  ORACLE_DEPLOYMENT      deployment JSON (hub registry, chains, receivers)   [data/deployment.json]
  ORACLE_DB              SQLite file                                          [data/oracle.sqlite]
  ORACLE_HOST/PORT       listen address                                       [127.0.0.1:8080]
  ORACLE_SIGNER_URLS     comma-separated committee signer URLs (tsx committee/main.ts each), or
  ORACLE_COMMITTEE_KEYS  comma-separated committee private keys held in this process
  ORACLE_SIGNER_TIMEOUT_MS  deadline of one call to one signer                  [5000]
  ORACLE_SIGNER_TOKENS   comma-separated bearer tokens, one per ORACLE_SIGNER_URLS entry (each signer's
                         SIGNER_AUTH_TOKEN); required with ORACLE_SIGNER_URLS outside dev mode
  ORACLE_DEV_MODE=1      with neither set, hold the deterministic DEV-ONLY committee keys
  ORACLE_MOVE_SYNC_MS    how often pending moves are checked for an applied move-out  [1000]
  ORACLE_MOVE_IN_PATIENCE_MS  how long a move's in leg may be refused before it is voided and returned  [600000]
  ORACLE_MOVE_DEADLINE_MS     a move unfinished this long after acceptance is stranded (alert)  [1800000]
  ORACLE_REDEMPTION_SYNC_MS      how often redemption requests and hub stages are read  [1000]
  ORACLE_REDEMPTION_START_BLOCK  first block read on a chain the watchers have no cursor for  [0]
  ORACLE_LOG_SPAN_BLOCKS         most blocks one eth_getLogs covers (watchers, registry)  [5000]
  ORACLE_REGISTRY_START_BLOCK    the registry's deployment block: member lists are read from there [0]
  ORACLE_PROPOSAL_SWEEP_MS  how often open signing rounds are completed      [5000]
  ORACLE_SIGN_BATCH_MAX  group commit: most settlements of a DID signed in one committee round [64]
  ORACLE_FAULT=step[:kind]  DEV ONLY: SIGKILL itself at a signing-round step (oracle/issue/fault.ts)
  ORACLE_PUBLIC_URL      service endpoint published in DID documents          [the request's origin]
  ORACLE_READ_CACHE_MS   staleness bound of public reads built from chain state [1000]
  ORACLE_READ_RATE / ORACLE_READ_BURST   public reads per second per client / burst   [5 / 2 x rate]
  ORACLE_READ_GLOBAL_RATE / ORACLE_READ_GLOBAL_BURST   public reads per second in all  [50 / rate]
  ORACLE_READ_CHAIN_CONCURRENCY  chain calls the read routes hold in flight at most   [4]
  ORACLE_READ_TRUSTED_CLIENTS    comma-separated client addresses never read-limited (own relayers)
  ORACLE_READ_CLIENT_HEADER      header naming the client behind a proxy (e.g. x-forwarded-for) [socket address]
  LOG_LEVEL              pino level                                           [info]
`;

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  const config = loadConfig(process.env);
  const logger = createLogger('oracle', config.logLevel);
  exitOnUnhandled(logger);
  warnJavascriptCrypto(logger);
  const instance = acquireInstanceLock(config.dbPath, 'oracle');
  const { db, close: closeDb } = openDb(config.dbPath, schema, join(import.meta.dirname, 'store', 'migrations'));
  const fault = faultHook(config.fault, () => {
    logger.warn({ fault: config.fault }, 'fault injection: killing the oracle');
    process.kill(process.pid, 'SIGKILL');
  });
  const store = new AttestationStore(db, config.fault ? (row) => fault('before_answer', storedKindOf(row.kind, row.sourceRef)) : undefined);
  const metrics = createMetrics();
  const registryAddress = config.deployment.hub.registry as Address;
  const registry = new RegistryReader(config.deployment.hub.rpcUrl, registryAddress, { startBlock: config.registryStartBlock, maxSpan: config.redemptions.logSpanBlocks });
  const destinations = new Destinations(config.deployment.chains, config.redemptions.logSpanBlocks);
  const inner: CommitteePort =
    config.committee.mode === 'remote'
      ? new RemoteCommittee({
          urls: config.committee.urls,
          timeoutMs: config.committee.timeoutMs,
          ...(config.committee.tokens ? { tokens: config.committee.tokens } : {}),
          metrics,
          logger: logger.child({ module: 'committee' }),
          ...(config.fault ? { onSignerAnswered: (kind: string) => fault('after_one_signer', kind) } : {}),
        })
      : new Committee(config.committee.keys);
  const committee = config.fault ? faultyCommittee(inner, fault) : inner;
  const lock = new KeyedMutex();
  const now = () => BigInt(Math.floor(Date.now() / 1000));
  const service = new OracleService({
    lock,
    registry,
    registryAddress,
    hubChainId: BigInt(config.deployment.hub.chainId),
    destinations,
    committee,
    store,
    metrics,
    logger: logger.child({ module: 'service' }),
    now,
    maxFutureSkewSeconds: config.maxFutureSkewSeconds,
    signBatchMax: config.signBatchMax,
  });
  const moveStore = new MoveStore(db);
  const admin = new AdminService({
    registry,
    registryAddress,
    hubChainId: BigInt(config.deployment.hub.chainId),
    holdings: destinations,
    committee,
    governance: { signers: config.deployment.governance.signers as Address[], threshold: config.deployment.governance.threshold },
    store,
    metrics,
    logger: logger.child({ module: 'admin' }),
    lock,
    now,
    maxFutureSkewSeconds: config.maxFutureSkewSeconds,
    moves: moveStore,
  });
  const moves = new MoveService({
    registry,
    registryAddress,
    hubChainId: BigInt(config.deployment.hub.chainId),
    destinations,
    committee,
    store,
    moves: moveStore,
    metrics,
    logger: logger.child({ module: 'moves' }),
    lock,
    now,
    inPatienceMs: config.moveInPatienceMs,
    deadlineMs: config.moveDeadlineMs,
  });
  const redemptionChains = new RedemptionChains(config.deployment.chains, { rpcUrl: config.deployment.hub.rpcUrl, registry: registryAddress });
  const redemptionDeps: RedemptionDeps = {
    registry,
    registryAddress,
    hubChainId: BigInt(config.deployment.hub.chainId),
    destinations,
    chains: redemptionChains,
    committee,
    store,
    redemptions: new RedemptionStore(db),
    metrics,
    logger: logger.child({ module: 'redemptions' }),
    lock,
    now,
    maxFutureSkewSeconds: config.maxFutureSkewSeconds,
  };
  // The public read routes read through the read side (limits, caches, one chain budget); writes use the ports above.
  const reads = new ReadSide(config.reads, metrics);
  const readRegistry = reads.registry(registry);
  // Its chain reads (stages, allowances, whether a notice is applied) share the read side's budget.
  const readDestinations = reads.destinations(destinations);
  const redemptionView = new RedemptionView({
    ...redemptionDeps,
    registry: readRegistry,
    chains: reads.redemptionChains(redemptionChains),
    destinations: { get: (id) => destinations.get(id), isApplied: (...a) => readDestinations.isApplied(...a) },
  });
  const redemptionViews = reads.cache<Awaited<ReturnType<RedemptionView['ofDid']>>>('redemptions');
  const noticeViews = reads.cache<Awaited<ReturnType<RedemptionView['noticeOf']>>>('notice');
  const policySync = new PolicySync({ ...redemptionDeps, registry, policies: redemptionChains });
  const quorumSync = new QuorumSync({ ...redemptionDeps, registry, quorums: registry, logger });
  const brakesSync = new BrakesSync({ ...redemptionDeps, registry, brakes: registry, logger });
  const brakesView = new BrakesView({ registry: readRegistry, chains: new BrakesChains(config.deployment.chains), served: (id) => destinations.get(id) !== undefined, store, metrics, logger });
  const scan = { startBlock: config.redemptions.startBlock, maxSpan: config.redemptions.logSpanBlocks };
  const requestWatcher = new RequestWatcher(redemptionDeps, { chainIds: config.deployment.chains.map((c) => c.chainId), ...scan });
  const stageWatcher = new StageWatcher(redemptionDeps, scan);
  const buyBacks = new BuyBackService({ ...redemptionDeps, buyBacks: registry });
  const chainIds = config.deployment.chains.map((c) => c.chainId);
  const signerExpiry = new SignerExpiryWatch({ registry, receivers: destinations, chainIds, metrics, logger: logger.child({ module: 'signer-expiry' }), now });
  const app = createApp({
    admin,
    moves,
    kinds: { buybackReport: (b) => buyBacks.submit(b) },
    redemptions: {
      fulfilments: new FulfilmentService(redemptionDeps),
      acceptances: new AcceptanceService(redemptionDeps),
      disclosures: new DisclosureService(redemptionDeps),
      view: { ofDid: (did) => redemptionViews.get(did, () => redemptionView.ofDid(did)), noticeOf: (did) => noticeViews.get(did, () => redemptionView.noticeOf(did)) },
    },
    reads,
    service,
    store,
    destinations,
    registry,
    metrics,
    logger,
    brakes: brakesView,
    dids: { registry: readRegistry, members: reads.members(registry), hubChainId: BigInt(config.deployment.hub.chainId), registryAddress, publicUrl: config.publicUrl, signerSets: signerExpiry },
  });
  const { server, port } = await listen(app, config.host, config.port);
  logger.info({ port, host: config.host, committee: committee.describe(), devMode: config.devMode, db: config.dbPath }, 'oracle listening');

  // Mirror the hub registry to the chains: new DIDs and config changes become config attestations, then policies
  // (kind 9), transport quorums (kind 12) and brakes (kind 14).
  const syncLog = logger.child({ module: 'registry-sync' });
  const syncLoop = runPeriodic(
    async () => {
      const created = await admin.syncRegistry();
      for (const a of created) syncLog.info({ attestationId: a.id, did: a.did, nonce: a.nonce }, 'registry config attested');
      // After the configs, so a DID's config always has the lower nonce than its first policy.
      for (const a of await policySync.sync()) syncLog.info({ attestationId: a.id, did: a.did, nonce: a.nonce }, 'registry redemption policy attested');
      // Then each (DID, chain)'s transport quorum, to that chain only; failures are counted and retried per chain.
      for (const a of await quorumSync.sync()) syncLog.info({ attestationId: a.id, did: a.did, nonce: a.nonce }, 'registry transport quorum attested');
      // Then each (DID, chain)'s brakes (kind 14), to that chain only, the same way.
      for (const a of await brakesSync.sync()) syncLog.info({ attestationId: a.id, did: a.did, nonce: a.nonce }, 'registry brakes attested');
    },
    { everyMs: config.registrySyncMs, backoffMs: loopBackoffMs, onError: (err, retryInMs) => syncLog.warn({ err, retryInMs }, 'registry sync failed') },
  );

  // Signer sets' ends (DIDs on the hub, governance on each receiver): gauge, warnings, the DID document's view.
  const expiryLog = logger.child({ module: 'signer-expiry' });
  const expiryLoop = runPeriodic(() => signerExpiry.refresh(), {
    everyMs: config.registrySyncMs,
    backoffMs: loopBackoffMs,
    onError: (err, retryInMs) => expiryLog.warn({ err, retryInMs }, 'signer set expiry pass failed'),
  });

  // Signing rounds left open by a crash, a signer timeout or a partial quorum: all at boot, then with backoff.
  const sweepLog = logger.child({ module: 'proposal-sweep' });
  const issueDeps = { committee, store, metrics, logger: sweepLog, chain: (id: number) => destinations.get(id), lock };
  let booted = false;
  const sweepLoop = runPeriodic(
    async () => {
      const r = await sweepProposals(issueDeps, { now: Date.now(), ignoreBackoff: !booted });
      booted = true;
      if (r.completed > 0 || r.failed > 0) sweepLog.info(r, 'open signing rounds swept');
    },
    { everyMs: config.proposalSweepMs, backoffMs: loopBackoffMs, onError: (err, retryInMs) => sweepLog.error({ err, retryInMs }, 'proposal sweep failed') },
  );

  // Cross-chain moves: once a move-out is applied on its from-chain, issue the move-in to the to-chain, or void the
  // move there and return the units when the in leg cannot land (oracle/mirror/move-machine.ts).
  const moveLog = logger.child({ module: 'move-loop' });
  const moveLoop = runPeriodic(() => moves.tick(), { everyMs: config.moveSyncMs, backoffMs: loopBackoffMs, onError: (err, retryInMs) => moveLog.warn({ err, retryInMs }, 'move loop pass failed') });

  // Redemptions: requests on every chain -> reports to the hub; hub stage changes -> the other chains; gauges; the
  // incident notices stage B and C owe (issue 23).
  // Each watcher logs, counts and retries its own failures; what reaches here is a store or programming error.
  const redemptionLog = logger.child({ module: 'redemption-loop' });
  const redemptionLoop = runPeriodic(
    async () => {
      await requestWatcher.tick();
      await stageWatcher.tick();
      redemptionView.refreshMetrics();
      await redemptionView.refreshNotices();
    },
    { everyMs: config.redemptions.syncMs, backoffMs: loopBackoffMs, onError: (err, retryInMs) => redemptionLog.error({ err, retryInMs }, 'redemption loop pass failed') },
  );

  // Brakes gauges (queued settlements, bucket levels, amount line per DID and chain) follow the receivers.
  const brakesLoop = runPeriodic(async () => brakesView.refresh(await registry.listDids()), {
    everyMs: Math.max(config.registrySyncMs, 5_000),
    backoffMs: loopBackoffMs,
    onError: (err, retryInMs) => logger.warn({ err, retryInMs, module: 'brakes-view' }, 'brakes gauges not refreshed'),
  });

  stopOnSignals(logger, async () => {
    await Promise.all([syncLoop.stop(), moveLoop.stop(), redemptionLoop.stop(), sweepLoop.stop(), expiryLoop.stop(), brakesLoop.stop()]);
    await close(server);
    closeDb();
    instance.release();
  });
}

main().catch((err: unknown) => {
  const message = err instanceof ConfigError || err instanceof InstanceLockedError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`oracle failed to start: ${message}\n`);
  process.exit(1);
});
