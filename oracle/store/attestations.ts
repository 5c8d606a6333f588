import { and, asc, between, count, desc, eq, gt, isNotNull, like, max, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { attestations, deliveries } from './schema.js';
import { ProposalStore } from './proposals.js';
import { attestationQueries, type AttestationQueries } from './hot-queries.js';

import type { Db } from './db.js';
export type { Db } from './db.js';
export type AttestationRow = typeof attestations.$inferSelect;
export type NewAttestation = Omit<typeof attestations.$inferInsert, 'seq'>;
export type DeliveryRow = typeof deliveries.$inferSelect;
export type NewDelivery = typeof deliveries.$inferInsert;

/** Queries of the oracle's store. Writes are synchronous transactions: no await between read and write. */
export class AttestationStore {
  /** The signing rounds: every attestation is a completed proposal. */
  readonly proposals: ProposalStore;

  /** While `inOneTransaction` runs: the attestations stored so far, whose afterInsert waits for the commit. */
  private deferred: NewAttestation[] | undefined;

  /** The statements every request runs, built and prepared once (oracle/store/hot-queries.ts). */
  private readonly hot: AttestationQueries;

  constructor(
    private readonly db: Db,
    /** Called after an attestation is stored, before it is answered (the dev-mode fault hook, see oracle/issue/fault.ts). */
    private readonly afterInsert?: (record: NewAttestation) => void,
  ) {
    this.proposals = new ProposalStore(db);
    this.hot = attestationQueries(db);
  }

  findBySource(did: string, kind: AttestationRow['kind'], sourceRef: string): AttestationRow | undefined {
    return this.hot.bySource().get({ did, kind, sourceRef });
  }

  /** The latest attestation of a kind for a DID (highest nonce), e.g. the last config or reserve. */
  latestOfKind(didHash: string, kind: AttestationRow['kind']): AttestationRow | undefined {
    return this.hot.latestOfKind().get({ didHash, kind });
  }

  /** The DID string of a DID hash, from any attestation the oracle signed for it (undefined: none yet). */
  didOf(didHash: string): string | undefined {
    return this.db.select({ did: attestations.did }).from(attestations).where(eq(attestations.didHash, didHash)).limit(1).get()?.did;
  }

  /** The DID hashes the oracle signed an attestation of `kind` for. */
  didHashesOfKind(kind: AttestationRow['kind']): string[] {
    return this.db.selectDistinct({ didHash: attestations.didHash }).from(attestations).where(eq(attestations.kind, kind)).all().map((r) => r.didHash);
  }

  /** Every attestation of a kind for a DID, latest as-of first (then latest nonce). */
  ofKind(did: string, kind: AttestationRow['kind']): AttestationRow[] {
    return this.hot.ofKind().all({ did, kind });
  }

  /** The DID's attestations of `kind` with a feed seq above `after`, oldest first: what was stored since a reader's last look. */
  ofKindAfter(did: string, kind: AttestationRow['kind'], after: number): AttestationRow[] {
    return this.hot.ofKindAfter().all({ did, kind, after });
  }

  /** Move-out legs (settlements with source `move:<ref>:out`) without their move-in leg (`move:<ref>:in`) yet, oldest first. */
  movesAwaitingIn(limit = 100): AttestationRow[] {
    const inLeg = alias(attestations, 'in_leg');
    return this.db
      .select()
      .from(attestations)
      .where(
        and(
          eq(attestations.kind, 'settlement'),
          like(attestations.sourceRef, 'move:%:out'),
          notExists(
            this.db
              .select({ seq: inLeg.seq })
              .from(inLeg)
              .where(
                and(
                  eq(inLeg.did, attestations.did),
                  eq(inLeg.kind, 'settlement'),
                  eq(inLeg.sourceRef, sql`substr(${attestations.sourceRef}, 1, length(${attestations.sourceRef}) - 3) || 'in'`),
                ),
              ),
          ),
        ),
      )
      .orderBy(asc(attestations.seq))
      .limit(limit)
      .all();
  }

  /** One above every nonce proposed or attested for the DID (ProposalStore.nextNonce). */
  nextNonce(didHash: string): number {
    return this.proposals.nextNonce(didHash);
  }

  latestNav(didHash: string): { nav: bigint; asOf: bigint } | undefined {
    const row = this.db
      .select({ nav: attestations.navValue, asOf: attestations.asOf })
      .from(attestations)
      .where(and(eq(attestations.didHash, didHash), eq(attestations.kind, 'nav'), isNotNull(attestations.asOf)))
      .orderBy(desc(attestations.asOf))
      .limit(1)
      .get();
    if (!row || row.nav === null || row.asOf === null) return undefined;
    return { nav: BigInt(row.nav), asOf: BigInt(row.asOf) };
  }

  /**
   * Inserts an attestation with its per-chain signatures atomically, and marks the proposal it completes (same DID
   * and nonce) done in the same transaction; returns its feed sequence number.
   */
  insert(record: NewAttestation, perChain: readonly Omit<NewDelivery, 'attestationSeq'>[]): number {
    const seq = this.db.transaction(() => {
      const stored = this.hot.insert().get({ ...record, navValue: record.navValue ?? null, asOf: record.asOf ?? null });
      if (!stored) throw new Error(`attestation ${record.id} was not stored`);
      for (const d of perChain) {
        this.hot.insertDelivery().run({ ...d, attestationSeq: stored.seq, batchRoot: d.batchRoot ?? null, batchProof: d.batchProof ?? null, batchSignatures: d.batchSignatures ?? null });
      }
      this.hot.markDone().run({ didHash: record.didHash, nonce: record.nonce, updatedAt: record.createdAt });
      return stored.seq;
    });
    if (this.deferred) this.deferred.push(record);
    else this.afterInsert?.(record);
    return seq;
  }

  /**
   * Runs `work` as one transaction (each insert in it a savepoint): a group-commit round stores all its attestations
   * with one commit, one fsync. The afterInsert hook of each runs after the commit, so "stored" still means durable.
   */
  inOneTransaction<T>(work: () => T): T {
    const stored: NewAttestation[] = [];
    this.deferred = stored;
    let result: T;
    try {
      result = this.db.transaction(() => work());
    } finally {
      this.deferred = undefined;
    }
    for (const record of stored) this.afterInsert?.(record);
    return result;
  }

  getById(id: string): { row: AttestationRow; deliveries: DeliveryRow[] } | undefined {
    const row = this.db.select().from(attestations).where(eq(attestations.id, id)).get();
    if (!row) return undefined;
    return { row, deliveries: this.deliveriesOf(row.seq) };
  }

  deliveriesOf(seq: number): DeliveryRow[] {
    return this.hot.deliveriesOf().all({ seq });
  }

  /**
   * A page of the feed after `after`, oldest first. Two queries whatever the page's size: the rows, then every
   * delivery of their seq range (one query per row made a 500-item page hold the event loop for ~100 ms).
   */
  page(after: number, limit: number): { row: AttestationRow; deliveries: DeliveryRow[] }[] {
    const rows = this.db.select().from(attestations).where(gt(attestations.seq, after)).orderBy(asc(attestations.seq)).limit(limit).all();
    if (rows.length === 0) return [];
    const bySeq = new Map<number, DeliveryRow[]>(rows.map((r) => [r.seq, []]));
    const all = this.db
      .select()
      .from(deliveries)
      .where(between(deliveries.attestationSeq, rows[0]!.seq, rows.at(-1)!.seq))
      .orderBy(asc(deliveries.attestationSeq), asc(deliveries.chainId))
      .all();
    for (const d of all) bySeq.get(d.attestationSeq)?.push(d);
    return rows.map((row) => ({ row, deliveries: bySeq.get(row.seq)! }));
  }

  /** The newest feed sequence number (0 when empty): a page after `after` can only change when it moves. */
  lastSeq(): number {
    return this.db.select({ seq: max(attestations.seq) }).from(attestations).get()?.seq ?? 0;
  }

  count(): number {
    return this.db.select({ n: count() }).from(attestations).get()?.n ?? 0;
  }
}
