import type { Hex } from 'viem';
import type { Logger } from 'pino';
import { Wakeup } from '../common/wakeup.js';
import { classifyError, type Failure } from './errors.js';
import { actOnFailure } from './failure.js';
import type { Job } from './store/outbox.js';
import type { Replacement, Transport } from './transports/transport.js';
import { arrivedOver } from './transports/destination.js';
import { asSubmitted, replacementOf, type ChainBlock, type DeliveryHost, type OnChain, type WorkerDeps } from './worker-deps.js';
import { groupsOf, pickReady, rootBatched } from './schedule.js';
import { DeliveryTasks } from './tasks.js';
import { deliverBatch } from './batch-delivery.js';
import { curseStep, markCursed, markOpen } from './curse-hold.js';
import { QueueGauges } from './queue-gauges.js';

export type { ChainBlock, WorkerDeps } from './worker-deps.js';

/**
 * Delivers one chain's jobs, many at a time. Each chain has its own worker, so a slow or dead chain only ever delays
 * itself. Each pass of the loop picks the jobs that may start now (schedule.ts: per DID order, a settlement may follow
 * its DID's jobs still in flight from the relayer's account) and works on each in a task of its own, up to
 * `maxInFlight` tasks: a transport with batched delivery takes its jobs in batches (batch-delivery.ts), any other one
 * job per transaction; the transactions' nonces come from the shared local tracker (nonces.ts). Before any
 * submission the worker asks the chain whether the attestation is already applied (or, under a transport quorum,
 * whether this transport's arrival is already recorded), and a job sent before a crash is followed on its stored
 * transaction (waited for, replaced with the same nonce, or sent again), so nothing is delivered twice. Under a
 * quorum an attestation has one job per transport, one of them in work at a time; the next attestation waits until
 * all of them are finished, and they all finish once the chain applies it.
 */
export class ChainWorker implements DeliveryHost {
  readonly wakeup = new Wakeup();
  private running = false;
  private loop: Promise<void> | undefined;
  private block: ChainBlock | undefined;

  constructor(readonly d: WorkerDeps) {
    this.tasks = new DeliveryTasks(d.logger, (failed) => {
      if (failed) d.metrics.failures.inc({ chain: String(d.chainId), reason: 'worker task' });
      this.wakeup.notify();
    });
    this.gauges = new QueueGauges(d);
  }

  /** The chain-wide condition holding this chain now, if any (status API). */
  blocked(): ChainBlock | undefined {
    return this.block;
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeup.notify();
    await this.loop;
  }

  private readonly tasks: DeliveryTasks;
  private readonly gauges: QueueGauges;

  private get pipeline() {
    return { maxInFlight: this.d.pipeline?.maxInFlight ?? 16, maxBatch: this.d.pipeline?.maxBatch ?? 64, scanLimit: this.d.pipeline?.scanLimit ?? 5_000 };
  }

  private async run(): Promise<void> {
    while (this.running) {
      const blockedFor = this.block ? this.block.until - this.d.now() : 0;
      if (blockedFor > 0) {
        await this.wakeup.wait(Math.min(blockedFor, this.d.idleMs * 4));
        continue;
      }
      if (await this.cursed()) continue;
      const started = this.tick();
      if (started === 0) await this.wakeup.wait(this.d.idleMs);
    }
    await this.idle();
  }

  /** Holds the chain while its receiver is cursed, lifts the hold after the uncurse (curse-hold.ts). */
  async cursed(): Promise<boolean> {
    const step = await curseStep(this.d, this.block);
    if (step === 'lift') this.unblock(this.d.logger);
    else if (step) this.block = step.hold;
    return step !== undefined && step !== 'lift';
  }

  /** Waits until every task started so far is finished. */
  idle(): Promise<void> {
    return this.tasks.idle();
  }

  /** Waits for the job's task's turn to send (see DeliveryTasks); returns what ends the turn. */
  turn(job: Job): Promise<() => void> {
    return this.tasks.turn(job);
  }

  /**
   * One pass of the loop: starts a task for each group of jobs that may go now (at most `maxInFlight` tasks at a
   * time); returns how many it started.
   */
  tick(): number {
    const { maxInFlight, maxBatch, scanLimit } = this.pipeline;
    let started = 0;
    // A parked fulfilment that is due goes too: it waits on the chain's state, not on the jobs before it.
    const parked = this.d.outbox.dueParked(this.d.chainId, this.d.now());
    if (parked && !this.tasks.busy.has(parked.id) && !this.d.disabled.has(parked.transport) && this.tasks.size < maxInFlight) {
      this.launch([parked], () => this.process(parked));
      started += 1;
    }
    const unfinished = this.d.outbox.unfinished(this.d.chainId, scanLimit);
    this.gauges.update(unfinished, scanLimit);
    const room = maxInFlight - this.tasks.size;
    if (room <= 0) return started;
    const ready = pickReady(unfinished, {
      now: this.d.now(),
      busy: this.tasks.busy,
      disabled: this.d.disabled,
      accountOrdered: (name) => this.d.transports.get(name)?.accountOrdered === true,
      batchTogether: (name) => {
        const t = this.d.transports.get(name);
        return t?.accountOrdered !== true && t?.submitBatch !== undefined && t.simulateBatch !== undefined;
      },
      maxBatch,
      limit: room * maxBatch,
    });
    for (const group of groupsOf(ready, maxBatch, (j) => this.transportOf(j))) {
      if (this.tasks.size >= maxInFlight) break;
      const t = this.transportOf(group[0]!);
      // A lone job of a Merkle root goes as a batch too: once the chain verified its root, receiveBatch without
      // signatures costs less than receiveMessage (cctp.ts sends it in receiveMessages while the root is unverified).
      const lone = group.length === 1 && t?.rootBatches === true && group[0]!.state === 'pending' && rootBatched(group[0]!);
      if ((group.length > 1 || lone) && t) this.launch(group, () => deliverBatch(this, t, group));
      else this.launch(group, () => this.process(group[0]!));
      started += 1;
    }
    return started;
  }

  private launch(jobs: readonly Job[], work: () => Promise<void>): void {
    const ordered = jobs.every((j) => j.state === 'pending' && j.quorumTransports === null && this.transportOf(j)?.accountOrdered === true);
    this.tasks.launch(jobs, work, ordered);
  }

  log(job: Job): Logger {
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
      // A parked CCIP execution failure follows its source send too: the message is executed again, never re-sent.
      if ((job.state === 'submitted' || job.state === 'parked') && job.txHash) {
        const r = await this.track(t, job.txHash as Hex, job);
        if (r.status === 'inFlight') return this.inFlight(job, r.detail, log);
        const done = r.status === 'success' ? await this.onChain(t, job) : undefined;
        if (done) return this.settle(job, job.txHash, log, done);
        // Not mined within the wait: replace it (same nonce, escalated fees) rather than send a second one.
        if (r.status === 'unknown') stuck = replacementOf(job);
      }
      const done = await this.onChain(t, job);
      if (done) return this.settle(job, job.txHash, log, done);
      await t.simulate(job);
      const endTurn = await this.turn(job);
      const sent = await t.submit(job, stuck).finally(endTurn);
      this.d.outbox.markSubmitted(job.id, sent, this.d.now());
      current = asSubmitted(job, sent);
      this.unblock(log);
      log.info({ txHash: sent.txHash, nonce: sent.nonce, replaces: stuck ? job.txHash : undefined }, stuck ? 'delivery replaced' : 'delivery submitted');
      const txHash = sent.txHash;
      const r = await this.track(t, txHash, current);
      if (r.status === 'inFlight') return this.inFlight(current, r.detail, log);
      // Trust the chain's state, not the receipt: after a reorg a receipt can outlive its transaction.
      const landed = r.status === 'success' ? await this.onChain(t, job) : undefined;
      if (landed) return this.settle(job, txHash, log, landed);
      // Reverted or unknown: the next pass re-checks the chain and re-simulates to learn why.
      this.failed(current, { kind: 'retryable', reason: `transaction ${txHash} ${r.status}` }, log);
    } catch (err) {
      await this.fail(t, job, current, err, log);
    }
  }

  /**
   * A job's failure, as the chain or the node reported it: "already applied" is settled from what the chain says,
   * anything else goes through `failed`. `current` is the job as the outbox has it now (submitted, with its hash).
   */
  async fail(t: Transport, job: Job, current: Job, err: unknown, log: Logger): Promise<void> {
    const c = classifyError(err);
    // NonceAlreadyUsed or TransportAlreadyDelivered: ask the chain which, so a quorum's other jobs close when applied.
    if (c.kind === 'applied') {
      try {
        const onChain = await this.onChain(t, job);
        // Under a quorum, TransportAlreadyDelivered: this transport's arrival is recorded though not yet applied.
        return this.settle(job, current.txHash, log, onChain ?? (job.quorumTransports !== null ? 'delivered' : 'unidentified'));
      } catch (readErr) {
        return this.failed(current, classifyError(readErr), log, readErr);
      }
    }
    this.failed(current, c, log, err);
  }

  /** Waits for a submitted transaction's outcome, counted in the chain's in-flight transactions meanwhile. */
  async track(t: Transport, txHash: Hex, job: Job) {
    const chain = { chain: String(this.d.chainId) };
    this.d.metrics.txsInFlight.inc(chain);
    try {
      return await t.waitForReceipt(txHash, job);
    } finally {
      this.d.metrics.txsInFlight.dec(chain);
    }
  }

  async onChain(t: Transport, job: Job): Promise<OnChain> {
    if (await t.isApplied(job)) {
      const a = await this.d.appliedBy(job);
      if (a.by === 'ours') return 'applied';
      return a.by === 'other' ? { conflict: a.txHash } : 'unidentified';
    }
    if (job.quorumTransports === null) return undefined;
    return arrivedOver(job, await this.d.arrivals(job)) ? 'delivered' : undefined;
  }

  /** Acts on what the chain has of the job: confirmed only when its own message is there. */
  settle(job: Job, txHash: string | null, log: Logger, onChain: Exclude<OnChain, undefined>): void {
    if (onChain === 'applied' || onChain === 'delivered') return this.confirmed(job, txHash, log, onChain);
    if (onChain === 'unidentified') {
      return this.failed(job, { kind: 'retryable', reason: 'nonce used on chain, but no transaction applying it was found yet' }, log);
    }
    // The nonce was spent by another message (e.g. an oracle store restored from a backup re-used it): this one can
    // never apply and must never count as delivered. A person must act: alarm.
    const reason = `nonce ${job.nonce} used on chain ${job.chainId} by another message (tx ${onChain.conflict})`;
    this.d.outbox.markDead(job.id, job.attempts, reason, this.d.now());
    this.d.metrics.nonceConflicts.inc({ chain: String(job.chainId) });
    log.error({ conflictTx: onChain.conflict, reason }, 'delivery dead-lettered: its nonce was used on chain by another message');
  }

  /** Chain-wide condition: hold every delivery to this chain, count no attempt, probe again after `delayMs`. */
  blockChain(job: Job, c: Failure, delayMs: number, log: Logger, err?: unknown): void {
    const now = this.d.now();
    const until = now + delayMs;
    if (!this.block) log.error({ err, reason: c.reason }, 'chain blocked: no delivery to it can go now; nothing is dead-lettered meanwhile');
    else log.warn({ reason: c.reason, retryInMs: delayMs }, 'chain still blocked');
    this.block = { reason: c.reason, since: this.block?.since ?? now, until };
    this.d.metrics.chainBlocked.set({ chain: String(job.chainId) }, 1);
    if (c.kind === 'blocked-chain' && c.cause === 'cursed') markCursed(this.d, this.d.outbox.depth(job.chainId), true);
    this.d.metrics.failures.inc({ chain: String(job.chainId), reason: c.reason.split(':')[0] ?? 'unknown' });
    this.d.outbox.markRetry(job.id, job.attempts, c.reason, until, now, job.state === 'submitted' && job.txHash ? 'submitted' : 'pending');
  }

  unblock(log: Logger): void {
    if (!this.block) return;
    log.info({ reason: this.block.reason, blockedMs: this.d.now() - this.block.since }, 'chain unblocked');
    this.block = undefined;
    markOpen(this.d);
  }

  transportOf(job: Job): Transport | undefined {
    return this.d.transports.get(job.transport);
  }

  /**
   * The source side is final and the transport's network is carrying the message: look again later. Not an attempt
   * (the job never dead-letters for a slow network) and never a second send.
   */
  inFlight(job: Job, detail: string, log: Logger): void {
    const now = this.d.now();
    this.d.outbox.markRetry(job.id, job.attempts, `in flight: ${detail}`, now + this.d.inFlightPollMs, now, 'submitted');
    this.d.metrics.inFlight.inc({ chain: String(job.chainId), transport: job.transport });
    log.info({ txHash: job.txHash, detail, ageMs: now - job.createdAt }, 'delivery in flight');
  }

  private confirmed(job: Job, txHash: string | null, log: Logger, outcome: 'applied' | 'delivered'): void {
    const now = this.d.now();
    this.unblock(log);
    const settled = this.d.outbox.confirm(job, txHash, now, job.quorumTransports !== null && outcome === 'applied');
    if (job.quorumTransports !== null) {
      log.info({ txHash, outcome, settledSiblings: settled }, outcome === 'applied' ? 'attestation applied under its transport quorum' : 'arrival recorded, quorum not yet reached');
    }
    this.d.metrics.delivered.inc({ chain: String(job.chainId), transport: job.transport, kind: job.kind });
    this.d.metrics.latency.observe({ chain: String(job.chainId), transport: job.transport }, (now - job.createdAt) / 1000);
    log.info({ txHash, latency_ms: now - job.createdAt }, 'delivery confirmed');
  }

  /** Acts on `decideFailure` (retry.ts): see failure.ts. */
  failed(job: Job, c: Failure, log: Logger, err?: unknown): void {
    actOnFailure(this, job, c, log, err);
  }
}
