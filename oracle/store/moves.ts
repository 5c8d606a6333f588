import { and, asc, eq, notInArray } from 'drizzle-orm';
import type { Db } from './attestations.js';
import { moves, type MoveState } from './schema.js';

export type MoveRow = typeof moves.$inferSelect;

/** The states a move ends in. */
export const FINAL_MOVE_STATES: readonly MoveState[] = ['arrived', 'returned'];

/** Durable move states (one row per DID + ref). Every write is one synchronous statement. */
export class MoveStore {
  constructor(private readonly db: Db) {}

  /** Records an accepted move; a repeat keeps the existing row. */
  accept(did: string, ref: string, nowMs: number): void {
    this.db.insert(moves).values({ did, ref, state: 'accepted', reason: null, acceptedAtMs: nowMs, updatedAtMs: nowMs }).onConflictDoNothing().run();
  }

  get(did: string, ref: string): MoveRow | undefined {
    return this.db.select().from(moves).where(and(eq(moves.did, did), eq(moves.ref, ref))).get();
  }

  /** Moves the row to `state` (and `reason`, kept when undefined) only from `from`: a stale pass never rolls it back. */
  advance(did: string, ref: string, from: MoveState, state: MoveState, nowMs: number, reason?: string | null): boolean {
    const set = reason === undefined ? { state, updatedAtMs: nowMs } : { state, reason, updatedAtMs: nowMs };
    return this.db.update(moves).set(set).where(and(eq(moves.did, did), eq(moves.ref, ref), eq(moves.state, from))).run().changes === 1;
  }

  /** accepted -> out_applied, recording when (the in leg's patience counts from then). */
  outApplied(did: string, ref: string, nowMs: number): boolean {
    return this.db.update(moves).set({ state: 'out_applied', outAppliedAtMs: nowMs, updatedAtMs: nowMs }).where(and(eq(moves.did, did), eq(moves.ref, ref), eq(moves.state, 'accepted'))).run().changes === 1;
  }

  /** Notes why the in leg is waiting, without a state change. */
  note(did: string, ref: string, reason: string, nowMs: number): void {
    this.db.update(moves).set({ reason, updatedAtMs: nowMs }).where(and(eq(moves.did, did), eq(moves.ref, ref))).run();
  }

  markAlerted(did: string, ref: string, nowMs: number): void {
    this.db.update(moves).set({ alertedAtMs: nowMs }).where(and(eq(moves.did, did), eq(moves.ref, ref))).run();
  }

  unfinished(limit = 500): MoveRow[] {
    return this.db.select().from(moves).where(notInArray(moves.state, [...FINAL_MOVE_STATES])).orderBy(asc(moves.acceptedAtMs)).limit(limit).all();
  }

  /** Count per state (for the metrics). */
  countsByState(): Map<MoveState, number> {
    const rows = this.db.select({ state: moves.state }).from(moves).all();
    const counts = new Map<MoveState, number>();
    for (const r of rows) counts.set(r.state, (counts.get(r.state) ?? 0) + 1);
    return counts;
  }

}
