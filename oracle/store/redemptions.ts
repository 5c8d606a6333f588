import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from './attestations.js';
import { attestations, chainCursors, redemptionRequests, redemptionStages } from './schema.js';

/** How long a cursor moved over empty ranges may stay unwritten (a restart reads those ranges again). */
export const CURSOR_WRITE_EVERY_MS = 30_000;

export type CursorStream = (typeof chainCursors.$inferSelect)['stream'];
export type RequestRow = typeof redemptionRequests.$inferSelect;
export type StageRow = typeof redemptionStages.$inferSelect;

/** Idempotency keys of kinds 7, 13 and 8 among the DID's attestations: defined by their kind modules. */
export { requestSourceRef } from '../../schemas/kinds/redemption-request.js';
export { acceptanceSourceRef } from '../../schemas/kinds/redemption-acceptance.js';
export { stageSourceRef } from '../../schemas/kinds/redemption-stage.js';

/** A request with what the oracle has issued against it (fulfilment attestations, applied or not). */
export interface RequestWithFulfilled extends RequestRow {
  /** Sum of the amounts of the fulfilment attestations issued for this request, decimal string. */
  issuedFulfilled: string;
}

/**
 * The watchers' store: per-chain cursors and what they read (requests, cancellations, hub stage changes). Each
 * ingest writes the rows and moves the cursor in one synchronous transaction, so a crash re-reads a range at most
 * and the unique keys make the repeat a no-op.
 */
export class RedemptionStore {
  /**
   * Cursors moved over ranges that held no event, not written yet (see `moveEmpty`): a watcher pass that finds
   * nothing costs no commit. Written with the chain's next events, or once CURSOR_WRITE_EVERY_MS passed.
   */
  private readonly unwritten = new Map<string, { nextBlock: bigint; since: number }>();

  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {}

  cursor(chainId: number, stream: CursorStream): bigint | undefined {
    const held = this.unwritten.get(`${chainId}:${stream}`);
    if (held) return held.nextBlock;
    const row = this.db.select().from(chainCursors).where(and(eq(chainCursors.chainId, chainId), eq(chainCursors.stream, stream))).get();
    return row ? BigInt(row.nextBlock) : undefined;
  }

  /**
   * An empty range read: the cursor moves in memory only, and is written when it was last written more than
   * CURSOR_WRITE_EVERY_MS ago. After a crash the ranges since the written cursor are read again and hold no event,
   * so nothing changes but a few log reads (the store's rule: a crash re-reads a range at most).
   */
  private moveEmpty(chainId: number, stream: CursorStream, nextBlock: bigint): boolean {
    const key = `${chainId}:${stream}`;
    const now = this.clock();
    const held = this.unwritten.get(key);
    if (held && now - held.since < CURSOR_WRITE_EVERY_MS) {
      held.nextBlock = nextBlock;
      return true;
    }
    if (!held && this.db.select().from(chainCursors).where(and(eq(chainCursors.chainId, chainId), eq(chainCursors.stream, stream))).get()) {
      this.unwritten.set(key, { nextBlock, since: now });
      return true;
    }
    return false;
  }

  /** Writes the cursor with the range's rows; what was held in memory for it is now written. */
  private moveCursor(tx: Pick<Db, 'insert'>, chainId: number, stream: CursorStream, nextBlock: bigint): void {
    this.unwritten.delete(`${chainId}:${stream}`);
    tx.insert(chainCursors)
      .values({ chainId, stream, nextBlock: String(nextBlock) })
      .onConflictDoUpdate({ target: [chainCursors.chainId, chainCursors.stream], set: { nextBlock: String(nextBlock) } })
      .run();
  }

  ingestRequests(
    chainId: number,
    nextBlock: bigint,
    requested: readonly Omit<RequestRow, 'chainId' | 'cancelled' | 'pins' | 'poolSupply'>[],
    cancelled: readonly { didHash: string; requestId: string }[],
  ): void {
    if (requested.length === 0 && cancelled.length === 0 && this.moveEmpty(chainId, 'redemption-requests', nextBlock)) return;
    this.db.transaction((tx) => {
      if (requested.length > 0) tx.insert(redemptionRequests).values(requested.map((r) => ({ ...r, chainId }))).onConflictDoNothing().run();
      for (const c of cancelled) {
        tx.update(redemptionRequests)
          .set({ cancelled: true })
          .where(and(eq(redemptionRequests.didHash, c.didHash), eq(redemptionRequests.chainId, chainId), eq(redemptionRequests.requestId, c.requestId)))
          .run();
      }
      this.moveCursor(tx, chainId, 'redemption-requests', nextBlock);
    });
  }

  /** Records the pinned blocks of a request's report unless some were recorded already; returns the recorded ones. */
  pinOnce(r: Pick<RequestRow, 'didHash' | 'chainId' | 'requestId'>, pins: readonly { chainId: number; blockNumber: string }[], poolSupply: bigint): { pins: { chainId: number; blockNumber: string }[]; poolSupply: bigint } {
    return this.db.transaction((tx) => {
      const where = and(eq(redemptionRequests.didHash, r.didHash), eq(redemptionRequests.chainId, r.chainId), eq(redemptionRequests.requestId, r.requestId));
      const row = tx.select({ pins: redemptionRequests.pins, poolSupply: redemptionRequests.poolSupply }).from(redemptionRequests).where(where).get();
      if (row?.pins && row.poolSupply !== null) return { pins: JSON.parse(row.pins) as { chainId: number; blockNumber: string }[], poolSupply: BigInt(row.poolSupply) };
      tx.update(redemptionRequests).set({ pins: JSON.stringify(pins), poolSupply: String(poolSupply) }).where(where).run();
      return { pins: [...pins], poolSupply };
    });
  }

  ingestStages(chainId: number, nextBlock: bigint, stages: readonly StageRow[]): void {
    if (stages.length === 0 && this.moveEmpty(chainId, 'redemption-stages', nextBlock)) return;
    this.db.transaction((tx) => {
      if (stages.length > 0) tx.insert(redemptionStages).values([...stages]).onConflictDoNothing().run();
      this.moveCursor(tx, chainId, 'redemption-stages', nextBlock);
    });
  }

  /**
   * Requests not cancelled without their kind 7 report yet, oldest first; `skip` passes over the first ones (a
   * watcher's failures, and requests not accepted yet). A cancelled request is never reported: it was never accepted.
   */
  requestsAwaitingReport(limit = 100, skip = 0): RequestRow[] {
    return this.db
      .select()
      .from(redemptionRequests)
      .where(
        and(
          eq(redemptionRequests.cancelled, false),
          sql`not exists (select 1 from ${attestations} where ${attestations.didHash} = ${redemptionRequests.didHash} and ${attestations.kind} = 'redemptionRequest' and ${attestations.sourceRef} = 'request:' || ${redemptionRequests.chainId} || ':' || ${redemptionRequests.requestId})`,
        ),
      )
      .orderBy(asc(redemptionRequests.requestedAt), asc(redemptionRequests.chainId), asc(redemptionRequests.requestId))
      .limit(limit)
      .offset(skip)
      .all();
  }

  /** Hub stage changes without their kind 8 report yet, in stage order per DID; `skip` as for requests. */
  stagesAwaitingReport(limit = 100, skip = 0): StageRow[] {
    return this.db
      .select()
      .from(redemptionStages)
      .where(
        sql`not exists (select 1 from ${attestations} where ${attestations.didHash} = ${redemptionStages.didHash} and ${attestations.kind} = 'redemptionStage' and ${attestations.sourceRef} = 'stage:' || ${redemptionStages.stageSeq})`,
      )
      .orderBy(asc(sql`cast(${redemptionStages.stageSeq} as integer)`), asc(redemptionStages.didHash))
      .limit(limit)
      .offset(skip)
      .all();
  }

  /** The latest hub stage seen for a DID (highest stageSeq). */
  latestStage(didHash: string): StageRow | undefined {
    return this.db
      .select()
      .from(redemptionStages)
      .where(eq(redemptionStages.didHash, didHash))
      .orderBy(desc(sql`cast(${redemptionStages.stageSeq} as integer)`))
      .limit(1)
      .get();
  }

  /** Every hub stage change seen for a DID, in stageSeq order (the notice rule reads the trailing run of a stage). */
  stagesOf(didHash: string): StageRow[] {
    return this.db
      .select()
      .from(redemptionStages)
      .where(eq(redemptionStages.didHash, didHash))
      .orderBy(asc(sql`cast(${redemptionStages.stageSeq} as integer)`))
      .all();
  }

  /** Every DID hash with at least one hub stage change. */
  didsWithStages(): string[] {
    return this.db.selectDistinct({ didHash: redemptionStages.didHash }).from(redemptionStages).all().map((r) => r.didHash);
  }

  getRequest(didHash: string, chainId: number, requestId: string): RequestRow | undefined {
    return this.db
      .select()
      .from(redemptionRequests)
      .where(and(eq(redemptionRequests.didHash, didHash), eq(redemptionRequests.chainId, chainId), eq(redemptionRequests.requestId, requestId)))
      .get();
  }

  /** A DID's requests (every DID with `didHash` undefined), newest first, with the fulfilments issued for each. */
  requests(didHash?: string, limit = 500): RequestWithFulfilled[] {
    const rows = this.db
      .select()
      .from(redemptionRequests)
      .where(didHash === undefined ? undefined : eq(redemptionRequests.didHash, didHash))
      .orderBy(desc(redemptionRequests.requestedAt), desc(redemptionRequests.chainId), desc(redemptionRequests.requestId))
      .limit(limit)
      .all();
    return rows.map((r) => ({ ...r, issuedFulfilled: String(this.issuedFulfilled(r.didHash, r.chainId, r.requestId)) }));
  }

  /**
   * Open redemption requests of a DID over every chain: what requests not cancelled still wait for (their amount less
   * the fulfilments issued for them), token base units. The buy-back report's projected outflows start from it.
   */
  openRequested(didHash: string): bigint {
    const rows = this.db.select().from(redemptionRequests).where(and(eq(redemptionRequests.didHash, didHash), eq(redemptionRequests.cancelled, false))).all();
    return rows.reduce((sum, r) => {
      const left = BigInt(r.amount) - this.issuedFulfilled(r.didHash, r.chainId, r.requestId);
      return left > 0n ? sum + left : sum;
    }, 0n);
  }

  /** Sum of the fulfilment attestations issued for one request (applied on chain or not). */
  issuedFulfilled(didHash: string, chainId: number, requestId: string): bigint {
    return this.fulfilmentsOf(didHash, chainId, requestId).reduce((sum, f) => sum + BigInt(f.amount), 0n);
  }

  /** The fulfilment attestations issued for one request: nonce and amount, oldest first. */
  fulfilmentsOf(didHash: string, chainId: number, requestId: string): { nonce: number; amount: string }[] {
    return this.db
      .select({ nonce: attestations.nonce, amount: sql<string>`json_extract(${attestations.request}, '$.amount')` })
      .from(attestations)
      .where(
        and(
          eq(attestations.didHash, didHash),
          eq(attestations.kind, 'redemptionFulfilment'),
          sql`json_extract(${attestations.request}, '$.chainId') = ${chainId}`,
          sql`json_extract(${attestations.request}, '$.requestId') = ${requestId}`,
        ),
      )
      .orderBy(asc(attestations.nonce))
      .all();
  }

  /** Token base units requested and not cancelled for a DID over all chains on a UTC day (day = unix seconds / 86400). */
  dayRequested(didHash: string, day: number): bigint {
    const rows = this.db
      .select({ amount: redemptionRequests.amount })
      .from(redemptionRequests)
      .where(and(eq(redemptionRequests.didHash, didHash), eq(redemptionRequests.cancelled, false), sql`${redemptionRequests.requestedAt} >= ${day * 86_400}`, sql`${redemptionRequests.requestedAt} < ${(day + 1) * 86_400}`))
      .all();
    return rows.reduce((sum, r) => sum + BigInt(r.amount), 0n);
  }

  /**
   * What the redemption gauges depend on, per DID, as one comparable mark: its requests and cancellations, its newest
   * stage, and its newest redemption attestation (fulfilment or report). Index-backed aggregates: no
   * request's fulfilments are read, so a pass over an unchanged store costs the same however many requests it holds.
   */
  gaugeMarks(): Map<string, string> {
    const rows = this.db.all<{ did: string; n: number; cancelled: number; stage: string | null; last: number | null }>(sql`
      select r.did_hash as did, count(*) as n, sum(r.cancelled) as cancelled,
        (select max(cast(s.stage_seq as integer)) from ${redemptionStages} s where s.did_hash = r.did_hash) as stage,
        (select max(a.seq) from ${attestations} a where a.did_hash = r.did_hash and a.kind in ('redemptionFulfilment', 'redemptionRequest')) as last
      from ${redemptionRequests} r group by r.did_hash`);
    return new Map(rows.map((r) => [r.did, `${r.n}:${r.cancelled}:${r.stage ?? ''}:${r.last ?? ''}`]));
  }

  /** Every DID hash with at least one request. */
  didsWithRequests(): string[] {
    return this.db.selectDistinct({ didHash: redemptionRequests.didHash }).from(redemptionRequests).all().map((r) => r.didHash);
  }
}
