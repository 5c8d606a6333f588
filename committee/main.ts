/**
 * Committee signer composition root: config (key) -> store -> own chain readers -> signer service -> HTTP.
 * Usage: tsx committee/main.ts [--help]. One process per committee member, each with its own key and store.
 */
import { join } from 'node:path';
import type { Address } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { fastAccount } from '../core/ecdsa.js';
import { openDb } from '../common/sqlite.js';
import { acquireInstanceLock, InstanceLockedError } from '../common/instance-lock.js';
import { exitOnUnhandled, stopOnSignals } from '../common/lifecycle.js';
import { createLogger } from '../common/logger.js';
import { listen, close } from '../common/serve.js';
import { ConfigError } from '../common/config-error.js';
import { RegistryReader } from '../core/chain/registry.js';
import { Destinations } from '../core/chain/destinations.js';
import { RedemptionChains } from '../core/chain/redemptions.js';
import { loadSignerConfig } from './config.js';
import * as schema from './store/schema.js';
import { SignedStore } from './store/signed.js';
import { SignerService } from './signer.js';
import { createSignerMetrics } from './metrics.js';
import { createSignerApp } from './http.js';
import { warnJavascriptCrypto } from '../core/crypto-backends.js';

const HELP = `rwa committee signer: re-checks each request (custodian, NAV publisher, issuer, registry config) on its own and signs attestations

Usage: tsx committee/main.ts [--help]

Environment:
  SIGNER_DEPLOYMENT         deployment JSON (hub registry, chains, receivers, governance) [data/deployment.json]
  SIGNER_RPC_URLS           own RPC endpoints, chainId=url,... (default: the deployment's)
  SIGNER_DB                 SQLite file: what this signer signed (equivocation record) [data/signer.sqlite]
  SIGNER_HOST/PORT          listen address                                             [127.0.0.1:8100]
  SIGNER_KEY                the committee member's private key (32-byte hex), or
  SIGNER_KEYSTORE           an encrypted JSON keystore (Web3 Secret Storage v3, scrypt or pbkdf2)
  SIGNER_KEYSTORE_PASSWORD  its password
  SIGNER_PIN_LAG_SECONDS    how much older than a redemption request a pinned supply block may be [3600]
  SIGNER_AUTH_TOKEN         secret the aggregator sends as "Authorization: Bearer <token>" on POST /v1/sign
                            (32+ printable characters; required outside dev mode)
  SIGNER_DEV_MODE=1         allow DEV-ONLY keys; with SIGNER_DEV_INDEX=0..2 and no key, use that dev committee key
  LOG_LEVEL                 pino level                                                 [info]

API: POST /v1/sign, GET /health, /ready, /metrics, /openapi.json
`;

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  const config = loadSignerConfig(process.env);
  // Signatures through libsecp256k1 where it loads (core/ecdsa.ts): the same bytes as viem's, about 20x less CPU.
  const account = fastAccount(privateKeyToAccount(config.key), config.key);
  const logger = createLogger('signer', config.logLevel).child({ signer: account.address });
  exitOnUnhandled(logger);
  warnJavascriptCrypto(logger);
  const instance = acquireInstanceLock(config.dbPath, 'signer');
  const { db, close: closeDb } = openDb(config.dbPath, schema, join(import.meta.dirname, 'store', 'migrations'));
  const store = new SignedStore(db);
  const metrics = createSignerMetrics();
  const registryAddress = config.deployment.hub.registry as Address;
  const registry = new RegistryReader(config.deployment.hub.rpcUrl, registryAddress);
  // Its own view of every chain's redemptions module and of the hub registry's policies (kinds 7..11).
  const redemptionChains = new RedemptionChains(config.deployment.chains, { rpcUrl: config.deployment.hub.rpcUrl, registry: registryAddress });
  const service = new SignerService({
    account,
    store,
    registry,
    chains: new Destinations(config.deployment.chains),
    custodianDomain: { hubChainId: BigInt(config.deployment.hub.chainId), registry: registryAddress },
    governance: { signers: config.deployment.governance.signers as Address[], threshold: config.deployment.governance.threshold },
    now: () => BigInt(Math.floor(Date.now() / 1000)),
    maxFutureSkewSeconds: config.maxFutureSkewSeconds,
    logger: logger.child({ module: 'signer' }),
    redemption: { chains: redemptionChains, policies: redemptionChains, hubChainId: config.deployment.hub.chainId, maxPinLagSeconds: config.maxPinLagSeconds },
    // Kind 12: the signer re-reads transportQuorumOf on the hub registry itself.
    quorums: registry,
    // Kind 17: the buy-back custodian and the issuer's liquidity bands, read on the hub registry.
    buyBacks: registry,
    // Kind 14: the signer re-reads brakesOf on the hub registry itself.
    brakes: registry,
  });
  const app = createSignerApp({
    service,
    metrics,
    logger,
    ...(config.authToken ? { authToken: config.authToken } : {}),
    ready: async () => {
      store.count();
      await registry.ping();
    },
  });
  const { server, port } = await listen(app, config.host, config.port);
  logger.info({ port, host: config.host, keySource: config.keySource, devMode: config.devMode, db: config.dbPath }, 'signer listening');

  stopOnSignals(logger, async () => {
    await close(server);
    closeDb();
    instance.release();
  });
}

main().catch((err: unknown) => {
  const message = err instanceof ConfigError || err instanceof InstanceLockedError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`signer failed to start: ${message}\n`);
  process.exit(1);
});
