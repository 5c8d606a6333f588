import { and, asc, count, eq, inArray, lte } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import * as schema from './schema.js';
import { feedCursor, jobs } from './schema.js';

export type Db = BetterSQLite3Database<typeof schema>;
export type Job = typeof jobs.$inferSelect;
export type NewJob = Omit<typeof jobs.$inferInsert, 'id' | 'state' | 'attempts' | 'nextAttemptAt' | 'createdAt' | 'updatedAt'>;

/** The relayer's durable outbox. Every write is one synchronous transaction. */
export class Outbox {
  constructor(private readonly db: Db) {}

  cursor(): number {
    return this.db.select().from(feedCursor).where(eq(feedCursor.id, 1)).get()?.after ?? 0;
  }

  /** Adds the jobs of one feed page and advances the cursor atomically; known jobs are left as they are. */
  ingest(newJobs: readonly NewJob[], after: number, now: number): number {
    return this.db.transaction((tx) => {
      let added = 0;
      for (const j of newJobs) {
        const r = tx
          .insert(jobs)
          .values({ ...j, state: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now, updatedAt: now })
          .onConflictDoNothing()
          .run();
        added += r.changes;
      }
      tx.insert(feedCursor).values({ id: 1, after }).onConflictDoUpdate({ target: feedCursor.id, set: { after } }).run();
      return added;
    });
  }

  /** The chain's oldest unfinished job (oracle order), due or not: later jobs wait behind it so NAV stays ordered. */
  head(chainId: number): Job | undefined {
    return this.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.chainId, chainId), inArray(jobs.state, ['pending', 'submitted'])))
      .orderBy(asc(jobs.seq))
      .limit(1)
      .get();
  }

  markSubmitted(id: number, sent: { txHash: string; nonce?: number; fees?: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } }, now: number): void {
    this.db
      .update(jobs)
      .set({
        state: 'submitted',
        txHash: sent.txHash,
        txNonce: sent.nonce ?? null,
        maxFeePerGas: sent.fees?.maxFeePerGas.toString() ?? null,
        maxPriorityFeePerGas: sent.fees?.maxPriorityFeePerGas.toString() ?? null,
        updatedAt: now,
      })
      .where(eq(jobs.id, id))
      .run();
  }

  markConfirmed(id: number, txHash: string | null, now: number): void {
    this.db.update(jobs).set({ state: 'confirmed', txHash, confirmedAt: now, updatedAt: now, lastError: null }).where(eq(jobs.id, id)).run();
  }

  /** Schedules another attempt. A job with a transaction in flight stays `submitted`: the next pass waits for it or replaces it. */
  markRetry(id: number, attempts: number, error: string, nextAttemptAt: number, now: number, state: 'pending' | 'submitted' = 'pending'): void {
    this.db.update(jobs).set({ state, attempts, lastError: error, nextAttemptAt, updatedAt: now }).where(eq(jobs.id, id)).run();
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
    return this.db.select().from(jobs).where(eq(jobs.attestationId, attestationId)).orderBy(asc(jobs.chainId)).all();
  }

  depth(chainId: number): number {
    return this.db.select({ n: count() }).from(jobs).where(and(eq(jobs.chainId, chainId), inArray(jobs.state, ['pending', 'submitted']))).get()?.n ?? 0;
  }

  dueBefore(chainId: number, now: number): Job[] {
    return this.db.select().from(jobs).where(and(eq(jobs.chainId, chainId), eq(jobs.state, 'pending'), lte(jobs.nextAttemptAt, now))).all();
  }

  deadLetters(): Job[] {
    return this.db.select().from(jobs).where(eq(jobs.state, 'dead')).orderBy(asc(jobs.id)).all();
  }
}
