import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface OracleMetrics {
  registry: Registry;
  attestations: Counter<'kind'>;
  refusals: Counter<'code'>;
  requestDuration: Histogram<'route' | 'status'>;
  /** Remote committee: one per signer call, by outcome (signed, refused, unreachable, timeout, bad_response, ...). */
  signerCalls: Counter<'signer' | 'outcome'>;
  /** Remote committee: signatures thrown away, by reason (signer_mismatch, not_in_signer_set, high_s, ...). */
  signaturesRejected: Counter<'signer' | 'reason'>;
  signerCallDuration: Histogram<'signer'>;
  /** Chain watcher passes that failed on a chain (RPC down, quorum unavailable), by watcher. */
  watcherFailures: Counter<'watcher' | 'chain'>;
  /** Registry loops (config, policy, quorum): one DID's pass that failed; the other DIDs went on. */
  registrySyncFailures: Counter<'loop'>;
  /** Registry loops: DIDs whose sync is failing now (retried with backoff). */
  registrySyncFailingDids: Gauge<'loop'>;
  /** Signing rounds by outcome: completed, stalled (signers down or slow, stays open), closed (by reason), reproposed. */
  proposals: Counter<'outcome' | 'reason'>;
  /** Signing rounds stored and neither completed nor closed. */
  proposalsOpen: Gauge;
  /** Group commit: proposals per committee round (1 = a lone request, sent at once). */
  signBatchSize: Histogram;
  /** Group commit: per destination chain of a round with two or more batchable messages, sealed (a root quorum) or not. */
  batchRoots: Counter<'outcome'>;
  /** Group commit: requests waiting for their DID's next committee round (the one in flight not counted). */
  signQueued: Gauge;
  /** Intake reads of the hub and chains (a DID's record, a custodian's role, first holdings): asked, or shared with one in flight. */
  intakeReads: Counter<'outcome'>;
  /** Redemptions requested today over all chains, in bps of the pool supply of the DID's latest report. */
  redemptionDailyRateBps: Gauge<'did'>;
  /** The LCR of the DID's latest buy-back report (ratio, 1 = 100%; +Inf unbounded), as the oracle computed it. */
  buyBackLcr: Gauge<'did'>;
  /** Cash in the DID's buy-back pool, in bps of the asset pool, of its latest report. */
  buyBackShareBps: Gauge<'did'>;
  /** Open redemption requests (not cancelled, not fully fulfilled), under the DID's current hub stage. */
  redemptionQueueSize: Gauge<'did' | 'stage'>;
  /** Age of the oldest open request, seconds, under the DID's current hub stage. */
  redemptionQueueAge: Gauge<'did' | 'stage'>;
  /** 1 while a DID in redemption stage B or C owes its issuer's incident notice (oracle/mirror/notice-monitor.ts), else 0. */
  noticeDue: Gauge<'did'>;
  /** Cross-chain moves by state (accepted ... arrived / returned). */
  moves: Gauge<'state'>;
  /** Age of the oldest move not yet arrived or returned, seconds (0 when none). */
  moveOldestUnfinishedSeconds: Gauge;
  /** Moves unfinished past their deadline: an alert (units on no chain). */
  movesStranded: Gauge;
  /** Seconds until a signer set ends (negative: past it, verifying nothing), per DID; governance as `governance:<chainId>`. */
  signerSetExpiresSeconds: Gauge<'did'>;
  /** Public read caches: hit (served kept), shared (joined a load in flight), miss (loaded), by cache. */
  readCache: Counter<'cache' | 'outcome'>;
  /** Public reads answered 429, by the limit that refused them (client or global). */
  readLimited: Counter<'scope'>;
  /** Brakes (kind 14) in force per DID and chain, read from the receivers: queued settlements per direction. */
  brakesQueued: Gauge<'did' | 'chain' | 'direction'>;
  /** What each bucket holds now (token units; -1 when the direction has no limit). */
  brakesAvailable: Gauge<'did' | 'chain' | 'direction'>;
  /** The amount line in force (token units, 0: none) and the signatures above it. */
  brakesLine: Gauge<'did' | 'chain'>;
  brakesLargeThreshold: Gauge<'did' | 'chain'>;
  /** Settlements proposed above their chain's amount line, signed by the line's threshold. */
  aboveLine: Counter<'chain'>;
}

export function createMetrics(): OracleMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    moves: new Gauge({ name: 'oracle_moves', help: 'Cross-chain moves by state', labelNames: ['state'], registers: [registry] }),
    moveOldestUnfinishedSeconds: new Gauge({ name: 'oracle_move_oldest_unfinished_seconds', help: 'Age of the oldest move not yet arrived or returned', registers: [registry] }),
    movesStranded: new Gauge({ name: 'oracle_moves_stranded', help: 'Moves unfinished past their deadline (alert)', registers: [registry] }),
    attestations: new Counter({ name: 'oracle_attestations_signed_total', help: 'Attestations signed and stored', labelNames: ['kind'], registers: [registry] }),
    refusals: new Counter({ name: 'oracle_refusals_total', help: 'Requests refused, by error code', labelNames: ['code'], registers: [registry] }),
    requestDuration: new Histogram({
      name: 'oracle_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    signerCalls: new Counter({ name: 'oracle_signer_calls_total', help: 'Calls to committee signer processes, by outcome', labelNames: ['signer', 'outcome'], registers: [registry] }),
    signaturesRejected: new Counter({
      name: 'oracle_signer_signatures_rejected_total',
      help: 'Signatures returned by a signer that failed verification and were ignored',
      labelNames: ['signer', 'reason'],
      registers: [registry],
    }),
    signerCallDuration: new Histogram({
      name: 'oracle_signer_call_duration_seconds',
      help: 'Duration of one call to a committee signer',
      labelNames: ['signer'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    registrySyncFailures: new Counter({
      name: 'oracle_registry_sync_failures_total',
      help: "Registry sync passes of one DID that failed (config, policy, quorum); the other DIDs' went on",
      labelNames: ['loop'],
      registers: [registry],
    }),
    registrySyncFailingDids: new Gauge({ name: 'oracle_registry_sync_failing_dids', help: 'DIDs whose registry sync is failing, retried with backoff', labelNames: ['loop'], registers: [registry] }),
    watcherFailures: new Counter({ name: 'oracle_watcher_failures_total', help: 'Chain watcher passes that failed, by watcher and chain', labelNames: ['watcher', 'chain'], registers: [registry] }),
    proposals: new Counter({ name: 'oracle_proposals_total', help: 'Signing rounds by outcome (completed, stalled, closed, reproposed)', labelNames: ['outcome', 'reason'], registers: [registry] }),
    batchRoots: new Counter({ name: 'oracle_batch_roots_total', help: 'Batch roots per destination chain of a committee round, by outcome (sealed, no_quorum)', labelNames: ['outcome'], registers: [registry] }),
    signBatchSize: new Histogram({ name: 'oracle_sign_batch_size', help: 'Proposals per committee round (group commit)', buckets: [1, 2, 4, 8, 16, 32, 64], registers: [registry] }),
    signerSetExpiresSeconds: new Gauge({
      name: 'oracle_signer_set_expires_seconds',
      help: 'Seconds until the signer set ends (negative: past it, it verifies nothing); governance as governance:<chainId>',
      labelNames: ['did'],
      registers: [registry],
    }),
    brakesQueued: new Gauge({ name: 'oracle_brakes_queued', help: 'Settlements the brakes queued on a chain, waiting for the bucket (per DID and direction)', labelNames: ['did', 'chain', 'direction'], registers: [registry] }),
    brakesAvailable: new Gauge({ name: 'oracle_brakes_available', help: 'Token units the brakes bucket holds now (-1: no limit)', labelNames: ['did', 'chain', 'direction'], registers: [registry] }),
    brakesLine: new Gauge({ name: 'oracle_brakes_large_amount', help: 'Amount line in force on a chain (token units; 0: no line)', labelNames: ['did', 'chain'], registers: [registry] }),
    brakesLargeThreshold: new Gauge({ name: 'oracle_brakes_large_threshold', help: 'Signatures a settlement above the line needs on a chain (0: no line)', labelNames: ['did', 'chain'], registers: [registry] }),
    aboveLine: new Counter({ name: 'oracle_settlements_above_line_total', help: "Settlements proposed above their chain's amount line (kind 14), signed by the line's threshold", labelNames: ['chain'], registers: [registry] }),
    signQueued: new Gauge({ name: 'oracle_sign_queued', help: 'Requests waiting for their DID\'s next committee round', registers: [registry] }),
    intakeReads: new Counter({ name: 'oracle_intake_reads_total', help: 'Intake chain reads: asked, or shared with the same read in flight', labelNames: ['outcome'], registers: [registry] }),
    proposalsOpen: new Gauge({ name: 'oracle_proposals_open', help: 'Signing rounds stored and neither completed nor closed', registers: [registry] }),
    buyBackLcr: new Gauge({ name: 'rwa_buyback_lcr_ratio', help: "LCR of the DID's latest buy-back report (1 = 100%, +Inf unbounded)", labelNames: ['did'], registers: [registry] }),
    buyBackShareBps: new Gauge({ name: 'rwa_buyback_share_bps', help: "The DID's buy-back pool in bps of the asset pool, of its latest report", labelNames: ['did'], registers: [registry] }),
    redemptionDailyRateBps: new Gauge({
      name: 'rwa_redemption_daily_rate_bps',
      help: "Redemptions requested today (UTC) over all chains, in bps of the pool supply of the DID's latest report",
      labelNames: ['did'],
      registers: [registry],
    }),
    redemptionQueueSize: new Gauge({ name: 'rwa_redemption_queue_size', help: 'Open redemption requests by DID and current stage', labelNames: ['did', 'stage'], registers: [registry] }),
    redemptionQueueAge: new Gauge({
      name: 'rwa_redemption_queue_age_seconds',
      help: 'Age of the oldest open redemption request by DID and current stage',
      labelNames: ['did', 'stage'],
      registers: [registry],
    }),
    noticeDue: new Gauge({
      name: 'oracle_notice_due',
      help: "1 while a DID in redemption stage B or C owes its issuer's incidentNotice disclosure (anchored after the stage change), else 0",
      labelNames: ['did'],
      registers: [registry],
    }),
    readCache: new Counter({ name: 'oracle_read_cache_total', help: 'Public read cache lookups by cache and outcome (hit, shared, miss; kept: a never-changing answer stored)', labelNames: ['cache', 'outcome'], registers: [registry] }),
    readLimited: new Counter({ name: 'oracle_read_limited_total', help: 'Public reads refused with 429, by limit (client, global)', labelNames: ['scope'], registers: [registry] }),
  };
}
