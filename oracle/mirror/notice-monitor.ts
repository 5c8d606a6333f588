import { REDEMPTION_STAGE, type DisclosureRequest, type RedemptionStageName } from '../../schemas/message.js';
import { noticeStatus, type AnchoredNotice, type NoticeStatus, type StageChange } from '../../core/notice-rule.js';
import type { RedemptionDeps } from '../redemption-deps.js';

const stageName = (n: number): RedemptionStageName => (Object.keys(REDEMPTION_STAGE) as RedemptionStageName[]).find((k) => REDEMPTION_STAGE[k] === n) ?? 'A';

/**
 * Incident notices (issue 23): a hub stage change to B or C makes the issuer owe an incidentNotice disclosure
 * (kind 11) with an asOf at or after the change (core/notice-rule.ts). Everything is derived from the store on each
 * read: the stage changes the stage watcher stored and the disclosures the oracle signed, so a restart answers the
 * same. The spokes only ever hold the hub's stages (kind 8), so the hub's changes are every chain's.
 * `refresh` sets `oracle_notice_due{did}` and logs a warning when a DID starts owing a notice (again after a
 * restart, once), an info when the notice arrives.
 */
export class NoticeMonitor {
  /** DIDs owing a notice at the last refresh (only to log transitions once; the gauge and answers never read it). */
  private readonly owing = new Set<string>();

  constructor(private readonly d: Pick<RedemptionDeps, 'store' | 'redemptions' | 'metrics' | 'logger'>) {}

  /** The notice a DID owes now. */
  statusOf(did: string, didHash: string): NoticeStatus {
    const changes: StageChange[] = this.d.redemptions.stagesOf(didHash).map((r) => ({ stage: stageName(r.stage), stageSeq: r.stageSeq, since: r.since }));
    const notices: AnchoredNotice[] = this.d.store
      .ofKind(did, 'disclosure')
      .map((row) => ({ row, body: JSON.parse(row.request) as DisclosureRequest }))
      .filter(({ body }) => body.docKind === 'incidentNotice')
      .map(({ row, body }) => ({ attestationId: row.id, asOf: body.asOf, uri: body.uri }));
    return noticeStatus(changes, notices);
  }

  /** Sets the gauge of every DID with a stage change; logs the DIDs that start or stop owing a notice. */
  refresh(): void {
    for (const hash of this.d.redemptions.didsWithStages()) {
      const did = this.d.store.didOf(hash);
      // A DID the oracle never signed anything for is not served here: nothing to notify on its behalf.
      if (did === undefined) continue;
      const s = this.statusOf(did, hash);
      this.d.metrics.noticeDue.set({ did }, s.due ? 1 : 0);
      if (s.due && !this.owing.has(did)) {
        this.owing.add(did);
        this.d.logger.warn({ did, stage: s.stage, since: s.since, stageSeq: s.stageSeq, required: s.required }, "incident notice due: the issuer's incidentNotice disclosure is not anchored since the stage change");
      } else if (!s.due && this.owing.delete(did)) {
        this.d.logger.info({ did, stage: s.stage, since: s.since, attestationId: s.notice?.attestationId ?? null }, 'incident notice no longer due');
      }
    }
  }
}
