/**
 * Oracle composition root: config -> store -> chain readers -> committee -> service -> HTTP.
 * Usage: tsx oracle/main.ts [--help]. Configuration comes from the environment (see README, "Oracle").
 */
import { join } from 'node:path';
import type { Address } from 'viem';
import { loadConfig, ConfigError } from './config.js';
import { openDb } from '../common/sqlite.js';
import { createLogger } from '../common/logger.js';
import { listen, close } from '../common/serve.js';
import * as schema from './store/schema.js';
import { AttestationStore } from './store/attestations.js';
import { RegistryReader } from './chain/registry.js';
import { Destinations } from './chain/destinations.js';
import { Committee } from './committee.js';
import { OracleService } from './service.js';
import { createMetrics } from './metrics.js';
import { createApp } from './http/app.js';

const HELP = `rwa oracle: custodian API and committee signer

Environment:
  ORACLE_DEPLOYMENT      deployment JSON (hub registry, chains, receivers)   [data/deployment.json]
  ORACLE_DB              SQLite file                                          [data/oracle.sqlite]
  ORACLE_HOST/PORT       listen address                                       [127.0.0.1:8080]
  ORACLE_COMMITTEE_KEYS  comma-separated committee private keys (required outside dev mode)
  ORACLE_DEV_MODE=1      use the deterministic DEV-ONLY committee keys
  LOG_LEVEL              pino level                                           [info]
`;

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  const config = loadConfig(process.env);
  const logger = createLogger('oracle', config.logLevel);
  const { db, close: closeDb } = openDb(config.dbPath, schema, join(import.meta.dirname, 'store', 'migrations'));
  const store = new AttestationStore(db);
  const metrics = createMetrics();
  const registryAddress = config.deployment.hub.registry as Address;
  const registry = new RegistryReader(config.deployment.hub.rpcUrl, registryAddress);
  const destinations = new Destinations(config.deployment.chains);
  const committee = new Committee(config.committeeKeys);
  const service = new OracleService({
    registry,
    registryAddress,
    hubChainId: BigInt(config.deployment.hub.chainId),
    destinations,
    committee,
    store,
    metrics,
    logger: logger.child({ module: 'service' }),
    now: () => BigInt(Math.floor(Date.now() / 1000)),
    maxFutureSkewSeconds: config.maxFutureSkewSeconds,
  });
  const app = createApp({ service, store, destinations, registry, metrics, logger });
  const { server, port } = await listen(app, config.host, config.port);
  logger.info({ port, host: config.host, committee: committee.addresses, devMode: config.devMode, db: config.dbPath }, 'oracle listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'oracle stopping');
    await close(server);
    closeDb();
    logger.info('oracle stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  const message = err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`oracle failed to start: ${message}\n`);
  process.exit(1);
});
