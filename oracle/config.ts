import { parseToken } from '../common/bearer.js';
import { isHex, type Hex } from 'viem';
import type { Deployment } from '../schemas/deployment.js';
import { DEV_COMMITTEE_KEYS } from '../schemas/dev-keys.js';
import { readDeploymentFile } from '../common/deployment-file.js';
import { parseFault, type FaultSpec } from './issue/fault.js';
import { MAX_SIGN_BATCH } from '../schemas/committee.js';
import type { ReadConfig } from './api/read/side.js';

/** Where committee signatures come from: keys this process holds, or independent signer processes. */
/** `tokens[i]` is the bearer token of signer `urls[i]` (ORACLE_SIGNER_TOKENS); absent only in dev mode. */
export type CommitteeConfig = { mode: 'local'; keys: readonly Hex[] } | { mode: 'remote'; urls: readonly string[]; timeoutMs: number; tokens?: readonly string[] };

export interface OracleConfig {
  port: number;
  host: string;
  dbPath: string;
  deployment: Deployment;
  committee: CommitteeConfig;
  devMode: boolean;
  logLevel: string;
  /** Base URL published as the service endpoint in DID documents; default: the URL a request came in on. */
  publicUrl: string | undefined;
  /** Largest clock skew accepted on a custodian's settledAt / asOf, in seconds. */
  maxFutureSkewSeconds: number;
  /** How often the hub registry is compared with what the chains were told (ms). */
  registrySyncMs: number;
  /** How often pending cross-chain moves are checked for an applied move-out (ms). */
  moveSyncMs: number;
  /** How long a move's in leg may be refused or fail to apply before the oracle voids it and returns the units. */
  moveInPatienceMs: number;
  /** A move not arrived or returned this long after acceptance is stranded: an alert. */
  moveDeadlineMs: number;
  /** Redemption watchers: how often they read the chains (ms), where they start without a cursor, blocks per log read. */
  redemptions: { syncMs: number; startBlock: bigint; logSpanBlocks: bigint };
  /** Dev-mode fault injection (ORACLE_FAULT=step[:kind], oracle/issue/fault.ts); refused outside dev mode. */
  fault: FaultSpec | undefined;
  /** How often open signing rounds are completed (ms); every open round is tried once at boot. */
  proposalSweepMs: number;
  /** Group commit: most settlements of one DID proposed in one committee round (1 = one round per request). */
  signBatchMax: number;
  /** First hub block with registry events (the registry's deployment block): where member lists are read from. */
  registryStartBlock: bigint;
  /** Public read routes: per-client and global limits, cache staleness, chain-call budget (docs/api.md, "Public reads"). */
  reads: ReadConfig;
}

export { ConfigError } from '../common/config-error.js';
import { ConfigError, tcpPort } from '../common/config-error.js';

function positiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new ConfigError(`${name}: expected a positive integer`);
  return n;
}

function blockNumber(value: string, name: string): bigint {
  if (!/^(0|[1-9][0-9]{0,19})$/.test(value)) throw new ConfigError(`${name}: expected a block number`);
  return BigInt(value);
}

function loadCommittee(env: NodeJS.ProcessEnv, devMode: boolean): CommitteeConfig {
  if (env.ORACLE_SIGNER_URLS) {
    if (env.ORACLE_COMMITTEE_KEYS) throw new ConfigError('set ORACLE_SIGNER_URLS or ORACLE_COMMITTEE_KEYS, not both');
    const urls = env.ORACLE_SIGNER_URLS.split(',').map((u) => u.trim().replace(/\/+$/, ''));
    for (const u of urls) {
      let parsed: URL;
      try {
        parsed = new URL(u);
      } catch {
        throw new ConfigError('ORACLE_SIGNER_URLS: expected comma-separated http(s) URLs');
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ConfigError('ORACLE_SIGNER_URLS: expected http(s) URLs');
    }
    if (new Set(urls).size !== urls.length) throw new ConfigError('ORACLE_SIGNER_URLS: a signer URL is listed twice');
    const timeoutMs = Number(env.ORACLE_SIGNER_TIMEOUT_MS ?? '5000');
    if (!Number.isInteger(timeoutMs) || timeoutMs < 50 || timeoutMs > 120_000) throw new ConfigError('ORACLE_SIGNER_TIMEOUT_MS: expected 50..120000');
    const tokens = env.ORACLE_SIGNER_TOKENS ? env.ORACLE_SIGNER_TOKENS.split(',').map((t) => t.trim()) : undefined;
    if (tokens) {
      if (tokens.length !== urls.length) throw new ConfigError(`ORACLE_SIGNER_TOKENS: expected ${urls.length} tokens, one per ORACLE_SIGNER_URLS entry, in the same order`);
      for (const [i, t] of tokens.entries()) {
        const parsed = parseToken(t);
        if (parsed === undefined || typeof parsed === 'object') throw new ConfigError(`ORACLE_SIGNER_TOKENS[${i}]: ${parsed?.error ?? 'empty'}`);
      }
    } else if (!devMode) {
      throw new ConfigError('ORACLE_SIGNER_TOKENS is required with ORACLE_SIGNER_URLS outside dev mode: each signer\'s SIGNER_AUTH_TOKEN, in the same order');
    }
    return { mode: 'remote', urls, timeoutMs, ...(tokens ? { tokens } : {}) };
  }
  if (env.ORACLE_COMMITTEE_KEYS) {
    const keys = env.ORACLE_COMMITTEE_KEYS.split(',').map((k) => k.trim());
    if (!keys.every((k) => isHex(k) && k.length === 66)) throw new ConfigError('ORACLE_COMMITTEE_KEYS: expected comma-separated 32-byte hex keys');
    if (!devMode && keys.some((k) => DEV_COMMITTEE_KEYS.includes(k as Hex))) {
      throw new ConfigError('ORACLE_COMMITTEE_KEYS: dev-only keys are refused outside dev mode (ORACLE_DEV_MODE=1)');
    }
    return { mode: 'local', keys: keys as Hex[] };
  }
  if (devMode) return { mode: 'local', keys: DEV_COMMITTEE_KEYS };
  throw new ConfigError('ORACLE_SIGNER_URLS (signer processes) or ORACLE_COMMITTEE_KEYS is required outside dev mode');
}

function positiveNumber(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`${name}: expected a positive number`);
  return n;
}

function loadReads(env: NodeJS.ProcessEnv): ReadConfig {
  const cacheMs = Number(env.ORACLE_READ_CACHE_MS ?? '1000');
  if (!Number.isSafeInteger(cacheMs) || cacheMs < 0 || cacheMs > 60_000) throw new ConfigError('ORACLE_READ_CACHE_MS: expected 0..60000');
  const rate = positiveNumber(env.ORACLE_READ_RATE ?? '5', 'ORACLE_READ_RATE');
  const globalRate = positiveNumber(env.ORACLE_READ_GLOBAL_RATE ?? '50', 'ORACLE_READ_GLOBAL_RATE');
  const header = env.ORACLE_READ_CLIENT_HEADER?.trim().toLowerCase();
  if (header !== undefined && header !== '' && !/^[a-z0-9-]+$/.test(header)) throw new ConfigError('ORACLE_READ_CLIENT_HEADER: expected a header name');
  const trusted = (env.ORACLE_READ_TRUSTED_CLIENTS ?? '').split(',').map((a) => a.trim()).filter((a) => a !== '');
  return {
    cacheMs,
    chainConcurrency: positiveInt(env.ORACLE_READ_CHAIN_CONCURRENCY ?? '4', 'ORACLE_READ_CHAIN_CONCURRENCY'),
    perClient: { rate, burst: positiveInt(env.ORACLE_READ_BURST ?? String(Math.max(1, Math.ceil(rate * 2))), 'ORACLE_READ_BURST') },
    global: { rate: globalRate, burst: positiveInt(env.ORACLE_READ_GLOBAL_BURST ?? String(Math.max(1, Math.ceil(globalRate))), 'ORACLE_READ_GLOBAL_BURST') },
    trustedClients: trusted,
    clientHeader: header === '' ? undefined : header,
  };
}

function signBatchMax(value: string | undefined): number {
  const n = Number(value ?? String(MAX_SIGN_BATCH));
  if (!Number.isInteger(n) || n < 1 || n > MAX_SIGN_BATCH) throw new ConfigError(`ORACLE_SIGN_BATCH_MAX: expected 1..${MAX_SIGN_BATCH}`);
  return n;
}

/** The only place that reads the environment; everything else receives this object. */
export function loadConfig(env: NodeJS.ProcessEnv): OracleConfig {
  const file = readDeploymentFile(env.ORACLE_DEPLOYMENT ?? 'data/deployment.json', 'ORACLE_DEPLOYMENT');
  if (!file.ok) throw new ConfigError(file.message, { cause: file.cause });
  const devMode = env.ORACLE_DEV_MODE === '1';
  const committee = loadCommittee(env, devMode);

  let fault: FaultSpec | undefined;
  try {
    fault = parseFault(env.ORACLE_FAULT);
  } catch (err) {
    throw new ConfigError(err instanceof Error ? err.message : String(err));
  }
  if (fault && !devMode) throw new ConfigError('ORACLE_FAULT: fault injection is refused outside dev mode (ORACLE_DEV_MODE=1)');

  const port = tcpPort(env, 'ORACLE_PORT', 8080);
  const publicUrl = env.ORACLE_PUBLIC_URL?.replace(/\/+$/, '');
  if (publicUrl !== undefined) {
    try {
      new URL(publicUrl);
    } catch {
      throw new ConfigError('ORACLE_PUBLIC_URL: expected a URL');
    }
  }
  return {
    port,
    host: env.ORACLE_HOST ?? '127.0.0.1',
    dbPath: env.ORACLE_DB ?? 'data/oracle.sqlite',
    deployment: file.deployment,
    committee,
    devMode,
    logLevel: env.LOG_LEVEL ?? 'info',
    publicUrl,
    maxFutureSkewSeconds: 300,
    registrySyncMs: positiveInt(env.ORACLE_REGISTRY_SYNC_MS ?? '1000', 'ORACLE_REGISTRY_SYNC_MS'),
    moveSyncMs: positiveInt(env.ORACLE_MOVE_SYNC_MS ?? '1000', 'ORACLE_MOVE_SYNC_MS'),
    moveInPatienceMs: positiveInt(env.ORACLE_MOVE_IN_PATIENCE_MS ?? '600000', 'ORACLE_MOVE_IN_PATIENCE_MS'),
    moveDeadlineMs: positiveInt(env.ORACLE_MOVE_DEADLINE_MS ?? '1800000', 'ORACLE_MOVE_DEADLINE_MS'),
    fault,
    proposalSweepMs: positiveInt(env.ORACLE_PROPOSAL_SWEEP_MS ?? '5000', 'ORACLE_PROPOSAL_SWEEP_MS'),
    signBatchMax: signBatchMax(env.ORACLE_SIGN_BATCH_MAX),
    registryStartBlock: blockNumber(env.ORACLE_REGISTRY_START_BLOCK ?? '0', 'ORACLE_REGISTRY_START_BLOCK'),
    redemptions: {
      syncMs: positiveInt(env.ORACLE_REDEMPTION_SYNC_MS ?? '1000', 'ORACLE_REDEMPTION_SYNC_MS'),
      startBlock: blockNumber(env.ORACLE_REDEMPTION_START_BLOCK ?? '0', 'ORACLE_REDEMPTION_START_BLOCK'),
      logSpanBlocks: BigInt(positiveInt(env.ORACLE_LOG_SPAN_BLOCKS ?? '5000', 'ORACLE_LOG_SPAN_BLOCKS')),
    },
    reads: loadReads(env),
  };
}
