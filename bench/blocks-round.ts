/**
 * One round of the block-time bench at block time S: the chains switched to S, a few isolated settlements (one at a
 * time, blocks from POST to applied), then the load (N settlements from C clients) watched on the chains until every
 * one is applied or the round's deadline passes.
 */
import type { Deployment } from '../schemas/deployment.js';
import type { SettlementRequest } from '../schemas/http.js';
import { postJson } from '../clients/custodian.js';
import { demoSubscription, DEMO_INVESTORS } from '../devnet/demo.js';
import type { BlocksOptions } from './blocks-args.js';
import type { ChainRound, IsolatedResult, RoundResult } from './blocks-report.js';
import { appliedKey, type ChainWatch } from './chain-watch.js';
import { CpuMeter, type CpuGroup } from './cpu.js';
import { setBlockTime } from './mining.js';
import { parseAccepted, postLoad, type Posted } from './post-load.js';

export interface RoundContext {
  oracleUrl: string;
  /** One deployment view per DID. */
  views: readonly Deployment[];
  /** One watch per chain, in deployment order. */
  watches: readonly ChainWatch[];
  opts: BlocksOptions;
  progress: (line: string) => void;
  /** The stack's processes whose CPU each round reports (bench/cpu.ts); none: no CPU figures. */
  cpuGroups?: readonly CpuGroup[];
}

/**
 * Resolves true once `done(watch, keys)` holds after a watched block (keys: the settlements it applied), false at
 * `deadline` (performance.now()); rejects when a watch fails. Driven by the blocks, no polling.
 */
export function untilApplied(watches: readonly ChainWatch[], done: (w: ChainWatch | undefined, keys: readonly string[]) => boolean, deadline: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const listeners = watches.map((w) => ({ w, check: (_n: bigint, keys: readonly string[]) => (done(w, keys) ? finish(true) : undefined) }));
    const finish = (ok: boolean, err?: Error) => {
      clearTimeout(timer);
      for (const { w, check } of listeners) {
        w.off('block', check);
        w.off('failure', onFailure);
      }
      if (err) reject(err);
      else resolve(ok);
    };
    const onFailure = (err: Error) => finish(false, err);
    const timer = setTimeout(() => finish(done(undefined, [])), Math.max(0, deadline - performance.now()));
    for (const { w, check } of listeners) {
      w.on('block', check);
      w.on('failure', onFailure);
    }
    const failed = watches.find((w) => w.failure);
    if (failed?.failure) onFailure(failed.failure);
    else if (done(undefined, [])) finish(true);
  });
}

const watchOf = (ctx: RoundContext, chainId: number) => {
  const w = ctx.watches.find((x) => x.chainId === chainId);
  if (!w) throw new Error(`no watch on chain ${chainId}`);
  return w;
};

/** Seen on every destination chain: the latest sighting (ms), or undefined while any chain lacks it. */
function appliedEverywhere(ctx: RoundContext, p: Posted): number | undefined {
  let last = 0;
  for (const c of p.chainIds) {
    const seen = watchOf(ctx, c).applied.get(appliedKey(p.didHash, p.nonce));
    if (!seen) return undefined;
    last = Math.max(last, seen.seenAt);
  }
  return last;
}

/**
 * Waits until every posted settlement is applied on each of its chains (or the deadline); true when all are. Keeps
 * the (chain, settlement) pairs still missing and strikes those each block applies: cost per event, not per block.
 */
export function waitAllApplied(ctx: RoundContext, posted: readonly Posted[], deadline: number): Promise<boolean> {
  const missing = new Set<string>();
  for (const p of posted) for (const c of p.chainIds) if (!watchOf(ctx, c).applied.has(appliedKey(p.didHash, p.nonce))) missing.add(`${c}|${appliedKey(p.didHash, p.nonce)}`);
  return untilApplied(
    ctx.watches,
    (w, keys) => {
      if (w) for (const k of keys) missing.delete(`${w.chainId}|${k}`);
      return missing.size === 0;
    },
    deadline,
  );
}

function body(ctx: RoundContext, i: number, ref: string, settledAt: number): Promise<SettlementRequest> {
  const view = ctx.views[i % ctx.views.length]!;
  const chain = view.chains[i % view.chains.length]!;
  return demoSubscription(view, chain.chainId, ref, 1_000n + BigInt(i), settledAt, DEMO_INVESTORS[i % DEMO_INVESTORS.length]!);
}

async function isolated(ctx: RoundContext, s: number, idle: boolean): Promise<IsolatedResult> {
  const out: IsolatedResult = { blocks: [], ms: [], missed: 0, idle };
  for (let k = 0; k < ctx.opts.isolated; k++) {
    const b = await body(ctx, k, `ISO${s}-${k}`, Math.floor(Date.now() / 1000) - 10);
    const w = watchOf(ctx, b.chainId);
    await w.sync();
    const head0 = w.head;
    const postStart = performance.now();
    const r = await postJson(`${ctx.oracleUrl}/v1/settlements`, b);
    if (r.status !== 201) {
      ctx.progress(`isolated settlement ${k} refused: ${r.status} ${JSON.stringify(r.json).slice(0, 200)}`);
      out.missed++;
      continue;
    }
    const p: Posted = { ...parseAccepted(r.json), postStart, acceptedAt: performance.now() };
    // Generous: 10 blocks, at least 30 s; a probe still missing then is counted as missed.
    const ok = await waitAllApplied(ctx, [p], postStart + Math.max(30_000, 10_000 * s));
    const seen = ok ? w.applied.get(appliedKey(p.didHash, p.nonce)) : undefined;
    if (!seen) {
      out.missed++;
      continue;
    }
    out.blocks.push(Number(seen.block - head0));
    out.ms.push(seen.seenAt - postStart);
  }
  return out;
}

/** Runs the round; `pending` are the accepted settlements not applied by its deadline (to drain before the next). */
export async function runRound(ctx: RoundContext, s: number, idle: boolean): Promise<{ result: RoundResult; pending: Posted[] }> {
  const { opts, progress } = ctx;
  const label = s === 0 ? 'automine' : `${s}-s blocks`;
  progress(`${label}: switching ${ctx.watches.length} chains`);
  await setBlockTime(
    ctx.watches.map((w) => w.rpcUrl),
    s,
  );
  if (opts.isolated > 0) progress(`${label}: ${opts.isolated} isolated settlements, one at a time`);
  const iso = await isolated(ctx, s, idle);
  progress(`${label}: signing ${opts.settlements} settlements`);
  const settledAt = Math.floor(Date.now() / 1000) - 10;
  const bodies = await Promise.all(Array.from({ length: opts.settlements }, (_, i) => body(ctx, i, `LOAD${s}-${i}`, settledAt)));

  await Promise.all(ctx.watches.map((w) => w.sync()));
  const startBlocks = ctx.watches.map((w) => w.head);
  const meter = ctx.cpuGroups ? new CpuMeter(ctx.cpuGroups) : undefined;
  meter?.start();
  const started = performance.now();
  const deadline = started + opts.roundTimeoutS * 1000;
  // Filled as the 201s come, so the progress lines show the posting too.
  const accepted: Posted[] = [];
  const timer = setInterval(() => {
    const applied = accepted.filter((p) => appliedEverywhere(ctx, p) !== undefined).length;
    const left = Math.max(0, Math.round((deadline - performance.now()) / 1000));
    progress(`${label}: ${accepted.length}/${opts.settlements} accepted, ${applied} applied on every chain, ${left} s to the deadline`);
  }, 10_000);
  let load;
  try {
    progress(`${label}: posting ${opts.settlements} settlements from ${opts.clients} clients (deadline ${opts.roundTimeoutS} s)`);
    load = await postLoad(ctx.oracleUrl, bodies, { clients: opts.clients, deadline, onAccepted: (p) => accepted.push(p) });
    if (load.firstRefusal) progress(`${label}: ${load.refused} refused, the first: ${load.firstRefusal}`);
    await waitAllApplied(ctx, accepted, deadline);
  } finally {
    clearInterval(timer);
  }
  const ended = performance.now();
  const cpu = meter?.stop();
  await Promise.all(ctx.watches.map((w) => w.sync()));

  const latencyMs: number[] = [];
  const perChain = new Map<number, number[]>(ctx.watches.map((w) => [w.chainId, []]));
  let lastApplied = started;
  const pending: Posted[] = [];
  for (const p of accepted) {
    const at = appliedEverywhere(ctx, p);
    if (at === undefined || at > ended) {
      pending.push(p);
      continue;
    }
    latencyMs.push(at - p.postStart);
    lastApplied = Math.max(lastApplied, at);
    for (const c of p.chainIds) perChain.get(c)!.push(watchOf(ctx, c).applied.get(appliedKey(p.didHash, p.nonce))!.seenAt - p.postStart);
  }
  const partial = latencyMs.length < opts.settlements;
  const chains: ChainRound[] = ctx.watches.map((w, i) => {
    const blocks = w.window(startBlocks[i]!, w.head);
    return {
      name: w.name,
      chainId: w.chainId,
      blockGasLimit: w.blockGasLimit,
      blocks: blocks.length,
      relayerGas: blocks.reduce((sum, b) => sum + b.relayerGas, 0n),
      relayerTxs: blocks.reduce((sum, b) => sum + b.relayerTxs, 0),
      settlementsApplied: blocks.reduce((sum, b) => sum + b.settlementsApplied, 0),
      latencyMs: perChain.get(w.chainId)!,
    };
  });
  const result: RoundResult = {
    blockTimeS: s,
    requested: opts.settlements,
    posted: load.posted,
    accepted: accepted.length,
    refused: load.refused,
    acceptSeconds: (load.lastAccept - load.started) / 1000,
    applied: latencyMs.length,
    e2eSeconds: ((partial ? ended : lastApplied) - started) / 1000,
    partial,
    latencyMs,
    postMs: accepted.map((p) => p.acceptedAt - p.postStart),
    isolated: iso,
    chains,
    cpu,
  };
  progress(`${label}: ${result.applied}/${opts.settlements} applied in ${result.e2eSeconds.toFixed(1)} s${partial ? ' (partial: deadline)' : ''}`);
  return { result, pending };
}
