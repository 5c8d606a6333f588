import { keccak256, stringToBytes } from 'viem';
import type { StageReport } from '../../schemas/committee.js';
import { REDEMPTION_STAGE, REDEMPTION_STAGE_REASON, type RedemptionStageName, type RedemptionStageReasonName } from '../../schemas/message.js';
import type { DidHash } from '../../schemas/ids.js';
import { attestationOf } from '../../core/attestation.js';
import { nextRange, reportAwaiting } from '../../core/chain/scan.js';
import { issueAttestation } from '../issue/issue.js';
import { issueOnce } from '../issue/issue-once.js';
import type { RedemptionSource } from '../../core/redemption-attestation.js';
import { enabledChains, issueDepsOf, type RedemptionDeps } from '../redemption-deps.js';
import { signerSetOnChains } from '../intake/settlement-service.js';
import type { AttestationRow } from '../store/attestations.js';
import { stageSourceRef, type StageRow } from '../store/redemptions.js';

const stageName = (n: number): RedemptionStageName => (Object.keys(REDEMPTION_STAGE) as RedemptionStageName[]).find((k) => REDEMPTION_STAGE[k] === n) ?? 'A';
const reasonName = (n: number): RedemptionStageReasonName =>
  (Object.keys(REDEMPTION_STAGE_REASON) as RedemptionStageReasonName[]).find((k) => REDEMPTION_STAGE_REASON[k] === n) ?? 'none';

const PAGE = 100;

/** A stored hub stage change as the report the committee signs. */
export const stageReportOf = (row: StageRow, did: string): StageReport => ({
  did,
  stage: stageName(row.stage),
  stageSeq: row.stageSeq,
  since: row.since,
  reason: reasonName(row.reason),
  dayRequested: row.dayRequested,
  poolSupply: row.poolSupply,
  blockNumber: row.blockNumber,
});

/**
 * Redemption stages, hub -> spokes. Each pass reads the hub module's RedemptionStageChanged past the hub's
 * confirmations into the store (its own cursor), then sends every stage change not sent yet to the DID's other
 * chains (kind 8), in stageSeq order; the chains apply only a stageSeq newer than theirs, so after finality every
 * chain holds the hub's latest stage. Failures are logged, counted and retried on the next pass.
 */
export class StageWatcher {
  constructor(private readonly d: RedemptionDeps, private readonly o: { startBlock: bigint; maxSpan: bigint }) {}

  async tick(): Promise<AttestationRow[]> {
    const hub = Number(this.d.hubChainId);
    try {
      await this.scan(hub);
    } catch (err) {
      this.d.metrics.watcherFailures.inc({ watcher: 'redemption-stages', chain: String(hub) });
      this.d.logger.warn({ err, chainId: hub }, 'redemption stage scan failed; retrying on the next pass');
    }
    // Then every stage change awaiting its message (see reportAwaiting).
    return reportAwaiting(
      (limit, offset) => this.d.redemptions.stagesAwaitingReport(limit, offset),
      (row) => this.report(row),
      (row, err) => {
        this.d.metrics.watcherFailures.inc({ watcher: 'redemption-stage-reports', chain: String(hub) });
        this.d.logger.warn({ err, didHash: row.didHash, stageSeq: row.stageSeq }, 'redemption stage not sent; retrying on the next pass');
      },
      PAGE,
    );
  }

  private async scan(hub: number): Promise<void> {
    const safe = await this.d.chains.safeHead(hub);
    for (;;) {
      const range = nextRange(this.d.redemptions.cursor(hub, 'redemption-stages'), this.o.startBlock, safe, this.o.maxSpan);
      if (!range) return;
      const logs = await this.d.chains.stageLogs(hub, range.from, range.to);
      this.d.redemptions.ingestStages(
        hub,
        range.to + 1n,
        logs.map((l) => ({
          didHash: l.did,
          stageSeq: String(l.stageSeq),
          stage: REDEMPTION_STAGE[l.stage],
          since: Number(l.since),
          reason: REDEMPTION_STAGE_REASON[l.reason],
          dayRequested: String(l.dayRequested),
          poolSupply: String(l.poolSupply),
          blockNumber: String(l.blockNumber),
          logIndex: l.logIndex,
        })),
      );
      for (const l of logs) this.d.logger.info({ didHash: l.did, stageSeq: String(l.stageSeq), stage: l.stage, reason: l.reason, blockNumber: String(l.blockNumber) }, 'hub redemption stage changed');
    }
  }

  private async report(row: StageRow): Promise<AttestationRow | 'existing' | 'left'> {
    const hash = row.didHash as DidHash;
    const record = await this.d.registry.getDid(hash);
    if (!record) return 'left';
    const spokes = enabledChains(this.d, record).filter((c) => c !== Number(this.d.hubChainId));
    if (spokes.length === 0) return 'left';
    const request = stageReportOf(row, record.did);
    const source: RedemptionSource = { kind: 'redemptionStage', request };
    const sourceRef = stageSourceRef(row.stageSeq);
    const requestHash = keccak256(stringToBytes(JSON.stringify(request)));
    const r = await issueOnce(this.d, { did: record.did, hash, kind: 'redemptionStage', sourceRef, requestHash, field: 'stageSeq' }, (nonce) =>
      issueAttestation(issueDepsOf(this.d), attestationOf(source, hash, BigInt(nonce)), source, signerSetOnChains(this.d.store, record), spokes.map(BigInt), {
        did: record.did,
        didHash: hash,
        nonce,
        kind: 'redemptionStage',
        sourceRef,
        requestHash,
        request: JSON.stringify(request),
        submitter: this.d.registryAddress,
      }),
    );
    return r.created ? r.attestation : 'existing';
  }
}
