import type { Hex } from 'viem';
import { REDEMPTION_STAGE, decodeMessage, type DisclosureRequest, type RedemptionStageName } from '../../schemas/message.js';
import type { DidHash } from '../../schemas/ids.js';
import { buyBackFloor } from '../../core/buyback.js';
import { readChain } from '../../core/guards.js';
import { noticeStatus, type AnchoredNotice, type FloorHistory, type FloorReport, type NoticeStatus, type StageChange } from '../../core/notice-rule.js';
import type { AttestationRow } from '../store/attestations.js';
import type { RedemptionDeps } from '../redemption-deps.js';

const stageName = (n: number): RedemptionStageName => (Object.keys(REDEMPTION_STAGE) as RedemptionStageName[]).find((k) => REDEMPTION_STAGE[k] === n) ?? 'A';

/**
 * Incident notices (issue 23): a change of the effective stage to B or C (the hub's stage, or the liquidity floor of
 * the buy-back reports raising it) makes the issuer owe an incidentNotice disclosure (kind 11) with an asOf at or
 * after the change, anchored (applied) on every chain it was signed for (core/notice-rule.ts). Derived on each read
 * from the store (the stage changes the stage watcher stored, the buy-back reports and disclosures the oracle signed),
 * the hub registry (the DID's heartbeat, which makes a report stale) and the chains (whether each applied the notice),
 * so a restart answers the same. The spokes hold the hub's stages (kind 8) and the same buy-back reports (kind 17),
 * so every chain has the same effective stage.
 * `refresh` sets `oracle_notice_due{did}` and logs a warning when a DID starts owing a notice (again after a
 * restart, once), an info when the notice is anchored.
 */
export class NoticeMonitor {
  /** DIDs owing a notice at the last refresh (only to log transitions once; the gauge and answers never read it). */
  private readonly owing = new Set<string>();
  /** Notices seen applied on every chain: final, so their chains are not read again (a restart reads them once). */
  private readonly anchored = new Set<string>();

  constructor(
    private readonly d: Pick<RedemptionDeps, 'store' | 'redemptions' | 'metrics' | 'logger' | 'destinations' | 'now'> & {
      registry: Pick<RedemptionDeps['registry'], 'getDid'>;
    },
  ) {}

  /** The notice a DID owes now. A hub registry that cannot be read (for the heartbeat) is 503 chain_unavailable. */
  async statusOf(did: string, didHash: string): Promise<NoticeStatus> {
    const changes: StageChange[] = this.d.redemptions.stagesOf(didHash).map((r) => ({ stage: stageName(r.stage), stageSeq: r.stageSeq, since: r.since }));
    const floor = await this.floorOf(did, didHash);
    const current = noticeStatus(changes, [], floor);
    // Nothing owed (stage A, no change): no chain is read.
    if (!current.due) return current;
    const notices: AnchoredNotice[] = [];
    for (const { row, body } of this.d.store
      .ofKind(did, 'disclosure')
      .map((r) => ({ row: r, body: JSON.parse(r.request) as DisclosureRequest }))
      .filter(({ body: b }) => b.docKind === 'incidentNotice' && b.asOf >= current.since)) {
      notices.push({ attestationId: row.id, asOf: body.asOf, uri: body.uri, applied: await this.appliedEverywhere(row) });
    }
    return noticeStatus(changes, notices, floor);
  }

  /** The DID's buy-back reports in the order the oracle signed them (nonce), with the floor each sets fresh and stale. */
  private async floorOf(did: string, didHash: string): Promise<FloorHistory | undefined> {
    const reports: FloorReport[] = [];
    for (const row of [...this.d.store.ofKind(did, 'buybackReport')].sort((a, b) => a.nonce - b.nonce)) {
      const m = decodeMessage(row.message as Hex);
      if (m.kind !== 'buybackReport') continue;
      reports.push({ asOf: Number(m.asOf), fresh: buyBackFloor(m, false).stage, stale: buyBackFloor(m, true).stage });
    }
    if (reports.length === 0) return undefined;
    const record = await readChain('the hub registry', () => this.d.registry.getDid(didHash as DidHash));
    // Not registered (any more): no heartbeat to judge staleness by; the reports' own floors still count.
    return { reports, heartbeat: record?.heartbeat ?? Number.MAX_SAFE_INTEGER, now: Number(this.d.now()) };
  }

  private async appliedEverywhere(row: AttestationRow): Promise<boolean> {
    if (this.anchored.has(row.id)) return true;
    for (const delivery of this.d.store.deliveriesOf(row.seq)) {
      let applied: boolean;
      try {
        applied = await this.d.destinations.isApplied(delivery.chainId, row.didHash as DidHash, BigInt(row.nonce));
      } catch (err) {
        // Unreadable now: not known to be anchored there, so the notice stays due; read again on the next pass.
        this.d.metrics.watcherFailures.inc({ watcher: 'notices', chain: String(delivery.chainId) });
        this.d.logger.warn({ err, chainId: delivery.chainId, attestationId: row.id }, 'chain unreadable for an incident notice; still due');
        return false;
      }
      if (!applied) return false;
    }
    this.anchored.add(row.id);
    return true;
  }

  /**
   * Sets the gauge of every DID with a stage change or a buy-back report; logs the DIDs that start or stop owing a
   * notice. A DID whose heartbeat cannot be read keeps its gauge until the next pass (counted, logged).
   */
  async refresh(): Promise<void> {
    const hashes = new Set([...this.d.redemptions.didsWithStages(), ...this.d.store.didHashesOfKind('buybackReport')]);
    for (const hash of hashes) {
      const did = this.d.store.didOf(hash);
      // A DID the oracle never signed anything for is not served here: nothing to notify on its behalf.
      if (did === undefined) continue;
      let s: NoticeStatus;
      try {
        s = await this.statusOf(did, hash);
      } catch (err) {
        this.d.metrics.watcherFailures.inc({ watcher: 'notices', chain: 'hub' });
        this.d.logger.warn({ err, did }, 'incident notice not evaluated: the hub registry cannot be read');
        continue;
      }
      this.d.metrics.noticeDue.set({ did }, s.due ? 1 : 0);
      if (s.due && !this.owing.has(did)) {
        this.owing.add(did);
        this.d.logger.warn({ did, stage: s.stage, since: s.since, stageSeq: s.stageSeq, required: s.required, pending: s.pending }, "incident notice due: the issuer's incidentNotice disclosure is not anchored since the stage change");
      } else if (!s.due && this.owing.delete(did)) {
        this.d.logger.info({ did, stage: s.stage, since: s.since, attestationId: s.notice?.attestationId ?? null }, 'incident notice no longer due');
      }
    }
  }
}
