/**
 * The block-time bench (issue 21): the stack of `npm start` (3 chains, 3 committee signer processes, spoke-b over
 * Wormhole), one round per block time with the chains switched between rounds, one table at the end.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Address } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { ANVIL_RELAYER_KEY } from '../schemas/dev-keys.js';
import { startStack } from '../devnet/stack.js';
import { bootstrapDemo } from '../devnet/demo.js';
import { readAnchors } from './anchors.js';
import type { BlocksOptions } from './blocks-args.js';
import { roundRows, type RoundResult, type Row } from './blocks-report.js';
import { runRound, waitAllApplied, type RoundContext } from './blocks-round.js';
import { renderCpu, renderPeers, renderRows, type RoundCpu } from './blocks-table.js';
import { ChainWatch } from './chain-watch.js';
import type { CpuGroup } from './cpu.js';
import { benchDids } from './dids.js';
import { setBlockTime } from './mining.js';
import type { Posted } from './post-load.js';

const ROOT = join(import.meta.dirname, '..');

export interface BlocksReport {
  options: BlocksOptions;
  rows: Row[];
  rounds: Omit<RoundResult, 'latencyMs' | 'postMs' | 'chains'>[];
  peers: ReturnType<typeof readAnchors>;
  cpu: RoundCpu[];
}

export async function runBlocksBench(opts: BlocksOptions): Promise<BlocksReport> {
  const t0 = performance.now();
  const progress = (line: string) => process.stderr.write(`bench [${((performance.now() - t0) / 1000).toFixed(0)} s] ${line}\n`);
  progress('starting the stack (3 anvil chains, 3 committee signers, oracle, relayer; spoke-b over Wormhole)');
  const stack = await startStack({
    dataDir: mkdtempSync(join(tmpdir(), 'rwa-bench-blocks-')),
    logLevel: 'warn',
    signers: 3,
    wormholeSpokes: ['spoke-b'],
    ccipLanesOnly: ['spoke-b'],
    onProgress: progress,
  });
  const watches: ChainWatch[] = [];
  try {
    progress('attesting the demo DID config, allow-list and reserve on every chain');
    await bootstrapDemo(stack.deployment, stack.oracleUrl, 120_000);
    const views = await benchDids(stack.deployment, stack.oracleUrl, opts.dids, progress);
    const relayers = new Set([privateKeyToAccount(ANVIL_RELAYER_KEY).address.toLowerCase()]);
    for (const c of stack.deployment.chains) {
      const w = new ChainWatch(c.name, c.chainId, c.rpcUrl, c.receiver as Address, relayers);
      await w.start();
      watches.push(w);
    }
    const cpuGroups: CpuGroup[] = [
      { label: 'oracle', pids: () => [stack.oracle.pid] },
      { label: 'signers', pids: () => stack.signers.map((s) => s.process.pid) },
      { label: 'relayer', pids: () => [stack.relayer.pid] },
      { label: 'anvil nodes', pids: () => stack.chains.map((c) => c.process.pid) },
    ];
    const ctx: RoundContext = { oracleUrl: stack.oracleUrl, views, watches, opts, progress, cpuGroups };
    const results: RoundResult[] = [];
    let pending: Posted[] = [];
    for (const s of opts.blockTimes) {
      let idle = true;
      if (pending.length > 0) {
        // The last round's backlog is delivered under automine first, outside any measurement, so this round's
        // isolated settlements meet an idle relayer.
        progress(`draining ${pending.length} settlements of the last round under automine`);
        await setBlockTime(
          watches.map((w) => w.rpcUrl),
          0,
        );
        idle = await waitAllApplied(ctx, pending, performance.now() + Math.max(120, opts.roundTimeoutS * 2) * 1000);
        if (!idle) progress('the backlog did not drain in time: isolated figures of the next round are not idle');
      }
      const round = await runRound(ctx, s, idle);
      results.push(round.result);
      pending = round.pending;
    }
    const rows = results.flatMap(roundRows);
    const peers = readAnchors(opts.anchorsPath ?? join(ROOT, '..', 'shared', 'anchors.md'));
    return { options: opts, rows, rounds: results.map(({ latencyMs: _l, postMs: _p, chains: _c, ...r }) => r), peers, cpu: results.map((r) => ({ blockTimeS: r.blockTimeS, accepted: r.accepted, window: r.cpu })) };
  } finally {
    await Promise.all(watches.map((w) => w.stop()));
    await stack.stop();
  }
}

/** The report as text: the table, the peers beside it, how it was measured. */
export function renderReport(r: BlocksReport): string {
  const o = r.options;
  const peers = 'missing' in r.peers ? `peers' figures not shown: ${r.peers.missing}` : renderPeers(r.peers, r.rows);
  return [
    '',
    `${o.settlements} settlements per round from ${o.clients} clients over ${o.dids} DID(s), round deadline ${o.roundTimeoutS} s, ${o.isolated} isolated settlements per round`,
    '',
    renderRows(r.rows),
    '',
    peers,
    '',
    renderCpu(r.cpu),
    '',
    'applied = SettlementApplied seen in a block announced by the chain (newHeads), on every destination chain; latency from the start of the POST.',
    "relayer gas / settlement = receipt gasUsed of the relayer's transactions in the round's blocks / SettlementApplied events in them (per chain: that chain's).",
    'limit /s = block gas limit / relayer gas per settlement / block time (all: summed over the chains). isolated: blocks from the head at POST to the applying block.',
    'CPU = user + system seconds of each process from the first POST to the end of the round (/proc), in ms per settlement accepted; CPU ceiling = cores x 1000 / the stack ms per settlement (the rate were the stack alone on the machine, not the bench itself); machine busy = share of all cores busy meanwhile, other work included.',
    '',
  ].join('\n');
}

/** JSON with bigints as decimal strings. */
export const reportJson = (r: BlocksReport) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2);
