import { and, count, desc, eq, isNotNull, like, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import * as schema from './schema.js';
import { signedChains, signedMessages } from './schema.js';

export type SignerDb = BetterSQLite3Database<typeof schema>;
export type SignedRow = typeof signedMessages.$inferSelect;
export type SignedChainRow = typeof signedChains.$inferSelect;
export type NewSigned = typeof signedMessages.$inferInsert;
export type NewSignedChain = Omit<SignedChainRow, 'didHash' | 'nonce'>;

/** What recording a signature came to. Only `recorded` lets a signature leave the process. */
export type RecordResult =
  | { outcome: 'recorded'; chains: SignedChainRow[] }
  | { outcome: 'equivocation'; existing: SignedRow }
  | { outcome: 'source_reused'; existing: SignedRow };

/**
 * The signer's equivocation record. `record` is one synchronous transaction: it re-reads what is signed for the
 * (DID, nonce) and for the custodian's request, then inserts, so two concurrent requests cannot both get through.
 */
export class SignedStore {
  constructor(private readonly db: SignerDb) {}

  byNonce(didHash: string, nonce: string): { row: SignedRow; chains: SignedChainRow[] } | undefined {
    const row = this.db.select().from(signedMessages).where(and(eq(signedMessages.didHash, didHash), eq(signedMessages.nonce, nonce))).get();
    if (!row) return undefined;
    return { row, chains: this.chainsOf(didHash, nonce) };
  }

  bySource(didHash: string, kind: SignedRow['kind'], sourceRef: string): SignedRow | undefined {
    return this.db
      .select()
      .from(signedMessages)
      .where(and(eq(signedMessages.didHash, didHash), eq(signedMessages.kind, kind), eq(signedMessages.sourceRef, sourceRef)))
      .get();
  }

  /** The NAV with the latest as-of this signer has signed for a DID. */
  latestNav(didHash: string): { nav: bigint; asOf: bigint } | undefined {
    const row = this.db
      .select({ nav: signedMessages.navValue, asOf: signedMessages.asOf })
      .from(signedMessages)
      .where(and(eq(signedMessages.didHash, didHash), eq(signedMessages.kind, 'nav'), isNotNull(signedMessages.asOf)))
      .orderBy(desc(signedMessages.asOf))
      .limit(1)
      .get();
    if (!row || row.nav === null || row.asOf === null) return undefined;
    return { nav: BigInt(row.nav), asOf: BigInt(row.asOf) };
  }

  /** The latest as-of this signer has signed for a DID's reserve reports. */
  latestReserveAsOf(didHash: string): bigint | undefined {
    const row = this.db
      .select({ asOf: signedMessages.asOf })
      .from(signedMessages)
      .where(and(eq(signedMessages.didHash, didHash), eq(signedMessages.kind, 'reserve'), isNotNull(signedMessages.asOf)))
      .orderBy(desc(signedMessages.asOf))
      .limit(1)
      .get();
    return row?.asOf === null || row?.asOf === undefined ? undefined : BigInt(row.asOf);
  }

  /** The latest as-of this signer signed for a DID among messages of a kind whose source reference starts with `refPrefix`. */
  latestAsOf(didHash: string, kind: SignedRow['kind'], refPrefix: string): bigint | undefined {
    const row = this.db
      .select({ asOf: signedMessages.asOf })
      .from(signedMessages)
      .where(and(eq(signedMessages.didHash, didHash), eq(signedMessages.kind, kind), like(signedMessages.sourceRef, `${refPrefix}%`), isNotNull(signedMessages.asOf)))
      .orderBy(desc(signedMessages.asOf))
      .limit(1)
      .get();
    return row?.asOf === null || row?.asOf === undefined ? undefined : BigInt(row.asOf);
  }

  /** Every message of a kind this signer signed for a DID, with the chains it signed each for. */
  ofKind(didHash: string, kind: SignedRow['kind']): { row: SignedRow; chains: SignedChainRow[] }[] {
    const rows = this.db.select().from(signedMessages).where(and(eq(signedMessages.didHash, didHash), eq(signedMessages.kind, kind))).all();
    return rows.map((row) => ({ row, chains: this.chainsOf(didHash, row.nonce) }));
  }

  /**
   * The message of the highest nonce below `beforeNonce` this signer signed of a kind for a DID (config: the set
   * the chains hold once it applied). Nonces are uint64 decimal strings, so they are compared here, not in SQL.
   */
  latestOfKindBefore(didHash: string, kind: SignedRow['kind'], beforeNonce: bigint): SignedRow | undefined {
    const rows = this.db.select().from(signedMessages).where(and(eq(signedMessages.didHash, didHash), eq(signedMessages.kind, kind))).all();
    let latest: SignedRow | undefined;
    for (const r of rows) if (BigInt(r.nonce) < beforeNonce && (!latest || BigInt(r.nonce) > BigInt(latest.nonce))) latest = r;
    return latest;
  }

  /**
   * Records signatures of `message` for some chains. The same message at the same (DID, nonce) adds the chains not
   * yet recorded and returns every recorded chain (a repeat keeps its first signatures); another message at that
   * (DID, nonce), or the same request under another nonce, records nothing.
   */
  record(message: NewSigned, chains: readonly NewSignedChain[]): RecordResult {
    return this.db.transaction((tx) => {
      const atNonce = tx.select().from(signedMessages).where(and(eq(signedMessages.didHash, message.didHash), eq(signedMessages.nonce, message.nonce))).get();
      if (atNonce && atNonce.messageHash !== message.messageHash) return { outcome: 'equivocation', existing: atNonce };
      if (!atNonce) {
        const bySource = tx
          .select()
          .from(signedMessages)
          .where(and(eq(signedMessages.didHash, message.didHash), eq(signedMessages.kind, message.kind), eq(signedMessages.sourceRef, message.sourceRef)))
          .get();
        if (bySource) return { outcome: 'source_reused', existing: bySource };
        tx.insert(signedMessages).values(message).run();
      }
      if (chains.length > 0) {
        tx.insert(signedChains)
          .values(chains.map((c) => ({ ...c, didHash: message.didHash, nonce: message.nonce })))
          .onConflictDoNothing()
          .run();
      }
      const all = tx.select().from(signedChains).where(and(eq(signedChains.didHash, message.didHash), eq(signedChains.nonce, message.nonce))).all();
      return { outcome: 'recorded', chains: all };
    });
  }

  /**
   * Runs `work` in one write transaction (each `record` in it a savepoint), committed before the promise resolves:
   * a sign batch's records cost one commit, one fsync, instead of one each. Rolled back when `work` throws. The
   * caller holds the signer's write lock (SignerService), so no other request writes, or answers from rows not yet
   * committed, until this settles.
   */
  async inTransaction<T>(work: () => Promise<T>): Promise<T> {
    this.db.run(sql`BEGIN IMMEDIATE`);
    let result: T;
    try {
      result = await work();
    } catch (err) {
      this.db.run(sql`ROLLBACK`);
      throw err;
    }
    this.db.run(sql`COMMIT`);
    return result;
  }

  count(): number {
    return this.db.select({ n: count() }).from(signedMessages).get()?.n ?? 0;
  }

  private chainsOf(didHash: string, nonce: string): SignedChainRow[] {
    return this.db.select().from(signedChains).where(and(eq(signedChains.didHash, didHash), eq(signedChains.nonce, nonce))).all();
  }
}
