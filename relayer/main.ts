/**
 * Relayer composition root: config -> outbox -> feed reader -> one worker per destination chain -> status HTTP.
 * Usage: tsx relayer/main.ts [--help] | tsx relayer/main.ts retry-dead <jobId>
 */
import { join } from 'node:path';
import { loadConfig, ConfigError } from './config.js';
import { openDb } from '../common/sqlite.js';
import { acquireInstanceLock, InstanceLockedError } from '../common/instance-lock.js';
import { exitOnUnhandled, stopOnSignals } from '../common/lifecycle.js';
import { createLogger } from '../common/logger.js';
import { listen, close } from '../common/serve.js';
import { runPeriodic } from '../common/periodic.js';
import * as schema from './store/schema.js';
import { Outbox } from './store/outbox.js';
import { FeedReader } from './feed.js';
import { ChainWorker } from './worker.js';
import { CctpTransport } from './transports/cctp.js';
import { CcipTransport } from './transports/ccip/transport.js';
import type { Transport } from './transports/transport.js';
import { NonceManager } from './nonces.js';
import { RouteError, routeResolver, transportsPerChain } from './routes.js';
import { chainClients, quorumArrivals } from './transports/destination.js';
import { ccipDeploymentProblems } from './ccip-networks.js';
import { ccipLanesOf } from './lanes.js';
import { CcipLanes } from './transports/ccip/mux.js';
import { WormholeTransport } from './transports/wormhole/transport.js';
import { wormholeChainId } from '../schemas/ids.js';
import type { DeployedChain } from '../schemas/deployment.js';
import type { TransportName } from '../schemas/deployment.js';
import type { Address, Hex } from 'viem';
import { StageKeeper } from './keeper.js';
import { DrainKeeper } from './drain-keeper.js';
import { DEFAULT_BACKOFF, DID_WAIT_BACKOFF, MAX_CCIP_EXECUTIONS, PARK_BACKOFF, backoffDelay } from './retry.js';
import { appliedByReader } from './transports/applied-by.js';
import { createMetrics } from './metrics.js';
import { createStatusApp } from './http.js';
import { CURSE_FLAG_TTL_MS, receiverCurseFlag } from './curse.js';

const HELP = `rwa relayer: delivers oracle attestations to every chain

Transports: each chain's \`transport\` (cctp, ccip or wormhole; cctp by default) unless a deployment \`routes\` entry for the DID, chain and
kind says otherwise; CCIP lanes are local (the relayer verifies and executes) or live (Sepolia, Fuji...: send, track).
Transport quorum: where a DID requires k of n transports on a chain (registry setTransportQuorum, attestation kind 12),
every attestation of that DID to that chain goes over each transport of the quorum the relayer can reach; the chain
applies it on the k-th arrival.

Usage:
  relayer                   run (feed -> outbox -> per-chain delivery)
  relayer retry-dead <id>   put a dead-lettered job back in the queue
  relayer --help

Environment:
  RELAYER_DEPLOYMENT   deployment JSON (chains and receivers)        [data/deployment.json]
  RELAYER_DB           SQLite file                                   [data/relayer.sqlite]
  ORACLE_URL           oracle base URL                               [http://127.0.0.1:8080]
  RELAYER_HOST/PORT    status API address                            [127.0.0.1:8090]
  RELAYER_KEY          gas-paying private key (required outside dev mode)
  RELAYER_DEV_MODE=1   use anvil's second well-known account
  RELAYER_POLL_MS      feed poll interval                            [250]
  RELAYER_RECEIPT_TIMEOUT_MS  how long to wait for a receipt and its confirmations before re-checking [60000]
  RELAYER_CCIP_VERIFIER_KEYS  keys of the local CCIP CommitteeVerifier (local lanes only; dev mode: DEV-ONLY keys)
  RELAYER_CCIP_VERSION_TAG    the CommitteeVerifier's 4-byte version tag
  RELAYER_WORMHOLE_GUARDIAN_KEYS  keys of guardians in the Wormhole adapters' sets (local transport; dev mode: DEV-ONLY keys)
  RELAYER_IN_FLIGHT_POLL_MS   how often a CCIP message that Chainlink's network carries (live lanes) is looked at [15000]
  RELAYER_STAGE_KEEPER_MS     how often the hub's redemption stage is checked against the day; 0 turns it off [30000]
  RELAYER_DISABLED_TRANSPORTS transports not to use, comma-separated (cctp, ccip, wormhole): their jobs wait [none]
  RELAYER_MAX_IN_FLIGHT       delivery transactions in flight per chain at most (pipelined delivery) [64]
  RELAYER_MAX_BATCH           attestations per batched delivery at most, CCTP-style; 1: no batches [64]
  RELAYER_ADMIN_TOKEN         bearer token of the operator route POST /v1/dead-letters/:jobId/retry (off when unset)
  LOG_LEVEL            pino level                                    [info]
`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  const config = loadConfig(process.env);
  const logger = createLogger('relayer', config.logLevel);
  const { db, close: closeDb } = openDb(config.dbPath, schema, join(import.meta.dirname, 'store', 'migrations'));
  const outbox = new Outbox(db);

  if (args[0] === 'retry-dead') {
    const id = Number(args[1]);
    if (!Number.isSafeInteger(id)) throw new ConfigError('retry-dead needs a numeric job id (see GET /v1/dead-letters)');
    const ok = outbox.retryDead(id, Date.now());
    process.stdout.write(ok ? `job ${id} queued again\n` : `job ${id} is not dead-lettered\n`);
    closeDb();
    process.exit(ok ? 0 : 1);
  }

  // The retry-dead command above is a tool beside a running relayer; the service itself runs once per store.
  exitOnUnhandled(logger);
  const instance = acquireInstanceLock(config.dbPath, 'relayer');
  const metrics = createMetrics();
  const { deployment } = config;
  const chains = deployment.chains;
  const hub = deployment.hub;
  const problems = ccipDeploymentProblems(deployment);
  if (problems.length > 0) throw new ConfigError(`RELAYER_DEPLOYMENT: ${problems.join('; ')}`);
  let needed: Map<number, Set<TransportName>>;
  try {
    needed = transportsPerChain(deployment);
  } catch (err) {
    if (err instanceof RouteError) throw new ConfigError(`RELAYER_DEPLOYMENT: ${err.message}`);
    throw err;
  }
  // One nonce counter per (chain, account) for every worker: the hub's own worker and the CCIP lanes' source side
  // all send from the relayer's account on the hub.
  const nonces = new NonceManager();
  const byId = new Map(chains.map((c) => [c.chainId, c]));
  const lanes = ccipLanesOf(deployment);
  if (lanes.some((l) => l.mode === 'local') && config.ccipVerifierKeys.length === 0) {
    throw new ConfigError('RELAYER_CCIP_VERIFIER_KEYS is required to execute CCIP messages on local lanes');
  }
  /** CCIP to one chain: one lane transport per source (the hub, and spokes whose requests travel to the hub). */
  const makeCcip = (chainId: number): Transport => {
    const bySource = new Map<number, Transport>();
    for (const l of lanes.filter((x) => x.to === chainId)) {
      // ccipDeploymentProblems checked that both ends are deployment chains and that local lanes have both ramps.
      const src = byId.get(l.from)!;
      const dst = byId.get(l.to)!;
      const lane = new CcipTransport(
        {
          source: { chainId: src.chainId, name: src.name, rpcUrl: src.rpcUrl, sender: l.sender as Address, confirmations: src.confirmations },
          destination: { ...dst, selector: BigInt(l.selector), adapter: l.adapter as Address },
          roles:
            l.mode === 'live'
              ? { mode: 'live', ...(l.offRamp ? { offRamp: l.offRamp as Address } : {}) }
              : { mode: 'local', onRamp: l.onRamp as Address, offRamp: l.offRamp as Address, verifierKeys: config.ccipVerifierKeys, versionTag: config.ccipVersionTag },
        },
        config.key,
        config.receiptTimeoutMs,
        nonces,
      );
      bySource.set(l.from, lane);
    }
    return new CcipLanes(chainId, hub.chainId, bySource);
  };
  if ([...needed.values()].some((s) => s.has('wormhole')) && config.wormholeGuardianKeys.length === 0) {
    throw new ConfigError('RELAYER_WORMHOLE_GUARDIAN_KEYS is required to sign VAAs for the local Wormhole transport');
  }
  /** Wormhole to one chain: the hub's RwaWormholeEmitter publishes, the chain's RwaWormholeReceiver verifies. */
  const hubChain = byId.get(hub.chainId);
  const makeWormhole = (chain: DeployedChain): Transport => {
    // transportsPerChain checked that a chain reached over wormhole has its block and a known emitter chain id.
    const wh = chain.wormhole!;
    if (!hubChain) throw new ConfigError(`chains: the hub (chain ${hub.chainId}) must be listed to publish Wormhole messages from it`);
    return new WormholeTransport(
      {
        source: { chainId: hubChain.chainId, name: hubChain.name, rpcUrl: hubChain.rpcUrl, emitter: wh.emitter as Address, confirmations: hubChain.confirmations },
        destination: { ...chain, adapter: wh.adapter as Address, emitterChainId: wormholeChainId(wh.emitterChainId) },
        guardianKeys: config.wormholeGuardianKeys,
      },
      config.key,
      config.receiptTimeoutMs,
      nonces,
    );
  };
  const makeTransport = (name: TransportName, chain: DeployedChain): Transport => {
    if (name === 'ccip') return makeCcip(chain.chainId);
    if (name === 'wormhole') return makeWormhole(chain);
    return new CctpTransport(chain, config.key, config.receiptTimeoutMs, nonces);
  };
  const workers = chains.map((chain) => {
    const names = [...(needed.get(chain.chainId) ?? [])];
    const transports = new Map<TransportName, Transport>(names.map((name) => [name, makeTransport(name, chain)]));
    const pub = chainClients(chain, config.key).pub;
    return new ChainWorker({
      chainId: chain.chainId,
      outbox,
      transports,
      disabled: config.disabledTransports,
      arrivals: quorumArrivals(pub),
      appliedBy: appliedByReader(pub),
      inFlightPollMs: config.inFlightPollMs,
      policy: DEFAULT_BACKOFF,
      parkPolicy: PARK_BACKOFF,
      didWaitPolicy: DID_WAIT_BACKOFF,
      maxCcipExecutions: MAX_CCIP_EXECUTIONS,
      metrics,
      logger: logger.child({ module: 'worker', chainId: chain.chainId, chain: chain.name, transports: names }),
      now: Date.now,
      random: Math.random,
      idleMs: config.pollMs,
      pipeline: { maxInFlight: config.maxInFlight, maxBatch: config.maxBatch },
      curse: receiverCurseFlag(pub, chain.receiver as Address, CURSE_FLAG_TTL_MS, logger.child({ module: 'curse', chainId: chain.chainId }), () =>
        metrics.failures.inc({ chain: String(chain.chainId), reason: 'curse flag unreadable' }),
      ),
    });
  });
  const feed = new FeedReader(config.oracleUrl, outbox, routeResolver(deployment), hub.chainId, logger.child({ module: 'feed' }));
  const blockedBy = new Map(chains.map((c, i) => [c.chainId, workers[i]!] as const));
  const app = createStatusApp(
    outbox,
    metrics,
    chains.map((c) => c.chainId),
    {
      disabled: [...config.disabledTransports],
      chains: chains.map((c) => ({ chainId: c.chainId, transports: [...(needed.get(c.chainId) ?? [])] })),
    },
    (chainId) => blockedBy.get(chainId)?.blocked(),
    logger,
    { token: config.adminToken },
  );
  for (const name of config.disabledTransports) metrics.transportDisabled.set({ transport: name }, 1);
  const { server, port } = await listen(app, config.host, config.port);
  for (const w of workers) w.start();
  logger.info({ port, oracleUrl: config.oracleUrl, chains: chains.map((c) => c.chainId), db: config.dbPath, disabledTransports: [...config.disabledTransports] }, 'relayer running');

  const feedLoop = runPeriodic(
    async () => {
      const added = await feed.pull(Date.now);
      if (added > 0) for (const w of workers) w.wakeup.notify();
    },
    {
      everyMs: config.pollMs,
      backoffMs: (failures) => backoffDelay(failures, DEFAULT_BACKOFF, Math.random()),
      onError: (err, retryInMs) => logger.warn({ err, retryInMs }, 'oracle feed unavailable'),
    },
  );

  // Keeper: lowers (or raises) the hub's redemption stage when a new day alone changes it.
  const hubEntry = byId.get(hub.chainId);
  const keeper =
    config.stageKeeperMs === 0 || !hubEntry
      ? undefined
      : new StageKeeper(
          { chainId: hubEntry.chainId, name: hubEntry.name, rpcUrl: hubEntry.rpcUrl, receiver: hubEntry.receiver as Address, confirmations: hubEntry.confirmations },
          config.key,
          deployment.dids.map((d) => d.didHash as Hex),
          nonces,
          logger.child({ module: 'stage-keeper' }),
        );
  const keeperLoop =
    keeper &&
    runPeriodic(() => keeper.tick(), {
      everyMs: config.stageKeeperMs,
      backoffMs: () => config.stageKeeperMs,
      onError: (err) => logger.warn({ err, module: 'stage-keeper' }, 'redemption stage check failed; will look again'),
    });

  // Drain keeper per chain: applies settlements the brakes queued once their bucket holds them (drainQueued).
  const drainLoops =
    config.drainKeeperMs === 0
      ? []
      : chains.map((c) => {
          const log = logger.child({ module: 'drain-keeper', chainId: c.chainId });
          const drain = new DrainKeeper(
            { chainId: c.chainId, name: c.name, rpcUrl: c.rpcUrl, receiver: c.receiver as Address, confirmations: c.confirmations },
            config.key,
            nonces,
            metrics,
            log,
            { maxItems: config.drainMaxItems, startBlock: 0n, maxSpan: 10_000n },
          );
          return runPeriodic(() => drain.tick(), {
            everyMs: config.drainKeeperMs,
            backoffMs: (failures) => backoffDelay(failures, DEFAULT_BACKOFF, Math.random()),
            onError: (err, retryInMs) => log.warn({ err, retryInMs }, 'brakes queue check failed; will look again'),
          });
        });

  stopOnSignals(logger, async () => {
    await Promise.all([feedLoop.stop(), keeperLoop?.stop(), ...drainLoops.map((l) => l.stop())]);
    await Promise.all(workers.map((w) => w.stop()));
    await close(server);
    closeDb();
    instance.release();
  });
}

main().catch((err: unknown) => {
  const message = err instanceof ConfigError || err instanceof InstanceLockedError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`relayer failed: ${message}\n`);
  process.exit(1);
});
