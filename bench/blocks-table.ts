/** Renders the block-time bench's rows and the peers' figures as markdown tables (the form of docs/measured.md). */
import type { PeerGas } from './anchors.js';
import type { Row } from './blocks-report.js';
import type { CpuWindow } from './cpu.js';

const DASH = '-';

export function fmtRate(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return DASH;
  return x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0);
}

export function fmtRatio(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return DASH;
  const pct = x * 100;
  return `${pct < 1 ? pct.toFixed(2) : pct.toFixed(1)}%`;
}

export function fmtMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return DASH;
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function fmtGas(gas: number | undefined): string {
  return gas === undefined || !Number.isFinite(gas) ? DASH : Math.round(gas).toLocaleString('en-US');
}

export const blockTimeLabel = (s: number) => (s === 0 ? 'automine' : `${s} s`);

function latency(r: Row): string {
  if (r.latencyP50Ms === undefined) return DASH;
  const both = `${fmtMs(r.latencyP50Ms)} / ${fmtMs(r.latencyP99Ms)}`;
  if (r.blockTimeS === 0) return both;
  const blocks = (ms: number | undefined) => (ms === undefined ? DASH : (ms / 1000 / r.blockTimeS).toFixed(1));
  return `${both} (${blocks(r.latencyP50Ms)} / ${blocks(r.latencyP99Ms)} blocks)`;
}

function isolated(r: Row): string {
  if (r.isolatedP50Blocks === undefined) return r.scope.startsWith('all') ? 'none applied' : '';
  return `${r.isolatedP50Blocks} / ${r.isolatedP99Blocks} blocks (${fmtMs(r.isolatedP50Ms)} / ${fmtMs(r.isolatedP99Ms)})`;
}

function markdown(header: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

export const TABLE_HEADER = [
  'block time',
  'chains',
  'accepted /s',
  'applied /s',
  'limit /s',
  'applied ÷ limit',
  'accepted ÷ limit',
  'POST -> 201 p50 / p99',
  'POST -> applied p50 / p99',
  'isolated p50 / p99',
  'relayer gas / settlement',
  'per block',
  'status',
] as const;

/** One table: per block time, the row over all chains and then one per chain. */
export function renderRows(rows: readonly Row[]): string {
  const body = rows.map((r) => [
    r.scope.startsWith('all') ? blockTimeLabel(r.blockTimeS) : '',
    r.scope,
    fmtRate(r.acceptedPerS),
    fmtRate(r.appliedPerS),
    r.blockTimeS === 0 ? 'n/a (automine)' : fmtRate(r.limitPerS),
    fmtRatio(r.appliedToLimit),
    fmtRatio(r.acceptedToLimit),
    r.postP50Ms === undefined ? DASH : `${fmtMs(r.postP50Ms)} / ${fmtMs(r.postP99Ms)}`,
    latency(r),
    isolated(r),
    fmtGas(r.gasPerSettlement),
    r.perBlock === undefined ? DASH : Math.floor(r.perBlock).toLocaleString('en-US'),
    r.status,
  ]);
  return markdown(TABLE_HEADER, body);
}

/** The peers' gas per message beside ours (the 'all' row of each block time). */
export function renderPeers(peers: readonly PeerGas[], rows: readonly Row[]): string {
  const ours = rows.filter((r) => r.scope.startsWith('all'));
  const header = ['peer (../shared/anchors.md, one message per tx)', 'gas per message', ...ours.map((r) => `ours ÷ peer, ${blockTimeLabel(r.blockTimeS)}`)];
  const body = peers.map((p) => [p.peer, p.cell, ...ours.map((r) => (r.gasPerSettlement === undefined ? DASH : (r.gasPerSettlement / p.gas).toFixed(2)))]);
  return markdown(header, body);
}

export interface RoundCpu {
  blockTimeS: number;
  accepted: number;
  window?: CpuWindow;
}

/** Where the CPU went per round: ms of CPU per settlement accepted, per group of processes, and the machine's load. */
export function renderCpu(rounds: readonly RoundCpu[]): string {
  const measured = rounds.filter((r): r is RoundCpu & { window: CpuWindow } => r.window !== undefined);
  if (measured.length === 0) return 'CPU per process: not measured here (it needs Linux /proc)';
  const labels = measured[0]!.window.shares.map((s) => (s.processes > 1 ? `${s.label} (${s.processes})` : s.label));
  const header = ['block time', ...labels.map((l) => `${l}, CPU ms / settlement`), 'stack total', 'CPU ceiling /s', 'machine busy'];
  const body = measured.map((r) => {
    const ms = (seconds: number) => (1000 * seconds) / r.accepted;
    // The product's processes only: the bench's own load generation is not part of what a deployment runs.
    const stack = r.window.shares.filter((s) => !s.label.startsWith('bench')).reduce((sum, s) => sum + s.seconds, 0);
    return [
      blockTimeLabel(r.blockTimeS),
      ...r.window.shares.map((s) => (r.accepted > 0 ? ms(s.seconds).toFixed(1) : DASH)),
      r.accepted > 0 ? ms(stack).toFixed(1) : DASH,
      // Settlements per second the stack could take if it had every core to itself at this CPU per settlement.
      r.accepted > 0 && stack > 0 ? fmtRate((r.window.cores * 1000) / ms(stack)) : DASH,
      r.window.machineBusy === undefined ? DASH : `${fmtRatio(r.window.machineBusy)} of ${r.window.cores} cores`,
    ];
  });
  return markdown(header, body);
}
