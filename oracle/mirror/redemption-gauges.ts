import type { DidHash } from '../../schemas/ids.js';
import type { RedemptionReport } from '../../schemas/committee.js';
import { REDEMPTION_STAGE, type RedemptionStageName } from '../../schemas/message.js';
import { dailyRateBps, dayOf } from '../../core/redemption-rules.js';
import type { RedemptionDeps } from '../redemption-deps.js';

const STAGES = Object.keys(REDEMPTION_STAGE) as RedemptionStageName[];

/** What one DID's gauges were computed from. */
interface DidGauges {
  did: string;
  mark: string;
  day: number;
  stage: RedemptionStageName;
  open: number;
  oldest: number | undefined;
  rate: number | undefined;
}

/**
 * The redemption gauges (daily rate, queue size and age per current stage), kept incrementally: each pass compares
 * one index-backed mark per DID (requests, cancellations, newest stage, newest redemption attestation) with the
 * last pass and recomputes only the DIDs whose mark moved (or whose UTC day turned); the others only age. A pass
 * over an unchanged store reads no request's fulfilments.
 */
export class RedemptionGauges {
  private readonly known = new Map<string, DidGauges>();

  constructor(private readonly d: Pick<RedemptionDeps, 'store' | 'redemptions' | 'metrics' | 'now'>) {}

  /** How many DIDs the last pass recomputed (for tests and logs). */
  recomputed = 0;

  refresh(): void {
    const now = Number(this.d.now());
    const today = dayOf(BigInt(now));
    this.recomputed = 0;
    for (const [hash, mark] of this.d.redemptions.gaugeMarks()) {
      let g = this.known.get(hash);
      if (!g || g.mark !== mark || g.day !== today) {
        const fresh = this.compute(hash as DidHash, mark, today);
        if (!fresh) continue;
        g = fresh;
        this.known.set(hash, g);
        this.recomputed++;
        if (g.rate !== undefined) this.d.metrics.redemptionDailyRateBps.set({ did: g.did }, g.rate);
        for (const stage of STAGES) this.d.metrics.redemptionQueueSize.set({ did: g.did, stage }, stage === g.stage ? g.open : 0);
      }
      for (const stage of STAGES) {
        this.d.metrics.redemptionQueueAge.set({ did: g.did, stage }, stage === g.stage && g.oldest !== undefined ? Math.max(0, now - g.oldest) : 0);
      }
    }
  }

  private compute(hash: DidHash, mark: string, day: number): DidGauges | undefined {
    const last = this.d.store.latestOfKind(hash, 'redemptionRequest');
    if (!last) return undefined;
    const pool = BigInt((JSON.parse(last.request) as RedemptionReport).poolSupply);
    const latest = this.d.redemptions.latestStage(hash);
    const open = this.d.redemptions.requests(hash, 10_000).filter((r) => !r.cancelled && BigInt(r.issuedFulfilled) < BigInt(r.amount));
    return {
      did: last.did,
      mark,
      day,
      stage: STAGES.find((k) => REDEMPTION_STAGE[k] === latest?.stage) ?? 'A',
      open: open.length,
      oldest: open.reduce<number | undefined>((min, r) => (min === undefined || r.requestedAt < min ? r.requestedAt : min), undefined),
      rate: dailyRateBps(this.d.redemptions.dayRequested(hash, day), pool),
    };
  }
}
