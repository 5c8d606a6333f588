/** What one round of the block-time bench measured, and the rows of its table (pure: tested in blocks-report.test.ts). */
import type { CpuWindow } from './cpu.js';
import { gasPerSettlement, limitPerSecond, percentile, perSecond, ratio, sumAll } from './blocks-stats.js';

export interface ChainRound {
  name: string;
  chainId: number;
  blockGasLimit: bigint;
  /** Blocks the chain produced during the round. */
  blocks: number;
  /** Receipt gasUsed of the relayer's transactions on this chain in the round's blocks. */
  relayerGas: bigint;
  relayerTxs: number;
  /** SettlementApplied events on this chain in the round's blocks (whichever round posted them). */
  settlementsApplied: number;
  /** This round's settlements applied on this chain: ms from the start of the POST to the block that applied it. */
  latencyMs: number[];
}

export interface IsolatedResult {
  /** Blocks from POST to applied: the applying block's number minus the chain's head when the POST started. */
  blocks: number[];
  ms: number[];
  /** Probes not applied by their deadline. */
  missed: number;
  /** False when the previous round's backlog had not drained: the probes then queued behind it. */
  idle: boolean;
}

export interface RoundResult {
  blockTimeS: number;
  /** Settlements the round was to post (--settlements). */
  requested: number;
  posted: number;
  accepted: number;
  refused: number;
  /** First POST start to the last 201 (s). */
  acceptSeconds: number;
  /** Accepted settlements applied on every destination chain by the end of the round. */
  applied: number;
  /** First POST start to the last settlement applied, or to the deadline when partial (s). */
  e2eSeconds: number;
  partial: boolean;
  /** POST start -> applied on every destination chain (ms), per applied settlement. */
  latencyMs: number[];
  /** POST start -> 201 (ms), per accepted settlement. */
  postMs: number[];
  isolated: IsolatedResult;
  chains: ChainRound[];
  /** CPU of the stack's processes from the first POST to the round's end (absent off Linux). */
  cpu?: CpuWindow;
}

export interface Row {
  blockTimeS: number;
  /** 'all' or a chain's name. */
  scope: string;
  acceptedPerS?: number;
  appliedPerS?: number;
  /** Block gas limit / gas per settlement / block time: summed over the chains in the 'all' row. */
  limitPerS?: number;
  appliedToLimit?: number;
  acceptedToLimit?: number;
  postP50Ms?: number;
  postP99Ms?: number;
  latencyP50Ms?: number;
  latencyP99Ms?: number;
  isolatedP50Blocks?: number;
  isolatedP99Blocks?: number;
  isolatedP50Ms?: number;
  isolatedP99Ms?: number;
  gasPerSettlement?: number;
  /** Settlements one block holds at that gas (block gas limit / gas per settlement). */
  perBlock?: number;
  status: string;
}

function chainRow(r: RoundResult, c: ChainRound): Row {
  const gas = gasPerSettlement(c.relayerGas, c.settlementsApplied);
  const limit = limitPerSecond(c.blockGasLimit, gas, r.blockTimeS);
  const applied = perSecond(c.latencyMs.length, r.e2eSeconds);
  return {
    blockTimeS: r.blockTimeS,
    scope: c.name,
    appliedPerS: applied,
    limitPerS: limit,
    appliedToLimit: ratio(applied, limit),
    latencyP50Ms: percentile(c.latencyMs, 0.5),
    latencyP99Ms: percentile(c.latencyMs, 0.99),
    gasPerSettlement: gas,
    perBlock: gas === undefined ? undefined : Number(c.blockGasLimit) / gas,
    status: `${c.latencyMs.length} applied, ${c.blocks} blocks, ${c.relayerTxs} relayer txs`,
  };
}

function status(r: RoundResult): string {
  const head = r.partial ? `PARTIAL: ${r.applied}/${r.requested} applied by the deadline (${r.posted} posted)` : `complete: ${r.applied}/${r.requested} applied`;
  const notes = [r.refused > 0 ? `${r.refused} refused` : '', r.isolated.missed > 0 ? `${r.isolated.missed} isolated missed` : '', r.isolated.idle ? '' : 'isolated not idle (backlog)'];
  return [head, ...notes.filter(Boolean)].join('; ');
}

/** The table rows of one round: all chains together first, then each chain. */
export function roundRows(r: RoundResult): Row[] {
  const chains = r.chains.map((c) => chainRow(r, c));
  const gasAll = gasPerSettlement(
    r.chains.reduce((s, c) => s + c.relayerGas, 0n),
    r.chains.reduce((s, c) => s + c.settlementsApplied, 0),
  );
  const limit = sumAll(chains.map((c) => c.limitPerS));
  const accepted = perSecond(r.accepted, r.acceptSeconds);
  const applied = perSecond(r.applied, r.e2eSeconds);
  const minGasLimit = r.chains.reduce<bigint | undefined>((m, c) => (m === undefined || c.blockGasLimit < m ? c.blockGasLimit : m), undefined);
  const all: Row = {
    blockTimeS: r.blockTimeS,
    scope: `all (${r.chains.length})`,
    acceptedPerS: accepted,
    appliedPerS: applied,
    limitPerS: limit,
    appliedToLimit: ratio(applied, limit),
    acceptedToLimit: ratio(accepted, limit),
    postP50Ms: percentile(r.postMs, 0.5),
    postP99Ms: percentile(r.postMs, 0.99),
    latencyP50Ms: percentile(r.latencyMs, 0.5),
    latencyP99Ms: percentile(r.latencyMs, 0.99),
    isolatedP50Blocks: percentile(r.isolated.blocks, 0.5),
    isolatedP99Blocks: percentile(r.isolated.blocks, 0.99),
    isolatedP50Ms: percentile(r.isolated.ms, 0.5),
    isolatedP99Ms: percentile(r.isolated.ms, 0.99),
    gasPerSettlement: gasAll,
    perBlock: gasAll === undefined || minGasLimit === undefined ? undefined : Number(minGasLimit) / gasAll,
    status: status(r),
  };
  return [all, ...chains];
}
