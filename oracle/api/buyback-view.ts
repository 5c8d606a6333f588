import type { Hex } from 'viem';
import type { DidHash } from '../../schemas/ids.js';
import { decodeMessage } from '../../schemas/message.js';
import { buyBackFloor, type FloorReason } from '../../core/buyback.js';
import { formatLcr } from '../../liquidity/lcr.js';
import type { AttestationStore } from '../store/attestations.js';

/** The DID's latest buy-back report (kind 17) as the oracle attested it, with what every chain derives from it. */
export interface BuyBackView {
  attestationId: string;
  asOf: number;
  ageSeconds: number;
  /** Older than the DID's heartbeat, as the chains judge it. */
  stale: boolean;
  poolCash: string;
  assetPoolValue: string;
  /** poolCash / assetPoolValue in bps (10000 for an empty asset pool). */
  shareBps: number;
  openRequests: string;
  /** poolCash / openRequests in bps; null when no request is open (unbounded). */
  coverageBps: string | null;
  liquidAssets: string;
  outflows: string;
  /** null: unbounded (no outflow). */
  lcrBps: string | null;
  /** "123.00%" or "unbounded". */
  lcr: string;
  floor: { stage: 'A' | 'B' | 'C'; reason: FloorReason };
}

/** The view of the latest kind 17 of a DID, or null before the first report. `now` in unix seconds. */
export function buyBackViewOf(store: Pick<AttestationStore, 'latestOfKind'>, hash: DidHash, heartbeat: number, now: bigint): BuyBackView | null {
  const row = store.latestOfKind(hash, 'buybackReport');
  if (!row) return null;
  const m = decodeMessage(row.message as Hex);
  if (m.kind !== 'buybackReport') return null;
  const age = now > m.asOf ? now - m.asOf : 0n;
  const stale = age > BigInt(heartbeat);
  return {
    attestationId: row.id,
    asOf: Number(m.asOf),
    ageSeconds: Number(age),
    stale,
    poolCash: String(m.poolCash),
    assetPoolValue: String(m.assetPoolValue),
    shareBps: m.assetPoolValue === 0n ? 10_000 : Number((m.poolCash * 10_000n) / m.assetPoolValue),
    openRequests: String(m.openRequests),
    coverageBps: m.openRequests === 0n ? null : String((m.poolCash * 10_000n) / m.openRequests),
    liquidAssets: String(m.liquidAssets),
    outflows: String(m.outflows),
    lcrBps: m.lcrBps === null ? null : String(m.lcrBps),
    lcr: formatLcr(m.lcrBps),
    floor: buyBackFloor(m, stale),
  };
}
