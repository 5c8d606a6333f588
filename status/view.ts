/**
 * The status page's view model: the JSON `GET /v1/status` answers and the page renders as it is. Pure: built from
 * what one refresh read (inputs.ts) and the time, so every column is tested without chains or a relayer.
 * Amounts are decimal strings in the token's units (the raw integer beside them), times ISO-8601 and ages in seconds.
 */
import { formatUnits } from 'viem';
import { chainKey, type ChainRead, type NoticeRead, type RelayerDelivery, type RelayerRead, type Sourced, type StatusInputs } from './inputs.js';

/** Recent deliveries shown per DID per chain. */
export const RECENT_PER_ROW = 5;
/** Supply at or above this share of the cap is flagged: the next subscriptions may wait for a reserve report. */
export const CAP_WARN_PCT = 95;

const STAGES: Record<number, 'A' | 'B' | 'C'> = { 1: 'A', 2: 'B', 3: 'C' };
const REASONS: Record<number, 'none' | 'threshold' | 'emergency'> = { 0: 'none', 1: 'threshold', 2: 'emergency' };

export interface DeliveryView {
  attestationId: string;
  seq: number;
  kind: string;
  transport: string;
  txHash: string | null;
  confirmedAt: string | null;
  ageSeconds: number | null;
}

export interface ChainRowView {
  chainId: number;
  name: string;
  /** The chain's default transport in the deployment (routes and quorums may send some things another way). */
  transport: string;
  /** The chain could not be read this time; the on-chain columns are then null. */
  error: string | null;
  configured: boolean;
  nav: { round: string; value: string | null; asOf: string | null; ageSeconds: number | null; heartbeatSeconds: number; stale: boolean } | null;
  supply: { total: string; cap: string; totalRaw: string; capRaw: string; usedPct: number | null; paused: boolean; reserveAsOf: string | null } | null;
  stage: { name: 'A' | 'B' | 'C' | '?'; since: string | null; reason: string } | null;
  /** The relayer's view of the chain; null when the relayer could not be read. depth and parked count every DID. */
  queue: { depth: number; parked: number; waiting: number; dead: number; blocked: string | null } | null;
  /** This DID's last confirmed deliveries to the chain, newest first. */
  recent: DeliveryView[];
  /** What an operator should look at on this row (empty: nothing). */
  attention: string[];
}

/** The incident notice a DID owes (oracle): `due` with the stage, since when and what; null when the oracle is not read. */
export type NoticeView = { due: true; stage: string; since: string | null; required: string | null } | { due: false } | { error: string };

export interface StatusView {
  generatedAt: string;
  relayer: { url: string; ok: boolean; error: string | null; cursor: number | null };
  oracle: { url: string; ok: boolean; error: string | null; backlog: number | null; backlogCapped: boolean } | null;
  dids: { did: string; didHash: string; notice: NoticeView | null; chains: ChainRowView[] }[];
}

const iso = (unixSeconds: bigint): string => new Date(Number(unixSeconds) * 1000).toISOString();
const secondsSince = (now: number, unixSeconds: bigint): number => Math.max(0, Math.floor(now / 1000 - Number(unixSeconds)));

function navView(r: ChainRead, now: number): ChainRowView['nav'] {
  const has = r.navRound > 0n && r.nav !== undefined && r.navAsOf !== undefined;
  return {
    round: r.navRound.toString(),
    value: has ? formatUnits(r.nav!, r.navDecimals) : null,
    asOf: has ? iso(r.navAsOf!) : null,
    ageSeconds: has ? secondsSince(now, r.navAsOf!) : null,
    heartbeatSeconds: r.heartbeatSeconds,
    stale: r.navStale,
  };
}

function supplyView(r: ChainRead): ChainRowView['supply'] {
  // Tenths of a percent, floored: 99.96 % shows 99.9, never 100 before the cap is reached.
  const usedPct = r.supplyCap === 0n ? null : Number((r.totalSupply * 1000n) / r.supplyCap) / 10;
  return {
    total: formatUnits(r.totalSupply, r.holdingsDecimals),
    cap: formatUnits(r.supplyCap, r.holdingsDecimals),
    totalRaw: r.totalSupply.toString(),
    capRaw: r.supplyCap.toString(),
    usedPct,
    paused: r.paused,
    reserveAsOf: r.reserveAsOf === 0n ? null : iso(r.reserveAsOf),
  };
}

function deliveryView(d: RelayerDelivery, now: number): DeliveryView {
  const at = d.confirmedAt === null ? Number.NaN : Date.parse(d.confirmedAt);
  return {
    attestationId: d.attestationId,
    seq: d.seq,
    kind: d.kind,
    transport: d.transport,
    txHash: d.txHash,
    confirmedAt: d.confirmedAt,
    ageSeconds: Number.isNaN(at) ? null : Math.max(0, Math.floor((now - at) / 1000)),
  };
}

function queueView(relayer: RelayerRead, did: string, chainId: number): NonNullable<ChainRowView['queue']> {
  const q = relayer.queues.find((x) => x.chainId === chainId);
  return {
    depth: q?.depth ?? 0,
    parked: q?.parked ?? 0,
    waiting: q?.waiting.filter((w) => w.did === did).length ?? 0,
    dead: relayer.dead.filter((x) => x.did === did && x.chainId === chainId).length,
    blocked: q?.blocked?.reason ?? null,
  };
}

/** What needs a person on this row, in the order a person should look. */
function attentionOf(row: Omit<ChainRowView, 'attention'>): string[] {
  const out: string[] = [];
  if (row.error !== null) out.push('chain unreadable');
  if (row.error === null && !row.configured) out.push('not configured');
  if (row.queue?.blocked) out.push(`relayer blocked: ${row.queue.blocked}`);
  if (row.queue && row.queue.dead > 0) out.push(`${row.queue.dead} dead`);
  if (row.queue && row.queue.waiting > 0) out.push(`${row.queue.waiting} waiting`);
  if (row.supply?.paused) out.push('paused');
  if (row.stage?.name === 'C') out.push('stage C');
  if (row.nav?.stale && row.nav.round !== '0') out.push('NAV stale');
  if (row.supply?.usedPct !== null && row.supply?.usedPct !== undefined && row.supply.usedPct >= CAP_WARN_PCT) out.push(`supply at ${row.supply.usedPct}% of cap`);
  return out;
}

function noticeView(read: Sourced<NoticeRead> | undefined): NoticeView | null {
  if (!read) return null;
  if (!read.ok) return { error: read.error };
  const n = read.value;
  return n.due ? { due: true, stage: n.stage ?? '?', since: n.since === null ? null : iso(BigInt(n.since)), required: n.required } : { due: false };
}

export function buildView(inputs: StatusInputs): StatusView {
  const { now } = inputs;
  const relayer = inputs.relayer.read.ok ? inputs.relayer.read.value : undefined;
  const oracle = inputs.oracle;
  return {
    generatedAt: new Date(now).toISOString(),
    relayer: {
      url: inputs.relayer.url,
      ok: inputs.relayer.read.ok,
      error: inputs.relayer.read.ok ? null : inputs.relayer.read.error,
      cursor: relayer?.cursor ?? null,
    },
    oracle: oracle
      ? {
          url: oracle.url,
          ok: oracle.read.ok,
          error: oracle.read.ok ? null : oracle.read.error,
          backlog: oracle.read.ok ? oracle.read.value.backlog : null,
          backlogCapped: oracle.read.ok && oracle.read.value.backlogCapped,
        }
      : null,
    dids: inputs.dids.map(({ did, didHash }) => ({
      did,
      didHash,
      notice: noticeView(inputs.notices?.get(did)),
      chains: inputs.chains.map((c) => {
        const read = inputs.chainReads.get(chainKey(didHash, c.chainId)) ?? { ok: false as const, error: 'not read' };
        const r = read.ok && read.value.configured ? read.value : undefined;
        const recent = relayer?.recent.find((x) => x.chainId === c.chainId)?.deliveries.filter((d) => d.did === did) ?? [];
        const row: Omit<ChainRowView, 'attention'> = {
          chainId: c.chainId,
          name: c.name,
          transport: c.transport,
          error: read.ok ? null : read.error,
          configured: read.ok && read.value.configured,
          nav: r ? navView(r, now) : null,
          supply: r ? supplyView(r) : null,
          stage: r ? { name: STAGES[r.stage.stage] ?? '?', since: r.stage.since === 0n ? null : iso(r.stage.since), reason: REASONS[r.stage.reason] ?? `reason ${r.stage.reason}` } : null,
          queue: relayer ? queueView(relayer, did, c.chainId) : null,
          recent: recent.slice(0, RECENT_PER_ROW).map((d) => deliveryView(d, now)),
        };
        return { ...row, attention: attentionOf(row) };
      }),
    })),
  };
}
