import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createTestClient, http } from 'viem';

import { foundryBinary } from '../scripts/foundry.mjs';

/** The native Foundry binary (not the npm wrapper, which hides exit codes and may not forward signals). */
export const BIN = (name: 'anvil' | 'forge' | 'cast') => foundryBinary(name);

export interface AnvilChain {
  name: string;
  chainId: number;
  port: number;
  rpcUrl: string;
  /** The running anvil process (a new one after `restart`). */
  readonly process: ChildProcess;
  stop(): Promise<void>;
  /** Stops the chain (anvil writes its state file) and starts it again on the same port from that state. */
  restart(): Promise<void>;
  /** Stops the chain, keeping its state for a later `start`. */
  pause(): Promise<void>;
  /** Starts the chain again (after `pause`), with the block time last set. */
  start(): Promise<void>;
  /**
   * Mines a block every `seconds` (anvil interval mining, as a real chain does) instead of one per transaction;
   * 0 returns to automine. Kept across `pause`/`start` and `restart`.
   */
  setBlockTime(seconds: number): Promise<void>;
}

/** A block time in whole seconds >= 0 (0: automine), or an error naming what was given. */
export function checkBlockTime(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 0) throw new Error(`block time must be a whole number of seconds >= 0, got ${seconds}`);
  return seconds;
}

/** Switches a running anvil to a block every `seconds`, or back to automine (0). */
async function applyBlockTime(rpcUrl: string, seconds: number): Promise<void> {
  const anvil = createTestClient({ mode: 'anvil', transport: http(rpcUrl) });
  if (seconds > 0) return anvil.setIntervalMining({ interval: seconds });
  // Interval 0 leaves the chain mining nothing: automine goes back on, and one block takes what is still pending
  // (automine mines only transactions sent from now on).
  await anvil.setIntervalMining({ interval: 0 });
  await anvil.setAutomine(true);
  await anvil.mine({ blocks: 1 });
}

/** A free TCP port on loopback (the OS picks it; we release it right before the child binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') return reject(new Error('no port'));
      srv.close(() => resolve(addr.port));
    });
  });
}

/** Resolves when `child` prints a line matching `ready`, rejects if it exits first or the deadline passes. */
export function waitForOutput(child: ChildProcess, ready: RegExp, what: string, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => finish(new Error(`${what} not ready after ${timeoutMs} ms; output:\n${seen.slice(-2000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const m = seen.match(ready);
      if (m) finish(undefined, m[0]);
    };
    const onExit = (code: number | null) => finish(new Error(`${what} exited with ${code} before ready; output:\n${seen.slice(-2000)}`));
    function finish(err?: Error, line?: string) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(line ?? '');
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Stops a child with SIGTERM and waits for its exit (SIGKILL after a grace period). */
export function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts one anvil chain. Code size limit is lifted because the local CCIP lane's OnRamp exceeds 24 KB (see docs/operations.md).
 * With `stateFile`, anvil loads its state from it at start and writes it back when stopped, so a chain can be
 * stopped and started again (an outage) without losing anything.
 */
export async function startAnvil(name: string, chainId: number, port?: number, opts: { stateFile?: string } = {}): Promise<AnvilChain> {
  const p = port ?? (await freePort());
  const args = ['--port', String(p), '--host', '127.0.0.1', '--chain-id', String(chainId), '--disable-code-size-limit'];
  if (opts.stateFile) args.push('--state', opts.stateFile);
  const launch = async () => {
    const child = spawn(BIN('anvil'), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    await waitForOutput(child, /Listening on [^\s]+/, `anvil ${name}`);
    // Keep draining output so a full pipe never blocks the chain.
    child.stdout?.resume();
    child.stderr?.resume();
    return child;
  };
  const rpcUrl = `http://127.0.0.1:${p}`;
  let blockTime = 0;
  let child: ChildProcess | undefined = await launch();
  const stop = async () => {
    if (child) await stopChild(child);
    child = undefined;
  };
  const start = async () => {
    if (child) return;
    child = await launch();
    // A restarted anvil automines again: the state file keeps blocks and accounts, not the mining mode.
    if (blockTime > 0) await applyBlockTime(rpcUrl, blockTime);
  };
  return {
    name,
    chainId,
    port: p,
    rpcUrl,
    get process() {
      if (!child) throw new Error(`anvil ${name} is stopped`);
      return child;
    },
    stop,
    pause: stop,
    start,
    restart: async () => {
      await stop();
      await start();
    },
    setBlockTime: async (seconds: number) => {
      blockTime = checkBlockTime(seconds);
      if (child) await applyBlockTime(rpcUrl, blockTime);
    },
  };
}
