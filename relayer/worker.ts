import type { Hex } from 'viem';
import type { Logger } from 'pino';
import { Wakeup } from '../common/wakeup.js';
import { classifyError, type Classified } from './errors.js';
import { backoffDelay, decideRetry, type BackoffPolicy } from './retry.js';
import type { Job, Outbox } from './store/outbox.js';
import type { Replacement, Transport } from './transports/transport.js';
import type { RelayerMetrics } from './metrics.js';
import type { TransportName } from '../schemas/deployment.js';
import { arrivedOver } from './transports/destination.js';
import { KIND, SETTLEMENT_KIND } from '../schemas/message.js';

/** Settlement kind byte at offset 42 of a settlement message (AttestationCodec layout). */
const isMoveIn = (job: Job): boolean => job.kind === 'settlement' && job.message.length >= 88 && Number.parseInt(job.message.slice(86, 88), 16) === SETTLEMENT_KIND.moveIn && Number.parseInt(job.message.slice(4, 6), 16) === KIND.settlement;

export interface WorkerDeps {
  chainId: number;
  outbox: Outbox;
  /** The transports that reach this chain, by name; each job names the one its route chose. */
  transports: ReadonlyMap<TransportName, Transport>;
  /** How often a delivery that a transport's own network is carrying (CCIP on live networks) is looked at again. */
  inFlightPollMs: number;
  /** Transports the operator disabled (RELAYER_DISABLED_TRANSPORTS): their jobs wait, untouched, until re-enabled. */
  disabled: ReadonlySet<TransportName>;
  /**
   * The transports (bitmask) whose arrival the chain's RwaTransportQuorum recorded for a job's attestation; asked only
   * for jobs under a transport quorum.
   */
  arrivals: (job: Job) => Promise<number>;
  policy: BackoffPolicy;
  /** How a parked job is tried again: no attempt limit, `maxAttempts` unused. */
  parkPolicy: BackoffPolicy;
  metrics: RelayerMetrics;
  logger: Logger;
  now: () => number;
  random: () => number;
  idleMs: number;
}

/** What the destination already has of a job: its attestation applied, or (under a quorum) this transport's arrival. */
type OnChain = 'applied' | 'delivered' | undefined;

/**
 * Delivers one chain's jobs in oracle order. Each chain has its own worker, so a slow or dead chain only ever
 * delays itself. Before any submission the worker asks the chain whether the attestation is already applied (or,
 * under a transport quorum, whether this transport's arrival is already recorded), so a restart after a crash never
 * delivers anything twice. Under a quorum an attestation has one job per transport; the next attestation waits until
 * all of them are finished, and they all finish once the chain applies it.
 */
export class ChainWorker {
  readonly wakeup = new Wakeup();
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly d: WorkerDeps) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeup.notify();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      // A parked fulfilment that is due goes first: it waits on the chain's state, not on the jobs before it.
      const parked = this.d.outbox.dueParked(this.d.chainId, this.d.now());
      if (parked && !this.d.disabled.has(parked.transport)) {
        await this.process(parked);
        continue;
      }
      const job = this.d.outbox.head(this.d.chainId, this.d.disabled);
      this.d.metrics.queueDepth.set({ chain: String(this.d.chainId) }, this.d.outbox.depth(this.d.chainId));
      this.d.metrics.parked.set({ chain: String(this.d.chainId) }, this.d.outbox.parkedCount(this.d.chainId));
      if (!job) {
        await this.wakeup.wait(this.d.idleMs);
        continue;
      }
      const wait = job.nextAttemptAt - this.d.now();
      if (wait > 0) {
        await this.wakeup.wait(Math.min(wait, this.d.idleMs * 4));
        continue;
      }
      await this.process(job);
    }
  }

  private log(job: Job) {
    return this.d.logger.child({ attestationId: job.attestationId, did: job.did, chainId: job.chainId, transport: job.transport, attempt: job.attempts + 1, nonce: job.nonce });
  }

  async process(job: Job): Promise<void> {
    const log = this.log(job);
    const t = this.transportOf(job);
    if (!t) {
      this.d.outbox.markDead(job.id, job.attempts, `no ${job.transport} transport to chain ${job.chainId} in this relayer's deployment`, this.d.now());
      log.error({ transport: job.transport }, 'delivery dead-lettered: transport not configured');
      return;
    }
    // The job as the store has it now: once a transaction is submitted, every later failure keeps it `submitted`
    // with its hash, so the next pass follows that transaction (wait, replace or re-execute) instead of sending anew.
    let current = job;
    try {
      let stuck: Replacement | undefined;
      if (job.state === 'submitted' && job.txHash) {
        const r = await t.waitForReceipt(job.txHash as Hex, job);
        if (r.status === 'inFlight') return this.inFlight(job, r.detail, log);
        const done = r.status === 'success' ? await this.onChain(t, job) : undefined;
        if (done) return this.confirmed(job, job.txHash, log, done);
        // Not mined within the wait: replace it (same nonce, escalated fees) rather than send a second one.
        if (r.status === 'unknown' && job.txNonce !== null && job.maxFeePerGas && job.maxPriorityFeePerGas) {
          stuck = { nonce: job.txNonce, fees: { maxFeePerGas: BigInt(job.maxFeePerGas), maxPriorityFeePerGas: BigInt(job.maxPriorityFeePerGas) } };
        }
      }
      const done = await this.onChain(t, job);
      if (done) return this.confirmed(job, job.txHash, log, done);
      await t.simulate(job);
      const sent = await t.submit(job, stuck);
      this.d.outbox.markSubmitted(job.id, sent, this.d.now());
      current = {
        ...job,
        state: 'submitted',
        txHash: sent.txHash,
        txNonce: sent.nonce ?? null,
        maxFeePerGas: sent.fees?.maxFeePerGas.toString() ?? null,
        maxPriorityFeePerGas: sent.fees?.maxPriorityFeePerGas.toString() ?? null,
      };
      log.info({ txHash: sent.txHash, nonce: sent.nonce, replaces: stuck ? job.txHash : undefined }, stuck ? 'delivery replaced' : 'delivery submitted');
      const txHash = sent.txHash;
      const r = await t.waitForReceipt(txHash, current);
      if (r.status === 'inFlight') return this.inFlight(current, r.detail, log);
      // Trust the chain's state, not the receipt: after a reorg a receipt can outlive its transaction.
      const landed = r.status === 'success' ? await this.onChain(t, job) : undefined;
      if (landed) return this.confirmed(job, txHash, log, landed);
      // Reverted or unknown: the next pass re-checks the chain and re-simulates to learn why.
      this.failed(current, { reason: `transaction ${txHash} ${r.status}`, retryable: true, alreadyApplied: false }, log);
    } catch (err) {
      const c = classifyError(err);
      // NonceAlreadyUsed or TransportAlreadyDelivered: ask the chain which, so a quorum's other jobs close when applied.
      if (c.alreadyApplied) return this.confirmed(job, current.txHash, log, (await this.onChain(t, job).catch(() => undefined)) ?? 'delivered');
      this.failed(current, c, log, err);
    }
  }

  private async onChain(t: Transport, job: Job): Promise<OnChain> {
    if (await t.isApplied(job)) return 'applied';
    if (job.quorumTransports === null) return undefined;
    return arrivedOver(job, await this.d.arrivals(job)) ? 'delivered' : undefined;
  }

  private transportOf(job: Job): Transport | undefined {
    return this.d.transports.get(job.transport);
  }

  /**
   * The source side is final and the transport's network is carrying the message: look again later. Not an attempt
   * (the job never dead-letters for a slow network) and never a second send.
   */
  private inFlight(job: Job, detail: string, log: Logger): void {
    const now = this.d.now();
    this.d.outbox.markRetry(job.id, job.attempts, `in flight: ${detail}`, now + this.d.inFlightPollMs, now, 'submitted');
    this.d.metrics.inFlight.inc({ chain: String(job.chainId), transport: job.transport });
    log.info({ txHash: job.txHash, detail, ageMs: now - job.createdAt }, 'delivery in flight');
  }

  /**
   * The chain refuses a fulfilment for now (stage C, instalment not due): out of the chain's order, so later
   * attestations (NAV, settlements) go on, and tried again with a growing delay, for as long as it takes.
   */
  private park(job: Job, c: Classified, log: Logger, err?: unknown): void {
    const attempts = job.attempts + 1;
    const now = this.d.now();
    const delayMs = backoffDelay(attempts, this.d.parkPolicy, this.d.random());
    this.d.outbox.markParked(job.id, attempts, c.reason, now + delayMs, now);
    this.d.metrics.failures.inc({ chain: String(job.chainId), reason: c.reason.split(':')[0] ?? 'unknown' });
    log.warn({ err, reason: c.reason, retryInMs: delayMs }, 'delivery parked: the chain refuses it for now; later attestations go on');
  }

  private confirmed(job: Job, txHash: string | null, log: Logger, outcome: 'applied' | 'delivered'): void {
    const now = this.d.now();
    this.d.outbox.markConfirmed(job.id, txHash, now);
    if (job.quorumTransports !== null) {
      const settled = outcome === 'applied' ? this.d.outbox.settleSiblings(job, now) : 0;
      log.info({ txHash, outcome, settledSiblings: settled }, outcome === 'applied' ? 'attestation applied under its transport quorum' : 'arrival recorded, quorum not yet reached');
    }
    this.d.metrics.delivered.inc({ chain: String(job.chainId), transport: job.transport, kind: job.kind });
    this.d.metrics.latency.observe({ chain: String(job.chainId), transport: job.transport }, (now - job.createdAt) / 1000);
    log.info({ txHash, latency_ms: now - job.createdAt }, 'delivery confirmed');
  }

  private failed(job: Job, c: Classified, log: Logger, err?: unknown): void {
    if (c.waitsOnChainState && job.kind === 'redemptionFulfilment') return this.park(job, c, log, err);
    // A move's in leg the to-chain refuses now (paused, investor removed, cap lowered): out of the chain's order, so
    // it never holds the chain's other deliveries. The oracle voids the move once its patience is over; the parked
    // leg then reverts MoveAlreadySettled (not retryable) and is dead-lettered, its units returned on the from-chain.
    // A return the from-chain refuses for now (paused) is parked the same way, so the issuer's resume can pass it.
    if (c.retryable && !c.chainUnreachable && (isMoveIn(job) || job.kind === 'moveReturn')) return this.park(job, c, log, err);
    // An outage is not an attempt of the message's: it must not push the job toward its dead-letter limit.
    const attempts = c.chainUnreachable ? job.attempts : job.attempts + 1;
    const decision = decideRetry(attempts, c.retryable, c.reason, this.d.policy, this.d.random(), c.chainUnreachable ?? false);
    const now = this.d.now();
    this.d.metrics.failures.inc({ chain: String(job.chainId), reason: c.reason.split(':')[0] ?? 'unknown' });
    if (decision.action === 'retry') {
      this.d.outbox.markRetry(job.id, attempts, c.reason, now + decision.delayMs, now, job.state === 'submitted' && job.txHash ? 'submitted' : 'pending');
      log.warn({ err, reason: c.reason, retryInMs: decision.delayMs }, 'delivery failed, will retry');
    } else {
      this.d.outbox.markDead(job.id, attempts, decision.reason, now);
      log.error({ err, reason: decision.reason }, 'delivery dead-lettered');
    }
  }
}
