import { readFileSync } from 'node:fs';
import { isHex, type Hex } from 'viem';
import { parseDeployment, type Deployment, type TransportName } from '../schemas/deployment.js';
import { TRANSPORT_NAMES } from '../schemas/message.js';
import { ANVIL_RELAYER_KEY, DEV_LOCAL_CCV_KEYS, DEV_LOCAL_CCV_THRESHOLD, DEV_WORMHOLE_GUARDIAN_KEYS, LOCAL_COMMITTEE_VERSION_TAG } from '../schemas/dev-keys.js';

export interface RelayerConfig {
  port: number;
  host: string;
  dbPath: string;
  oracleUrl: string;
  deployment: Deployment;
  key: Hex;
  pollMs: number;
  /** How long a delivery's receipt (and its confirmations) is awaited before the job is re-checked. */
  receiptTimeoutMs: number;
  /** How often a delivery Chainlink's network is carrying (live CCIP lanes) is looked at again. */
  inFlightPollMs: number;
  /** How often the hub's redemption stage is checked against the current day (0: the keeper is off). */
  stageKeeperMs: number;
  /** How often each chain's brakes queues are looked at for settlements the bucket now holds (0: the keeper is off). */
  drainKeeperMs: number;
  /** Most queued settlements one drainQueued call applies. */
  drainMaxItems: number;
  logLevel: string;
  /** Local CCIP lanes only: the destination CommitteeVerifier's keys and version tag (the relayer plays it). */
  ccipVerifierKeys: readonly Hex[];
  ccipVersionTag: Hex;
  /** Local Wormhole transport only: keys of guardians in the destination adapters' sets (the relayer signs VAAs). */
  wormholeGuardianKeys: readonly Hex[];
  /** Transports not to use (an incident on a bridge): their jobs wait, and a transport quorum counts on the others. */
  disabledTransports: ReadonlySet<TransportName>;
  /** Pipelined delivery per chain: delivery tasks (transactions) in flight at most, and items per batch at most. */
  maxInFlight: number;
  maxBatch: number;
  /** RELAYER_ADMIN_TOKEN: bearer token of the operator routes (POST /v1/dead-letters/:jobId/retry); absent: off. */
  adminToken?: string;
}

/** RELAYER_DISABLED_TRANSPORTS: comma-separated transport names, empty or absent for none. */
export function parseDisabledTransports(value: string | undefined): Set<TransportName> {
  const names = (value ?? '').split(',').map((n) => n.trim()).filter((n) => n !== '');
  const unknown = names.find((n) => !(TRANSPORT_NAMES as readonly string[]).includes(n));
  if (unknown !== undefined) throw new ConfigError(`RELAYER_DISABLED_TRANSPORTS: unknown transport "${unknown}" (one of ${TRANSPORT_NAMES.join(', ')})`);
  return new Set(names as TransportName[]);
}

export { ConfigError } from '../common/config-error.js';
import { ConfigError, tcpPort } from '../common/config-error.js';
import { parseToken } from '../common/bearer.js';

export function loadConfig(env: NodeJS.ProcessEnv): RelayerConfig {
  const path = env.RELAYER_DEPLOYMENT ?? 'data/deployment.json';
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`RELAYER_DEPLOYMENT: cannot read ${path}`, { cause: err });
  }
  const parsed = parseDeployment(raw);
  if (!parsed.ok) throw new ConfigError(`RELAYER_DEPLOYMENT: ${parsed.issue.field} ${parsed.issue.message}`);
  let key: Hex;
  if (env.RELAYER_KEY) {
    if (!isHex(env.RELAYER_KEY) || env.RELAYER_KEY.length !== 66) throw new ConfigError('RELAYER_KEY: expected a 32-byte hex private key');
    key = env.RELAYER_KEY;
  } else if (env.RELAYER_DEV_MODE === '1') {
    key = ANVIL_RELAYER_KEY;
  } else {
    throw new ConfigError('RELAYER_KEY is required outside dev mode (RELAYER_DEV_MODE=1 uses an anvil account)');
  }
  const oracleUrl = env.ORACLE_URL ?? 'http://127.0.0.1:8080';
  try {
    new URL(oracleUrl);
  } catch {
    throw new ConfigError('ORACLE_URL: expected a URL');
  }
  const port = tcpPort(env, 'RELAYER_PORT', 8090);
  const pollMs = Number(env.RELAYER_POLL_MS ?? '250');
  if (!Number.isInteger(pollMs) || pollMs < 10) throw new ConfigError('RELAYER_POLL_MS: expected an integer >= 10');
  let ccipVerifierKeys: readonly Hex[] = [];
  if (env.RELAYER_CCIP_VERIFIER_KEYS) {
    const keys = env.RELAYER_CCIP_VERIFIER_KEYS.split(',').map((k) => k.trim());
    if (!keys.every((k) => isHex(k) && k.length === 66)) throw new ConfigError('RELAYER_CCIP_VERIFIER_KEYS: expected comma-separated 32-byte hex keys');
    ccipVerifierKeys = keys as Hex[];
  } else if (env.RELAYER_DEV_MODE === '1') {
    ccipVerifierKeys = DEV_LOCAL_CCV_KEYS.slice(0, DEV_LOCAL_CCV_THRESHOLD);
  }
  let wormholeGuardianKeys: readonly Hex[] = [];
  if (env.RELAYER_WORMHOLE_GUARDIAN_KEYS) {
    const keys = env.RELAYER_WORMHOLE_GUARDIAN_KEYS.split(',').map((k) => k.trim());
    if (!keys.every((k) => isHex(k) && k.length === 66)) throw new ConfigError('RELAYER_WORMHOLE_GUARDIAN_KEYS: expected comma-separated 32-byte hex keys');
    wormholeGuardianKeys = keys as Hex[];
  } else if (env.RELAYER_DEV_MODE === '1') {
    wormholeGuardianKeys = DEV_WORMHOLE_GUARDIAN_KEYS;
  }
  const ccipVersionTag = (env.RELAYER_CCIP_VERSION_TAG ?? LOCAL_COMMITTEE_VERSION_TAG) as Hex;
  if (!isHex(ccipVersionTag) || ccipVersionTag.length !== 10) throw new ConfigError('RELAYER_CCIP_VERSION_TAG: expected 4 bytes of hex');
  const receiptTimeoutMs = Number(env.RELAYER_RECEIPT_TIMEOUT_MS ?? '60000');
  if (!Number.isInteger(receiptTimeoutMs) || receiptTimeoutMs < 100) throw new ConfigError('RELAYER_RECEIPT_TIMEOUT_MS: expected an integer >= 100');
  const inFlightPollMs = Number(env.RELAYER_IN_FLIGHT_POLL_MS ?? '15000');
  if (!Number.isInteger(inFlightPollMs) || inFlightPollMs < 100) throw new ConfigError('RELAYER_IN_FLIGHT_POLL_MS: expected an integer >= 100');
  const stageKeeperMs = Number(env.RELAYER_STAGE_KEEPER_MS ?? '30000');
  if (!Number.isInteger(stageKeeperMs) || (stageKeeperMs !== 0 && stageKeeperMs < 100)) throw new ConfigError('RELAYER_STAGE_KEEPER_MS: expected 0 (off) or an integer >= 100');
  const drainKeeperMs = Number(env.RELAYER_DRAIN_KEEPER_MS ?? '2000');
  if (!Number.isInteger(drainKeeperMs) || (drainKeeperMs !== 0 && drainKeeperMs < 100)) throw new ConfigError('RELAYER_DRAIN_KEEPER_MS: expected 0 (off) or an integer >= 100');
  const drainMaxItems = Number(env.RELAYER_DRAIN_MAX_ITEMS ?? '16');
  if (!Number.isInteger(drainMaxItems) || drainMaxItems < 1 || drainMaxItems > 256) throw new ConfigError('RELAYER_DRAIN_MAX_ITEMS: expected an integer from 1 to 256');
  const disabledTransports = parseDisabledTransports(env.RELAYER_DISABLED_TRANSPORTS);
  const maxInFlight = Number(env.RELAYER_MAX_IN_FLIGHT ?? '64');
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1 || maxInFlight > 1_000) throw new ConfigError('RELAYER_MAX_IN_FLIGHT: expected an integer from 1 to 1000');
  const maxBatch = Number(env.RELAYER_MAX_BATCH ?? '64');
  if (!Number.isInteger(maxBatch) || maxBatch < 1 || maxBatch > 1_000) throw new ConfigError('RELAYER_MAX_BATCH: expected an integer from 1 (no batches) to 1000');
  const adminToken = parseToken(env.RELAYER_ADMIN_TOKEN);
  if (typeof adminToken === 'object') throw new ConfigError(`RELAYER_ADMIN_TOKEN: ${adminToken.error}`);
  return {
    ...(adminToken ? { adminToken } : {}),
    maxInFlight,
    maxBatch,
    disabledTransports,
    receiptTimeoutMs,
    inFlightPollMs,
    stageKeeperMs,
    drainKeeperMs,
    drainMaxItems,
    ccipVerifierKeys,
    ccipVersionTag,
    wormholeGuardianKeys,
    port,
    host: env.RELAYER_HOST ?? '127.0.0.1',
    dbPath: env.RELAYER_DB ?? 'data/relayer.sqlite',
    oracleUrl: oracleUrl.replace(/\/$/, ''),
    deployment: parsed.value,
    key,
    pollMs,
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
