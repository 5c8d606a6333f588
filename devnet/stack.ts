import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { privateKeyToAccount } from 'viem/accounts';
import type { Hex } from 'viem';
import type { Deployment, TransportName } from '../schemas/deployment.js';
import { DEV_COMMITTEE_KEYS } from '../schemas/dev-keys.js';
import { startAnvil, freePort, stopChild, type AnvilChain } from './anvil.js';
import { waitFor } from '../testkit/wait.js';
import { DEFAULT_SIGNER_SET_SECONDS, DEMO_DID, deployStack, writeDeployment } from './deploy.js';
import { addCcipLanes } from './deploy-ccip.js';
import { addWormholeSpokes } from './deploy-wormhole.js';

const ROOT = join(import.meta.dirname, '..');

export interface StackOptions {
  dataDir: string;
  /** Chain ids: the first is the hub. */
  chainIds?: readonly number[];
  chainPorts?: readonly number[];
  /** Keep each chain's state in a file under dataDir, so a chain can be stopped and started again (outage tests). */
  persistChains?: boolean;
  /** Spokes (by name) the relayer reaches through a local CCIP 2.0 lane from the hub instead of CCTP-style. */
  ccipSpokes?: readonly string[];
  /** Spokes that get a CCIP lane but keep CCTP-style as their default transport (routes may send some things over it). */
  ccipLanesOnly?: readonly string[];
  /** Spokes with a CCIP lane to the hub (spoke -> hub: redemption requests), used where `routes` say so. */
  ccipToHub?: readonly string[];
  /** Spokes (by name) the relayer reaches over the local Wormhole transport (hub emitter -> VAA -> spoke adapter). */
  wormholeSpokes?: readonly string[];
  /** Transport routes per DID, chain (by name), origin chain (by name) and kind, written into the deployment (see relayer/routes.ts). */
  routes?: readonly { did?: string; chain: string; from?: string; kinds?: string[]; transport: TransportName }[];
  /**
   * Seconds between blocks on every chain once the contracts are deployed (anvil interval mining, kept across a
   * chain's pause and start); 0 or absent: automine, one block per transaction. Deployment always automines.
   */
  blockTimeSeconds?: number;
  /** How long governance's and the demo DID's signer sets stay valid from deployment (default a year). */
  signerSetSeconds?: number;
  /** Confirmations the relayer waits for, by chain name (default 0: the inclusion block is enough). */
  confirmations?: Readonly<Record<string, number>>;
  /** How long the relayer waits for a receipt and its confirmations before it re-checks the chain (ms). */
  receiptTimeoutMs?: number;
  oraclePort?: number;
  /** Added to the oracle's environment (e.g. short move timings). */
  oracleEnv?: Readonly<Record<string, string>>;
  relayerPort?: number;
  /**
   * Committee signer processes to start (tsx committee/main.ts), signer i with DEV-ONLY committee key i and its
   * own SQLite file; the oracle then asks them (ORACLE_SIGNER_URLS). 0 or absent: the oracle holds the dev keys.
   */
  signers?: number;
  signerPorts?: readonly number[];
  /** Where child process output goes: 'inherit' shows it, 'pipe' keeps it for failure messages. */
  output?: 'inherit' | 'pipe';
  logLevel?: string;
  onProgress?: (step: string) => void;
}

export interface SignerProcess {
  /** Which slot of ORACLE_SIGNER_URLS it serves (its URL and port are the slot's). */
  slot: number;
  address: `0x${string}`;
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface Stack {
  chains: AnvilChain[];
  deployment: Deployment;
  deploymentPath: string;
  oracleUrl: string;
  relayerUrl: string;
  /** The relayer's RELAYER_ADMIN_TOKEN (operator routes: POST /v1/dead-letters/:jobId/retry), fresh per stack. */
  relayerAdminToken: string;
  oracle: ChildProcess;
  relayer: ChildProcess;
  /** The signer process currently in each slot (empty without `signers`). */
  signers: SignerProcess[];
  /**
   * (Re)starts the oracle on the same store and port (the previous one must be stopped or dead first), with `env`
   * added to its environment (e.g. ORACLE_FAULT).
   */
  startOracle(env?: Readonly<Record<string, string>>): Promise<ChildProcess>;
  /** (Re)starts the relayer (the previous one must be stopped first), with `env` added to its environment. */
  startRelayer(env?: Readonly<Record<string, string>>): Promise<ChildProcess>;
  /** (Re)starts the oracle on its port and SQLite file (the previous one must be stopped first). */
  startOracle(): Promise<ChildProcess>;
  /**
   * (Re)starts the signer of a slot on the slot's URL, with dev committee key `slot` or the given key (then in its own
   * SQLite file). The slot's previous process must be stopped first.
   */
  startSigner(slot: number, key?: Hex): Promise<SignerProcess>;
  stop(): Promise<void>;
}

export const DEFAULT_CHAINS = [
  { name: 'hub', chainId: 31337 },
  { name: 'spoke-a', chainId: 31338 },
  { name: 'spoke-b', chainId: 31339 },
] as const;

/** Runs `tsx <entry>` as a child process with the given environment; resolves once `healthUrl` answers 200. */
export async function startService(entry: string, env: NodeJS.ProcessEnv, healthUrl: string, output: 'inherit' | 'pipe'): Promise<ChildProcess> {
  // RWA_CPU_PROF_DIR: each service writes a V8 CPU profile there when it exits (Node refuses --cpu-prof in NODE_OPTIONS).
  const prof = process.env.RWA_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.RWA_CPU_PROF_DIR}`] : [];
  // RWA_EXIT_WITH_PARENT: the service stops itself when this process dies without stopping it (common/lifecycle.ts).
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', join(ROOT, entry)], { cwd: ROOT, env: { ...process.env, RWA_EXIT_WITH_PARENT: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  if (output === 'inherit' || process.env.E2E_DEBUG_LOGS) {
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

/** Three anvil chains, contracts deployed, demo DID registered, committee signers (optional), oracle and relayer running. */
export async function startStack(opts: StackOptions): Promise<Stack> {
  const progress = opts.onProgress ?? (() => undefined);
  const output = opts.output ?? 'pipe';
  mkdirSync(opts.dataDir, { recursive: true });
  const specs = (opts.chainIds ?? DEFAULT_CHAINS.map((c) => c.chainId)).map((chainId, i) => ({ name: DEFAULT_CHAINS[i]?.name ?? `chain-${i}`, chainId }));
  progress(`starting ${specs.length} anvil chains`);
  const chains = await Promise.all(
    specs.map((s, i) => startAnvil(s.name, s.chainId, opts.chainPorts?.[i], opts.persistChains ? { stateFile: join(opts.dataDir, `chain-${s.chainId}.json`) } : {})),
  );
  const children: ChildProcess[] = [];
  const stopAll = async () => {
    await Promise.all(children.map((c) => stopChild(c)));
    await Promise.all(chains.map((c) => c.stop()));
  };
  try {
    progress('deploying contracts and registering the demo DID');
    const validity = opts.signerSetSeconds ?? DEFAULT_SIGNER_SET_SECONDS;
    let deployment = await deployStack(
      chains.map((c) => ({ name: c.name, chainId: c.chainId, rpcUrl: c.rpcUrl, confirmations: opts.confirmations?.[c.name] ?? 0 })),
      DEMO_DID,
      { governanceSeconds: validity, didSeconds: validity },
    );
    const lanes = [...(opts.ccipSpokes ?? []), ...(opts.ccipLanesOnly ?? [])];
    if (lanes.length > 0 || opts.ccipToHub?.length) {
      progress(`deploying CCIP 2.0 lanes hub -> ${lanes.join(', ') || 'none'}; to the hub from ${opts.ccipToHub?.join(', ') || 'none'}`);
      deployment = await addCcipLanes(deployment, lanes, opts.ccipSpokes ?? [], opts.ccipToHub ?? []);
    }
    if (opts.wormholeSpokes?.length) {
      progress(`deploying the local Wormhole transport: hub emitter, adapters on ${opts.wormholeSpokes.join(', ')}`);
      deployment = await addWormholeSpokes(deployment, opts.wormholeSpokes);
    }
    if (opts.routes?.length) {
      const chainId = (name: string) => {
        const c = deployment.chains.find((x) => x.name === name);
        if (!c) throw new Error(`route to unknown chain ${name}`);
        return c.chainId;
      };
      deployment = { ...deployment, routes: opts.routes.map(({ chain, from, ...r }) => ({ ...r, chainId: chainId(chain), ...(from ? { from: chainId(from) } : {}) })) };
    }
    const deploymentPath = join(opts.dataDir, 'deployment.json');
    writeDeployment(deploymentPath, deployment);
    if (opts.blockTimeSeconds) {
      progress(`mining a block every ${opts.blockTimeSeconds} s on every chain`);
      await Promise.all(chains.map((c) => c.setBlockTime(opts.blockTimeSeconds ?? 0)));
    }

    const oraclePort = opts.oraclePort ?? (await freePort());
    const relayerPort = opts.relayerPort ?? (await freePort());
    const oracleUrl = `http://127.0.0.1:${oraclePort}`;
    const relayerUrl = `http://127.0.0.1:${relayerPort}`;
    const logLevel = opts.logLevel ?? 'info';

    const signerCount = opts.signers ?? 0;
    const signerPorts = await Promise.all(Array.from({ length: signerCount }, (_, i) => opts.signerPorts?.[i] ?? freePort()));
    const signers: SignerProcess[] = [];
    // Each slot's bearer token: the oracle presents it on POST /v1/sign, as outside dev mode.
    const signerTokens = signerPorts.map(() => randomBytes(24).toString('hex'));
    const startSigner = async (slot: number, key?: Hex): Promise<SignerProcess> => {
      const port = signerPorts[slot];
      if (port === undefined) throw new Error(`no signer slot ${slot} (the stack has ${signerCount})`);
      const devKey = DEV_COMMITTEE_KEYS[slot];
      if (!key && !devKey) throw new Error(`no DEV-ONLY committee key ${slot}; pass a key`);
      const address = privateKeyToAccount(key ?? (devKey as Hex)).address;
      const url = `http://127.0.0.1:${port}`;
      const child = await startService(
        'committee/main.ts',
        {
          SIGNER_DEPLOYMENT: deploymentPath,
          SIGNER_DB: join(opts.dataDir, `signer-${slot}-${address.slice(2, 10).toLowerCase()}.sqlite`),
          SIGNER_PORT: String(port),
          SIGNER_DEV_MODE: '1',
          SIGNER_AUTH_TOKEN: signerTokens[slot] ?? '',
          ...(key ? { SIGNER_KEY: key } : { SIGNER_DEV_INDEX: String(slot) }),
          LOG_LEVEL: logLevel,
        },
        `${url}/health`,
        output,
      );
      children.push(child);
      const signer = { slot, address, url, process: child, stop: () => stopChild(child) };
      signers[slot] = signer;
      return signer;
    };
    // Signers first: the oracle's registry sync asks them for the demo DID's config as soon as it starts.
    if (signerCount > 0) {
      progress(`starting ${signerCount} committee signers`);
      // allSettled, not all: every signer that did start is in `children` before a failure reaches stopAll.
      const booted = await Promise.allSettled(signerPorts.map((_, slot) => startSigner(slot)));
      const failed = booted.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
    progress('starting the oracle');
    const oracleEnv = {
      ...opts.oracleEnv,
      ORACLE_DEPLOYMENT: deploymentPath,
      ORACLE_DB: join(opts.dataDir, 'oracle.sqlite'),
      ORACLE_PORT: String(oraclePort),
      ORACLE_DEV_MODE: '1',
      // The stack's own relayer and test harness read from here; anonymous readers (the bench's read flood) come
      // from other loopback addresses and are limited.
      ORACLE_READ_TRUSTED_CLIENTS: '127.0.0.1',
      ...(signerCount > 0 ? { ORACLE_SIGNER_URLS: signerPorts.map((p) => `http://127.0.0.1:${p}`).join(','), ORACLE_SIGNER_TOKENS: signerTokens.join(',') } : {}),
      LOG_LEVEL: logLevel,
    };
    const startOracle = async (env: Readonly<Record<string, string>> = {}) => {
      const o = await startService('oracle/main.ts', { ...oracleEnv, ...env }, `${oracleUrl}/health`, output);
      children.push(o);
      return o;
    };
    const oracle = await startOracle();
    const relayerAdminToken = randomBytes(24).toString('hex');
    const relayerEnv = {
      RELAYER_ADMIN_TOKEN: relayerAdminToken,
      RELAYER_DEPLOYMENT: deploymentPath,
      RELAYER_DB: join(opts.dataDir, 'relayer.sqlite'),
      RELAYER_PORT: String(relayerPort),
      RELAYER_DEV_MODE: '1',
      ORACLE_URL: oracleUrl,
      RELAYER_POLL_MS: '100',
      // Local chains jump days with evm_increaseTime: look at the hub's redemption stage often.
      RELAYER_STAGE_KEEPER_MS: '500',
      ...(opts.receiptTimeoutMs ? { RELAYER_RECEIPT_TIMEOUT_MS: String(opts.receiptTimeoutMs) } : {}),
      LOG_LEVEL: logLevel,
    };
    const startRelayer = async (env: Readonly<Record<string, string>> = {}) => {
      const r = await startService('relayer/main.ts', { ...relayerEnv, ...env }, `${relayerUrl}/health`, output);
      children.push(r);
      return r;
    };
    progress('starting the relayer');
    const relayer = await startRelayer();
    return { chains, deployment, deploymentPath, oracleUrl, relayerUrl, relayerAdminToken, oracle, relayer, signers, startOracle, startRelayer, startSigner, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
