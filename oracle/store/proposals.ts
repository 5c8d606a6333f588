import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from './db.js';
import { proposals } from './schema.js';
import { proposalQueries, type ProposalQueries } from './hot-queries.js';

export type ProposalRow = typeof proposals.$inferSelect;
export type NewProposal = Omit<typeof proposals.$inferInsert, 'state' | 'closedReason' | 'attempts' | 'updatedAt'>;

/** Signing rounds of the oracle's store (see `proposals` in schema.ts). Every write is one synchronous statement. */
export class ProposalStore {
  /** The statements every round runs, built and prepared once (oracle/store/hot-queries.ts). */
  private readonly hot: ProposalQueries;

  constructor(private readonly db: Db) {
    this.hot = proposalQueries(db);
  }

  /**
   * The DID's next nonce: one above every nonce ever proposed or attested (attestations stored before proposals
   * existed count too), so a nonce is never proposed twice, whatever became of the first proposal.
   */
  nextNonce(didHash: string): number {
    const p = this.hot.maxProposed().get({ didHash });
    const a = this.hot.maxAttested().get({ didHash });
    return Math.max(p?.n ?? 0, a?.n ?? 0) + 1;
  }

  /** Stores a proposal as open; throws on a (DID, nonce) proposed already (the primary key). */
  insert(p: NewProposal): ProposalRow {
    const row = this.hot.insert().get({ ...p, updatedAt: p.createdAt });
    if (!row) throw new Error(`proposal ${p.didHash}/${p.nonce} was not stored`);
    return row;
  }

  /** Stores a batch's proposals as open in one transaction: all of them, or none (a nonce taken throws). */
  insertMany(ps: readonly NewProposal[]): ProposalRow[] {
    return this.db.transaction(() => ps.map((p) => this.insert(p)));
  }

  /** The open proposal for a request (DID, kind, source reference), if any. */
  openBySource(did: string, kind: ProposalRow['kind'], sourceRef: string): ProposalRow | undefined {
    return this.hot.openBySource().get({ did, kind, sourceRef });
  }

  get(didHash: string, nonce: number): ProposalRow | undefined {
    return this.db
      .select()
      .from(proposals)
      .where(and(eq(proposals.didHash, didHash), eq(proposals.nonce, nonce)))
      .get();
  }

  /** Open proposals, oldest first (the boot and periodic completion pass). */
  open(limit = 100): ProposalRow[] {
    return this.db.select().from(proposals).where(eq(proposals.state, 'open')).orderBy(asc(proposals.createdAt), asc(proposals.nonce)).limit(limit).all();
  }

  /** A DID's open proposals of one kind (what they would consume counts until they complete or close). */
  openOfKind(did: string, kind: ProposalRow['kind']): ProposalRow[] {
    return this.hot.openOfKind().all({ did, kind });
  }

  countOpen(): number {
    return this.hot.countOpen().get()?.n ?? 0;
  }

  /** One more attempt to complete it failed (signers down or too slow); it stays open. */
  attempted(didHash: string, nonce: number, at: string): void {
    this.db
      .update(proposals)
      .set({ attempts: sql`${proposals.attempts} + 1`, updatedAt: at })
      .where(and(eq(proposals.didHash, didHash), eq(proposals.nonce, nonce)))
      .run();
  }

  /** Closes an open proposal for good: it will never be completed, and its nonce is never proposed again. */
  close(didHash: string, nonce: number, reason: string, at: string): void {
    this.db
      .update(proposals)
      .set({ state: 'closed', closedReason: reason, updatedAt: at })
      .where(and(eq(proposals.didHash, didHash), eq(proposals.nonce, nonce), eq(proposals.state, 'open')))
      .run();
  }
}
