import { and, asc, desc, eq, gt, inArray, lte, min, notInArray, sql } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import * as schema from './schema.js';
import { jobs, quorums } from './schema.js';
import type { TransportName } from '../../schemas/deployment.js';
import { prepareStatements, type Statements } from './statements.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
export type Job = typeof jobs.$inferSelect;
export type NewJob = Omit<typeof jobs.$inferInsert, 'id' | 'state' | 'attempts' | 'nextAttemptAt' | 'createdAt' | 'updatedAt'>;
export type QuorumRow = typeof quorums.$inferSelect;

/** RwaReceiver's GOVERNANCE key (DID 0): a governance rotation that every later first config of a DID may need. */
export const GOVERNANCE_DID_HASH = `0x${'00'.repeat(32)}`;

const UNFINISHED = ['pending', 'submitted'] as const;

/**
 * Kinds that clear what a waiting settlement or NAV of their DID waits for (an allow-list change, a resume, a reserve
 * that raises the cap): they do not queue behind that DID's earlier settlements and NAV, or the DID could never heal.
 * A move void (kind 15) ends a move whose in leg cannot land (refused, or under a transport quorum it cannot meet, its
 * disabled transports' jobs left unfinished): queued behind that in leg, the move's units would never come back.
 */
const FIXES = ['allowlist', 'pause', 'reserve', 'moveVoid'] as const;

/**
 * The relayer's durable outbox. Every write is one synchronous transaction; `atomically` makes several writes one
 * (a batch's). The delivery loop's statements are prepared once (statements.ts).
 */
export class Outbox {
  private prepared: Statements | undefined;

  constructor(private readonly db: Db) {}

  /** Prepared on first use: the store's migrations have run by then. */
  private get st(): Statements {
    return (this.prepared ??= prepareStatements(this.db.$client));
  }

  /** Runs `writes` in one transaction: all of them are stored, or none (a crash in between leaves none). */
  atomically<T>(writes: () => T): T {
    return this.db.$client.transaction(writes)();
  }

  cursor(): number {
    return this.st.cursor.get() ?? 0;
  }

  /** The transport quorum in force for a DID on a chain, as the feed set it; undefined when none was ever set. */
  quorumOf(didHash: string, chainId: number): QuorumRow | undefined {
    return this.st.quorumOf.get(didHash, chainId) as QuorumRow | undefined;
  }

  /**
   * Adds the jobs of one feed page, the quorums its transport-quorum attestations set, and advances the cursor, all in
   * one transaction; known jobs are left as they are.
   */
  ingest(newJobs: readonly NewJob[], after: number, now: number, quorumUpdates: readonly QuorumRow[] = []): number {
    return this.atomically(() => {
      for (const q of quorumUpdates) {
        this.db
          .insert(quorums)
          .values(q)
          .onConflictDoUpdate({ target: [quorums.didHash, quorums.chainId], set: { k: q.k, transports: q.transports, seq: q.seq } })
          .run();
      }
      let added = 0;
      for (const j of newJobs) {
        // In the order of INSERTED_JOB_COLUMNS.
        const r = this.st.insertJob.run(
          j.attestationId,
          j.seq,
          j.did,
          j.didHash,
          j.nonce,
          j.kind,
          j.chainId,
          j.transport,
          j.receiver,
          j.quorumTransports ?? null,
          j.message,
          j.signatures,
          j.batchRoot ?? null,
          j.batchProof ?? null,
          j.batchSignatures ?? null,
          'pending',
          0,
          now,
          now,
          now,
        );
        added += r.changes;
      }
      this.st.setCursor.run(after);
      return added;
    });
  }

  /**
   * The chain's next job, due or not. Order is per DID: each DID's oldest unfinished attestation (oracle order) is
   * its head, and later attestations of that DID wait behind it (NAV rounds and settlements stay ordered); of all
   * the DIDs' heads, the one due first is returned, so a DID waiting on the chain never holds another DID. An
   * allow-list, pause, reserve or move void attestation (FIXES) waits for the DID's earlier admin attestations only, not for
   * its earlier settlements and NAV: it is what a settlement waiting on the asset's state may need to apply.
   * A governance attestation (DID 0, a committee rotation) is a barrier: nothing after it goes before it applies.
   * An attestation under a transport quorum has a job per transport, all heads at once: the one due first is
   * returned. Jobs of `disabled` transports are never returned, but still hold their DID while unfinished.
   */
  head(chainId: number, disabled: ReadonlySet<TransportName> = new Set()): Job | undefined {
    const unfinished = and(eq(jobs.chainId, chainId), inArray(jobs.state, [...UNFINISHED]));
    const barrier = this.db
      .select({ seq: min(jobs.seq) })
      .from(jobs)
      .where(and(unfinished, eq(jobs.didHash, GOVERNANCE_DID_HASH)))
      .get()?.seq;
    // No earlier unfinished job of the DID on the chain, except settlements and NAV ahead of a fix (see FIXES).
    const didHead = sql`not exists (select 1 from jobs h where h.chain_id = ${jobs.chainId} and h.did_hash = ${jobs.didHash} and h.state in ('pending', 'submitted') and h.seq < ${jobs.seq} and (${jobs.kind} not in (${sql.join(FIXES.map((k) => sql`${k}`), sql`, `)}) or h.kind not in ('settlement', 'nav')))`;
    return this.db
      .select()
      .from(jobs)
      .where(and(unfinished, didHead, barrier === null || barrier === undefined ? undefined : lte(jobs.seq, barrier), notInArray(jobs.transport, [...disabled])))
      .orderBy(asc(jobs.nextAttemptAt), asc(jobs.seq), asc(jobs.id))
      .limit(1)
      .get();
  }

  /** The chain's unfinished (pending and submitted) jobs in oracle order, at most `limit` (the pipeline's view). */
  unfinished(chainId: number, limit: number): Job[] {
    return this.st.unfinished.all(chainId, limit) as Job[];
  }

  /** Unfinished jobs of the chain that have failed at least once: the DIDs waiting on the chain, and why. */
  waiting(chainId: number): Job[] {
    return this.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.chainId, chainId), inArray(jobs.state, [...UNFINISHED]), gt(jobs.attempts, 0)))
      .orderBy(asc(jobs.seq), asc(jobs.id))
      .all();
  }

  /**
   * Closes the other transports' jobs of an attestation the chain has applied (its quorum was reached): nothing is
   * left for them to do, and a disabled transport's job would otherwise hold the chain's queue.
   */
  settleSiblings(job: Pick<Job, 'id' | 'attestationId' | 'chainId'>, now: number): number {
    return this.st.settleSiblings.run(now, now, 'applied through the other transports of its quorum', job.attestationId, job.chainId, job.id).changes;
  }

  markSubmitted(id: number, sent: { txHash: string; nonce?: number; fees?: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } }, now: number): void {
    this.markAllSubmitted([id], sent, now);
  }

  /** Records one transaction (a batch's) for every job it carries, in one transaction. */
  markAllSubmitted(ids: readonly number[], sent: { txHash: string; nonce?: number; fees?: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } }, now: number): void {
    const maxFee = sent.fees?.maxFeePerGas.toString() ?? null;
    const maxPriority = sent.fees?.maxPriorityFeePerGas.toString() ?? null;
    this.atomically(() => {
      for (const id of ids) this.st.markSubmitted.run(sent.txHash, sent.nonce ?? null, maxFee, maxPriority, now, id);
    });
  }

  /** Confirms a job and, with `siblings` (its attestation applied under a quorum), closes its other jobs: one transaction. */
  confirm(job: Pick<Job, 'id' | 'attestationId' | 'chainId'>, txHash: string | null, now: number, siblings: boolean): number {
    if (!siblings) {
      this.markConfirmed(job.id, txHash, now);
      return 0;
    }
    return this.atomically(() => {
      this.markConfirmed(job.id, txHash, now);
      return this.settleSiblings(job, now);
    });
  }

  markConfirmed(id: number, txHash: string | null, now: number): void {
    this.st.markConfirmed.run(txHash, now, now, id);
  }

  /** Schedules another attempt. A job with a transaction in flight stays `submitted`: the next pass waits for it or replaces it. */
  markRetry(id: number, attempts: number, error: string, nextAttemptAt: number, now: number, state: 'pending' | 'submitted' = 'pending'): void {
    this.st.markRetry.run(state, attempts, error, nextAttemptAt, now, id);
  }

  /** Takes a job out of the chain's order until `nextAttemptAt` (see the `parked` state). */
  markParked(id: number, attempts: number, error: string, nextAttemptAt: number, now: number): void {
    this.st.markRetry.run('parked', attempts, error, nextAttemptAt, now, id);
  }

  /** The chain's parked job due first, if one is due. */
  dueParked(chainId: number, now: number): Job | undefined {
    return this.st.dueParked.get(chainId, now) as Job | undefined;
  }

  parkedCount(chainId: number): number {
    return this.st.parkedCount.get(chainId) ?? 0;
  }

  markDead(id: number, attempts: number, error: string, now: number): void {
    this.db.update(jobs).set({ state: 'dead', attempts, lastError: error, updatedAt: now }).where(eq(jobs.id, id)).run();
  }

  /** Puts a dead-lettered job back in the queue (operator command). */
  retryDead(id: number, now: number): boolean {
    const r = this.db.update(jobs).set({ state: 'pending', attempts: 0, nextAttemptAt: now, updatedAt: now }).where(and(eq(jobs.id, id), eq(jobs.state, 'dead'))).run();
    return r.changes === 1;
  }

  byAttestation(attestationId: string): Job[] {
    return this.db.select().from(jobs).where(eq(jobs.attestationId, attestationId)).orderBy(asc(jobs.chainId), asc(jobs.transport)).all();
  }

  depth(chainId: number): number {
    return this.st.depth.get(chainId) ?? 0;
  }

  dueBefore(chainId: number, now: number): Job[] {
    return this.db.select().from(jobs).where(and(eq(jobs.chainId, chainId), eq(jobs.state, 'pending'), lte(jobs.nextAttemptAt, now))).all();
  }

  /**
   * The chain's last `limit` confirmed jobs, newest first in oracle order (seq): the status page's recent deliveries.
   * Ordered by seq, not by confirmation time, so the (chain, state, seq) index answers it without a sort.
   */
  recent(chainId: number, limit: number): Job[] {
    return this.db.select().from(jobs).where(and(eq(jobs.chainId, chainId), eq(jobs.state, 'confirmed'))).orderBy(desc(jobs.seq), desc(jobs.id)).limit(limit).all();
  }

  deadLetters(): Job[] {
    return this.db.select().from(jobs).where(eq(jobs.state, 'dead')).orderBy(asc(jobs.id)).all();
  }
}
