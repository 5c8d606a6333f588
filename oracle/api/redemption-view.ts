import type { DidHash } from '../../schemas/ids.js';
import type { RedemptionReport } from '../../schemas/committee.js';
import type { RedemptionStageName } from '../../schemas/message.js';
import type { StageState } from '../../core/chain/redemption-types.js';
import { dailyRateBps, dayOf } from '../../core/redemption-rules.js';
import { enabledChains, type RedemptionDeps } from '../redemption-deps.js';
import { registeredDid } from '../../core/guards.js';
import { RedemptionGauges } from '../mirror/redemption-gauges.js';
import { NoticeMonitor } from '../mirror/notice-monitor.js';
import type { NoticeStatus } from '../../core/notice-rule.js';
import { requestSourceRef, type RequestWithFulfilled } from '../store/redemptions.js';
import { buyBackViewOf, type BuyBackView } from './buyback-view.js';

export type RequestStatus = 'open' | 'fulfilled' | 'cancelled';

export interface RequestView {
  chainId: number;
  requestId: string;
  owner: string;
  amount: string;
  requestedAt: number;
  /** Sum of the fulfilments the oracle attested for the request (applied on chain or on their way). */
  fulfilled: string;
  status: RequestStatus;
  /** The kind 7 report to the hub, once signed. */
  reportId: string | null;
  /** What the request's module allows to fulfil now (open requests; null when closed or its chain is unreadable). */
  redeemableNow: string | null;
}

export type ChainStageView = { chainId: number } & ({ stage: RedemptionStageName; stageSeq: string; since: number; reason: string; dayRequested: string; poolSupply: string } | { error: 'chain_unavailable' });

export interface RedemptionsView {
  did: string;
  stages: ChainStageView[];
  dailyRateBps: number | null;
  requests: RequestView[];
  /** The incident notice the issuer owes for the current stage (issue 23): due from a change to B or C until anchored. */
  notice: NoticeStatus;
  /** The buy-back pool and LCR of the DID's latest report (kind 17); null before the first. */
  buyBack: BuyBackView | null;
}

const statusOf = (r: RequestWithFulfilled): RequestStatus => (r.cancelled ? 'cancelled' : BigInt(r.issuedFulfilled) >= BigInt(r.amount) ? 'fulfilled' : 'open');

const stageView = (chainId: number, s: StageState): ChainStageView => ({
  chainId,
  stage: s.stage,
  stageSeq: String(s.stageSeq),
  since: Number(s.since),
  reason: s.reason,
  dayRequested: String(s.dayRequested),
  poolSupply: String(s.poolSupply),
});

/**
 * Read side of redemptions: a DID's stage on each chain (read from the modules), its requests as the watcher saw
 * them with what was attested against each, the incident notice the stage owes (NoticeMonitor), and the metrics
 * (daily rate, queue size and age per current stage; notice due).
 */
export class RedemptionView {
  constructor(
    private readonly d: Pick<RedemptionDeps, 'destinations' | 'store' | 'redemptions' | 'metrics' | 'logger' | 'now'> & {
      registry: Pick<RedemptionDeps['registry'], 'getDid'>;
      chains: Pick<RedemptionDeps['chains'], 'stageOf' | 'redeemableNow'>;
    },
  ) {
    this.gauges = new RedemptionGauges(d);
    this.notices = new NoticeMonitor(d);
  }

  private readonly gauges: RedemptionGauges;
  private readonly notices: NoticeMonitor;

  /** The notice a registered DID owes now (404 for an unknown DID): from the store, and the chains for a notice's state. */
  async noticeOf(did: string): Promise<{ did: string; notice: NoticeStatus }> {
    const { hash } = await registeredDid(this.d.registry, did);
    return { did, notice: await this.notices.statusOf(did, hash) };
  }

  async ofDid(did: string): Promise<RedemptionsView> {
    const { hash, record } = await registeredDid(this.d.registry, did);
    const stages = await Promise.all(
      enabledChains(this.d, record).map(async (chainId): Promise<ChainStageView> => {
        try {
          return stageView(chainId, await this.d.chains.stageOf(chainId, hash));
        } catch (err) {
          this.d.logger.warn({ err, chainId, did }, 'chain unreachable for the redemption stage');
          return { chainId, error: 'chain_unavailable' };
        }
      }),
    );
    const requests = await Promise.all(
      this.d.redemptions.requests(hash).map(async (r): Promise<RequestView> => {
        const status = statusOf(r);
        return {
          chainId: r.chainId,
          requestId: r.requestId,
          owner: r.owner,
          amount: r.amount,
          requestedAt: r.requestedAt,
          fulfilled: r.issuedFulfilled,
          status,
          reportId: this.d.store.findBySource(did, 'redemptionRequest', requestSourceRef(r.chainId, r.requestId))?.id ?? null,
          redeemableNow: status === 'open' ? await this.allowance(r.chainId, hash, r.requestId) : null,
        };
      }),
    );
    return { did, stages, dailyRateBps: this.dailyRate(hash) ?? null, requests, notice: await this.notices.statusOf(did, hash), buyBack: buyBackViewOf(this.d.store, hash, record.heartbeat, this.d.now()) };
  }

  private async allowance(chainId: number, hash: DidHash, requestId: string): Promise<string | null> {
    try {
      return String(await this.d.chains.redeemableNow(chainId, hash, BigInt(requestId)));
    } catch (err) {
      this.d.logger.warn({ err, chainId, requestId }, 'chain unreachable for the allowance of a request');
      return null;
    }
  }

  /** Today's requests over all chains against the pool supply of the DID's latest report to the hub. */
  private dailyRate(hash: DidHash): number | undefined {
    const last = this.d.store.latestOfKind(hash, 'redemptionRequest');
    if (!last) return undefined;
    const pool = BigInt((JSON.parse(last.request) as RedemptionReport).poolSupply);
    return dailyRateBps(this.d.redemptions.dayRequested(hash, dayOf(this.d.now())), pool);
  }

  /** Sets the redemption gauges of every DID with requests, recomputing only the DIDs that changed (RedemptionGauges). */
  refreshMetrics(): void {
    this.gauges.refresh();
  }

  /** Sets the notice gauge of every DID with a stage change and logs the DIDs that start or stop owing one (NoticeMonitor). */
  refreshNotices(): Promise<void> {
    return this.notices.refresh();
  }
}
