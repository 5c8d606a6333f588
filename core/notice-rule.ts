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
      /** When the DID entered its current stage (hub clock, unix seconds). */
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
 * Whether the DID owes its issuer's incident notice. The current stage is that of the highest stageSeq; it was entered
 * at the first change of the trailing run of that same stage (a change of reason only, e.g. C by threshold then C by
 * emergency, is no new stage and asks for no new notice). In stage B or C, a notice is due until an incidentNotice
 * whose asOf is at or after that entry time has been anchored; a notice from before the change answers an earlier
 * incident, not this one. Stage A: nothing due. Pure: derived from what the store holds, so a restart answers the same.
 */
export function noticeStatus(changes: readonly StageChange[], notices: readonly AnchoredNotice[]): NoticeStatus {
  const ordered = [...changes].sort((a, b) => (BigInt(a.stageSeq) < BigInt(b.stageSeq) ? -1 : BigInt(a.stageSeq) > BigInt(b.stageSeq) ? 1 : 0));
  const current = ordered.at(-1);
  if (!current) return { due: false, stage: null, since: null, notice: null };
  let entry = ordered.length - 1;
  while (entry > 0 && ordered[entry - 1]!.stage === current.stage) entry--;
  const { since, stageSeq } = ordered[entry]!;
  if (current.stage === 'A') return { due: false, stage: 'A', since, notice: null };
  const answering = notices.filter((n) => n.asOf >= since).sort((a, b) => b.asOf - a.asOf);
  const anchored = answering.find((n) => n.applied);
  if (anchored) return { due: false, stage: current.stage, since, notice: { attestationId: anchored.attestationId, asOf: anchored.asOf, uri: anchored.uri } };
  return { due: true, stage: current.stage, since, stageSeq, required: NOTICE_REQUIRED[current.stage], pending: answering[0]?.attestationId ?? null };
}
