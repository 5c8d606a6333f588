import type { RedemptionStageName } from '../schemas/message.js';

/**
 * The notice each redemption stage asks of the issuer (the research's figure 14): stage A routine reports only; stage B
 * a public announcement and a filing; stage C a regulatory filing and temporary restrictions. The notice itself is
 * an issuer disclosure (kind 11) of docKind `incidentNotice`.
 */
export const NOTICE_REQUIRED = {
  B: 'public announcement and filing',
  C: 'regulatory filing and temporary restrictions',
} as const satisfies Partial<Record<RedemptionStageName, string>>;

/** A hub stage change as the stage watcher stored it. `since`: unix seconds of the hub block that set it. */
export interface StageChange {
  stage: RedemptionStageName;
  stageSeq: string;
  since: number;
}

/** An incidentNotice disclosure the oracle signed for every chain of the DID. */
export interface AnchoredNotice {
  attestationId: string;
  /** Unix seconds the notice speaks for (the disclosure's asOf). */
  asOf: number;
  uri: string;
  /** Every chain it was signed for has applied it (it is anchored: `disclosureOf` shows it there). */
  applied: boolean;
}

export type NoticeStatus =
  | {
      due: true;
      stage: keyof typeof NOTICE_REQUIRED;
      /** When the DID entered its current effective stage (unix seconds: the hub's change or the buy-back report's asOf). */
      since: number;
      stageSeq: string;
      /** What the notice must be (NOTICE_REQUIRED of the stage). */
      required: string;
      /** A notice that answers the stage, signed but not yet applied on every chain; null when none is signed. */
      pending: string | null;
    }
  | {
      due: false;
      /** null: no stage change seen yet (stage A by default). */
      stage: RedemptionStageName | null;
      since: number | null;
      /** The notice that answered the current stage B or C; null in stage A or before any change. */
      notice: Omit<AnchoredNotice, 'applied'> | null;
    };

/**
 * A buy-back report (kind 17) the oracle attested: its asOf and the liquidity floor it sets on every chain while fresh
 * and once stale (core/buyback.ts `buyBackFloor`, the chains' LiquidityFloor).
 */
export interface FloorReport {
  asOf: number;
  fresh: RedemptionStageName;
  stale: RedemptionStageName;
}

/** The liquidity floor's inputs: the reports, the DID's heartbeat (a report older than it is stale) and now (unix s). */
export interface FloorHistory {
  reports: readonly FloorReport[];
  heartbeat: number;
  now: number;
}

/** A step of the floor: from `since` on, the least stage redemptions run at. */
export interface FloorStep {
  stage: RedemptionStageName;
  since: number;
}

const RANK: Record<RedemptionStageName, number> = { A: 1, B: 2, C: 3 };

/**
 * The floor over time as the chains apply it (RwaRedemptionBuyBack `_floor`): each report sets its fresh floor from its
 * asOf (a report not later than the one before is superseded, never applied); a report not followed by a later one
 * within the heartbeat turns stale at asOf + heartbeat (the chains' `since` of a stale floor), if now is past it.
 */
export function floorSteps(f: FloorHistory): FloorStep[] {
  const steps: FloorStep[] = [];
  const applied = [...f.reports].sort((a, b) => a.asOf - b.asOf).filter((r, i, all) => i === 0 || r.asOf > all[i - 1]!.asOf);
  applied.forEach((r, i) => {
    steps.push({ stage: r.fresh, since: r.asOf });
    const staleAt = r.asOf + f.heartbeat;
    const next = applied[i + 1]?.asOf ?? Number.POSITIVE_INFINITY;
    if (staleAt < next && f.now > staleAt) steps.push({ stage: r.stale, since: staleAt });
  });
  return steps;
}

interface EffectiveStep {
  stage: RedemptionStageName;
  at: number;
  /** The hub's stageSeq in force then ('0' before any hub stage change). */
  stageSeq: string;
}

/**
 * The effective stage over time (RwaRedemptions `effectiveStageOf`): the higher of the hub's pressure stage and the
 * liquidity floor, one step per hub change (in stageSeq order) or floor step, merged by time.
 */
function effectiveSteps(changes: readonly StageChange[], floor: readonly FloorStep[]): EffectiveStep[] {
  const hub = [...changes].sort((a, b) => (BigInt(a.stageSeq) < BigInt(b.stageSeq) ? -1 : BigInt(a.stageSeq) > BigInt(b.stageSeq) ? 1 : 0));
  const out: EffectiveStep[] = [];
  let pressure: StageChange | undefined;
  let least: RedemptionStageName = 'A';
  let i = 0;
  let j = 0;
  while (i < hub.length || j < floor.length) {
    let at: number;
    if (j >= floor.length || (i < hub.length && hub[i]!.since <= floor[j]!.since)) {
      pressure = hub[i++]!;
      at = pressure.since;
    } else {
      least = floor[j]!.stage;
      at = floor[j++]!.since;
    }
    const p = pressure?.stage ?? 'A';
    out.push({ stage: RANK[least] > RANK[p] ? least : p, at, stageSeq: pressure?.stageSeq ?? '0' });
  }
  return out;
}

/**
 * Whether the DID owes its issuer's incident notice. The current stage is the effective one: the hub's pressure stage
 * (the highest stageSeq) raised to the liquidity floor of the buy-back reports (kind 17: stale pool, pool below the
 * issuer's share, LCR bands), as every chain runs redemptions. It was entered at the first step of the trailing run of
 * that same effective stage (a change of reason only, e.g. C by threshold then C by emergency, or a new report keeping
 * the floor at B, is no new stage and asks for no new notice); a stage the floor raised dates from the report's asOf
 * (asOf + heartbeat when staleness raised it). In stage B or C, a notice is due until an incidentNotice whose asOf is
 * at or after that entry time has been anchored; a notice from before the change answers an earlier incident, not
 * this one. Stage A: nothing due. Pure: derived from what the store holds, so a restart answers the same. `stageSeq`:
 * the hub's change in force at entry ('0' when only the floor ever raised the stage).
 */
export function noticeStatus(changes: readonly StageChange[], notices: readonly AnchoredNotice[], floor?: FloorHistory): NoticeStatus {
  const steps = effectiveSteps(changes, floor ? floorSteps(floor) : []);
  const current = steps.at(-1);
  if (!current) return { due: false, stage: null, since: null, notice: null };
  let entry = steps.length - 1;
  while (entry > 0 && steps[entry - 1]!.stage === current.stage) entry--;
  const { at: since, stageSeq } = steps[entry]!;
  if (current.stage === 'A') return { due: false, stage: 'A', since, notice: null };
  const answering = notices.filter((n) => n.asOf >= since).sort((a, b) => b.asOf - a.asOf);
  const anchored = answering.find((n) => n.applied);
  if (anchored) return { due: false, stage: current.stage, since, notice: { attestationId: anchored.attestationId, asOf: anchored.asOf, uri: anchored.uri } };
  return { due: true, stage: current.stage, since, stageSeq, required: NOTICE_REQUIRED[current.stage], pending: answering[0]?.attestationId ?? null };
}
