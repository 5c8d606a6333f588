import { readFileSync } from 'node:fs';
import { isHex, type Hex } from 'viem';
import { parseDeployment, type Deployment } from '../schemas/deployment.js';
import { DEV_COMMITTEE_KEYS } from '../schemas/dev-keys.js';

export interface OracleConfig {
  port: number;
  host: string;
  dbPath: string;
  deployment: Deployment;
  committeeKeys: readonly Hex[];
  devMode: boolean;
  logLevel: string;
  /** Largest clock skew accepted on a custodian's settledAt / asOf, in seconds. */
  maxFutureSkewSeconds: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The only place that reads the environment; everything else receives this object. */
export function loadConfig(env: NodeJS.ProcessEnv): OracleConfig {
  const deploymentPath = env.ORACLE_DEPLOYMENT ?? 'data/deployment.json';
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(deploymentPath, 'utf8'));
  } catch (err) {
    throw new ConfigError(`ORACLE_DEPLOYMENT: cannot read ${deploymentPath}`, { cause: err });
  }
  const parsed = parseDeployment(raw);
  if (!parsed.ok) throw new ConfigError(`ORACLE_DEPLOYMENT: ${parsed.issue.field} ${parsed.issue.message}`);

  const devMode = env.ORACLE_DEV_MODE === '1';
  let committeeKeys: readonly Hex[];
  if (env.ORACLE_COMMITTEE_KEYS) {
    const keys = env.ORACLE_COMMITTEE_KEYS.split(',').map((k) => k.trim());
    if (!keys.every((k) => isHex(k) && k.length === 66)) throw new ConfigError('ORACLE_COMMITTEE_KEYS: expected comma-separated 32-byte hex keys');
    committeeKeys = keys as Hex[];
    if (!devMode && committeeKeys.some((k) => DEV_COMMITTEE_KEYS.includes(k))) {
      throw new ConfigError('ORACLE_COMMITTEE_KEYS: dev-only keys are refused outside dev mode (ORACLE_DEV_MODE=1)');
    }
  } else if (devMode) {
    committeeKeys = DEV_COMMITTEE_KEYS;
  } else {
    throw new ConfigError('ORACLE_COMMITTEE_KEYS is required outside dev mode');
  }

  const port = Number(env.ORACLE_PORT ?? '8080');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('ORACLE_PORT: expected a TCP port');
  return {
    port,
    host: env.ORACLE_HOST ?? '127.0.0.1',
    dbPath: env.ORACLE_DB ?? 'data/oracle.sqlite',
    deployment: parsed.value,
    committeeKeys,
    devMode,
    logLevel: env.LOG_LEVEL ?? 'info',
    maxFutureSkewSeconds: 300,
  };
}
