import { readFileSync } from 'node:fs';
import { parseToken } from '../common/bearer.js';
import { isHex, type Hex } from 'viem';
import type { Deployment } from '../schemas/deployment.js';
import { ANVIL_DEPLOYER_KEY, ANVIL_RELAYER_KEY, DEV_COMMITTEE_KEYS, DEV_CUSTODIAN_KEY, DEV_ISSUER_KEY, DEV_NAV_PUBLISHER_KEY, DEV_OUTSIDER_KEY } from '../schemas/dev-keys.js';
import { readDeploymentFile } from '../common/deployment-file.js';
import { ConfigError, tcpPort } from '../common/config-error.js';
import { decryptKeystore, KeystoreError } from './keystore.js';

export interface SignerConfig {
  host: string;
  port: number;
  dbPath: string;
  /** The deployment, with this signer's own RPC endpoints (SIGNER_RPC_URLS) in place of the file's. */
  deployment: Deployment;
  /** Secret: never logged. */
  key: Hex;
  keySource: 'SIGNER_KEY' | 'SIGNER_KEYSTORE' | 'SIGNER_DEV_INDEX';
  devMode: boolean;
  logLevel: string;
  /** Largest clock skew accepted on a custodian's settledAt / asOf, in seconds (as the aggregator). */
  maxFutureSkewSeconds: number;
  /** How much older than a redemption request a pinned supply block may be (seconds), SIGNER_PIN_LAG_SECONDS. */
  maxPinLagSeconds: number;
  /**
   * Secret the aggregator presents as `Authorization: Bearer <token>` on POST /v1/sign (SIGNER_AUTH_TOKEN); required
   * outside dev mode. Never logged.
   */
  authToken: string | undefined;
}

/** Every key in schemas/dev-keys.ts is public; none may sign outside dev mode. */
const PUBLIC_KEYS = new Set<string>([...DEV_COMMITTEE_KEYS, DEV_CUSTODIAN_KEY, DEV_NAV_PUBLISHER_KEY, DEV_ISSUER_KEY, DEV_OUTSIDER_KEY, ANVIL_DEPLOYER_KEY, ANVIL_RELAYER_KEY].map((k) => k.toLowerCase()));

function loadKey(env: NodeJS.ProcessEnv, devMode: boolean): Pick<SignerConfig, 'key' | 'keySource'> {
  if (env.SIGNER_KEY && env.SIGNER_KEYSTORE) throw new ConfigError('set SIGNER_KEY or SIGNER_KEYSTORE, not both');
  if (env.SIGNER_KEY) {
    if (!isHex(env.SIGNER_KEY) || env.SIGNER_KEY.length !== 66) throw new ConfigError('SIGNER_KEY: expected a 32-byte hex private key');
    return { key: env.SIGNER_KEY, keySource: 'SIGNER_KEY' };
  }
  if (env.SIGNER_KEYSTORE) {
    const password = env.SIGNER_KEYSTORE_PASSWORD;
    if (password === undefined) throw new ConfigError('SIGNER_KEYSTORE_PASSWORD is required with SIGNER_KEYSTORE');
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(env.SIGNER_KEYSTORE, 'utf8'));
    } catch (err) {
      throw new ConfigError(`SIGNER_KEYSTORE: cannot read a JSON keystore at ${env.SIGNER_KEYSTORE}`, { cause: err });
    }
    try {
      return { key: decryptKeystore(json, password), keySource: 'SIGNER_KEYSTORE' };
    } catch (err) {
      if (err instanceof KeystoreError) throw new ConfigError(`SIGNER_KEYSTORE: ${err.message}`, { cause: err });
      throw err;
    }
  }
  if (devMode) {
    const index = Number(env.SIGNER_DEV_INDEX);
    const key = DEV_COMMITTEE_KEYS[index];
    if (env.SIGNER_DEV_INDEX === undefined || !Number.isInteger(index) || !key) {
      throw new ConfigError(`SIGNER_DEV_INDEX: expected 0..${DEV_COMMITTEE_KEYS.length - 1} (which DEV-ONLY committee key) in dev mode`);
    }
    return { key, keySource: 'SIGNER_DEV_INDEX' };
  }
  throw new ConfigError('a key is required: SIGNER_KEY, or SIGNER_KEYSTORE with SIGNER_KEYSTORE_PASSWORD (or SIGNER_DEV_MODE=1 with SIGNER_DEV_INDEX)');
}

/** SIGNER_RPC_URLS="31337=http://...,31338=http://...": this operator's own endpoints, per chain id. */
function applyRpcOverrides(d: Deployment, value: string | undefined): Deployment {
  if (!value) return d;
  const urls = new Map<number, string>();
  for (const pair of value.split(',')) {
    const m = /^\s*(\d+)=(\S+)\s*$/.exec(pair);
    if (!m) throw new ConfigError('SIGNER_RPC_URLS: expected comma-separated chainId=url pairs');
    try {
      new URL(m[2]!);
    } catch {
      throw new ConfigError(`SIGNER_RPC_URLS: not a URL for chain ${m[1]}`);
    }
    urls.set(Number(m[1]), m[2]!);
  }
  return {
    ...d,
    hub: { ...d.hub, rpcUrl: urls.get(d.hub.chainId) ?? d.hub.rpcUrl },
    chains: d.chains.map((c) => ({ ...c, rpcUrl: urls.get(c.chainId) ?? c.rpcUrl })),
  };
}

function pinLag(value: string | undefined): number {
  const n = Number(value ?? '3600');
  if (!Number.isSafeInteger(n) || n < 0) throw new ConfigError('SIGNER_PIN_LAG_SECONDS: expected a non-negative integer');
  return n;
}

/** The signer's only reader of the environment; decrypts the keystore (if any) once, at boot. */
export function loadSignerConfig(env: NodeJS.ProcessEnv): SignerConfig {
  const devMode = env.SIGNER_DEV_MODE === '1';
  const file = readDeploymentFile(env.SIGNER_DEPLOYMENT ?? 'data/deployment.json', 'SIGNER_DEPLOYMENT');
  if (!file.ok) throw new ConfigError(file.message, { cause: file.cause });
  const { key, keySource } = loadKey(env, devMode);
  if (!devMode && PUBLIC_KEYS.has(key.toLowerCase())) throw new ConfigError(`${keySource}: a DEV-ONLY public key is refused outside dev mode (SIGNER_DEV_MODE=1)`);
  const port = tcpPort(env, 'SIGNER_PORT', 8100);
  const authToken = parseToken(env.SIGNER_AUTH_TOKEN);
  if (typeof authToken === 'object') throw new ConfigError(`SIGNER_AUTH_TOKEN: ${authToken.error}`);
  if (!authToken && !devMode) throw new ConfigError('SIGNER_AUTH_TOKEN is required outside dev mode: the secret the aggregator presents on POST /v1/sign');
  return {
    authToken,
    host: env.SIGNER_HOST ?? '127.0.0.1',
    port,
    dbPath: env.SIGNER_DB ?? 'data/signer.sqlite',
    deployment: applyRpcOverrides(file.deployment, env.SIGNER_RPC_URLS),
    key,
    keySource,
    devMode,
    logLevel: env.LOG_LEVEL ?? 'info',
    maxFutureSkewSeconds: 300,
    maxPinLagSeconds: pinLag(env.SIGNER_PIN_LAG_SECONDS),
  };
}
