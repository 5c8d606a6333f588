import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Deployment } from '../../schemas/deployment.js';
import { startAnvil, freePort, stopChild, type AnvilChain } from './anvil.js';
import { waitFor } from './wait.js';
import { deployStack, writeDeployment } from './deploy.js';

const ROOT = join(import.meta.dirname, '..', '..');

export interface StackOptions {
  dataDir: string;
  /** Chain ids: the first is the hub. */
  chainIds?: readonly number[];
  chainPorts?: readonly number[];
  oraclePort?: number;
  relayerPort?: number;
  /** Where child process output goes: 'inherit' shows it, 'pipe' keeps it for failure messages. */
  output?: 'inherit' | 'pipe';
  logLevel?: string;
  onProgress?: (step: string) => void;
}

export interface Stack {
  chains: AnvilChain[];
  deployment: Deployment;
  deploymentPath: string;
  oracleUrl: string;
  relayerUrl: string;
  oracle: ChildProcess;
  relayer: ChildProcess;
  startRelayer(): Promise<ChildProcess>;
  stop(): Promise<void>;
}

export const DEFAULT_CHAINS = [
  { name: 'hub', chainId: 31337 },
  { name: 'spoke-a', chainId: 31338 },
  { name: 'spoke-b', chainId: 31339 },
] as const;

/** Runs `tsx <entry>` as a child process with the given environment; resolves once `healthUrl` answers 200. */
export async function startService(entry: string, env: NodeJS.ProcessEnv, healthUrl: string, output: 'inherit' | 'pipe'): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, entry)], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  if (output === 'inherit') {
    child.stdout?.pipe(process.stdout);
    child.stderr?.pipe(process.stderr);
  }
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}`);
        const ok = await fetch(healthUrl).then((r) => r.ok, () => false);
        return ok;
      },
      { what: `${entry} healthy at ${healthUrl}`, timeoutMs: 60_000 },
    );
  } catch (err) {
    await stopChild(child);
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- ${entry} output ---\n${tail}`);
  }
  return child;
}

/** Three anvil chains, contracts deployed, demo DID registered, oracle and relayer running. */
export async function startStack(opts: StackOptions): Promise<Stack> {
  const progress = opts.onProgress ?? (() => undefined);
  const output = opts.output ?? 'pipe';
  mkdirSync(opts.dataDir, { recursive: true });
  const specs = (opts.chainIds ?? DEFAULT_CHAINS.map((c) => c.chainId)).map((chainId, i) => ({ name: DEFAULT_CHAINS[i]?.name ?? `chain-${i}`, chainId }));
  progress(`starting ${specs.length} anvil chains`);
  const chains = await Promise.all(specs.map((s, i) => startAnvil(s.name, s.chainId, opts.chainPorts?.[i])));
  const children: ChildProcess[] = [];
  const stopAll = async () => {
    await Promise.all(children.map((c) => stopChild(c)));
    await Promise.all(chains.map((c) => c.stop()));
  };
  try {
    progress('deploying contracts and registering the demo DID');
    const deployment = await deployStack(chains.map((c) => ({ name: c.name, chainId: c.chainId, rpcUrl: c.rpcUrl })));
    const deploymentPath = join(opts.dataDir, 'deployment.json');
    writeDeployment(deploymentPath, deployment);

    const oraclePort = opts.oraclePort ?? (await freePort());
    const relayerPort = opts.relayerPort ?? (await freePort());
    const oracleUrl = `http://127.0.0.1:${oraclePort}`;
    const relayerUrl = `http://127.0.0.1:${relayerPort}`;
    const logLevel = opts.logLevel ?? 'info';
    progress('starting the oracle');
    const oracle = await startService(
      'oracle/main.ts',
      { ORACLE_DEPLOYMENT: deploymentPath, ORACLE_DB: join(opts.dataDir, 'oracle.sqlite'), ORACLE_PORT: String(oraclePort), ORACLE_DEV_MODE: '1', LOG_LEVEL: logLevel },
      `${oracleUrl}/health`,
      output,
    );
    children.push(oracle);
    const relayerEnv = {
      RELAYER_DEPLOYMENT: deploymentPath,
      RELAYER_DB: join(opts.dataDir, 'relayer.sqlite'),
      RELAYER_PORT: String(relayerPort),
      RELAYER_DEV_MODE: '1',
      ORACLE_URL: oracleUrl,
      RELAYER_POLL_MS: '100',
      LOG_LEVEL: logLevel,
    };
    const startRelayer = async () => {
      const r = await startService('relayer/main.ts', relayerEnv, `${relayerUrl}/health`, output);
      children.push(r);
      return r;
    };
    progress('starting the relayer');
    const relayer = await startRelayer();
    return { chains, deployment, deploymentPath, oracleUrl, relayerUrl, oracle, relayer, startRelayer, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
