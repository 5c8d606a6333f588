import Database, { type Statement } from 'better-sqlite3';
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

/** The columns of schema.ts under their TypeScript names, so a row comes back as drizzle's `$inferSelect` shape. */
const MESSAGE = `did_hash AS didHash, nonce, message_hash AS messageHash, message, did, kind, source_ref AS sourceRef, nav_value AS navValue, as_of AS asOf, created_at AS createdAt`;
const CHAIN = `did_hash AS didHash, nonce, chain_id AS chainId, receiver, signature`;

/**
 * The signer's equivocation record. `record` is one synchronous transaction: it re-reads what is signed for the
 * (DID, nonce) and for the custodian's request, then inserts, so two concurrent requests cannot both get through.
 * The tables are drizzle's (schema.ts, migrations); the statements are prepared once here, on the same connection,
 * since a sign request runs several of them and building and preparing each per call cost more than running it.
 */
export class SignedStore {
  private readonly q: ReturnType<typeof statements>;

  private readonly recordTx: (message: NewSigned, chains: readonly NewSignedChain[]) => RecordResult;

  constructor(db: SignerDb) {
    const sqlite = clientOf(db);
    this.q = statements(sqlite);
    // better-sqlite3 runs a transaction function nested in an open one (inTransaction) as a savepoint.
    this.recordTx = sqlite.transaction((message: NewSigned, chains: readonly NewSignedChain[]) => this.recordIn(message, chains));
  }

  byNonce(didHash: string, nonce: string): { row: SignedRow; chains: SignedChainRow[] } | undefined {
    const row = this.q.atNonce.get(didHash, nonce);
    if (!row) return undefined;
    return { row, chains: this.q.chainsOf.all(didHash, nonce) };
  }

  bySource(didHash: string, kind: SignedRow['kind'], sourceRef: string): SignedRow | undefined {
    return this.q.bySource.get(didHash, kind, sourceRef);
  }

  /** The NAV with the latest as-of this signer has signed for a DID. */
  latestNav(didHash: string): { nav: bigint; asOf: bigint } | undefined {
    const row = this.q.latestNav.get(didHash);
    if (!row || row.nav === null || row.asOf === null) return undefined;
    return { nav: BigInt(row.nav), asOf: BigInt(row.asOf) };
  }

  /** The latest as-of this signer has signed for a DID's reserve reports. */
  latestReserveAsOf(didHash: string): bigint | undefined {
    const row = this.q.latestAsOfOfKind.get(didHash, 'reserve');
    return row?.asOf === null || row?.asOf === undefined ? undefined : BigInt(row.asOf);
  }

  /** The latest as-of this signer signed for a DID among messages of a kind whose source reference starts with `refPrefix`. */
  latestAsOf(didHash: string, kind: SignedRow['kind'], refPrefix: string): bigint | undefined {
    const row = this.q.latestAsOfLike.get(didHash, kind, `${refPrefix}%`);
    return row?.asOf === null || row?.asOf === undefined ? undefined : BigInt(row.asOf);
  }

  /** Every message of a kind this signer signed for a DID, with the chains it signed each for (two reads in all). */
  ofKind(didHash: string, kind: SignedRow['kind']): { row: SignedRow; chains: SignedChainRow[] }[] {
    const rows = this.q.ofKind.all(didHash, kind);
    if (rows.length === 0) return [];
    const chains = new Map<string, SignedChainRow[]>();
    for (const c of this.q.chainsOfKind.all(didHash, kind)) {
      const list = chains.get(c.nonce);
      if (list) list.push(c);
      else chains.set(c.nonce, [c]);
    }
    return rows.map((row) => ({ row, chains: chains.get(row.nonce) ?? [] }));
  }

  /**
   * The message of the highest nonce below `beforeNonce` this signer signed of a kind for a DID (config: the set
   * the chains hold once it applied). Nonces are uint64 decimal strings, so they are compared here, not in SQL.
   */
  latestOfKindBefore(didHash: string, kind: SignedRow['kind'], beforeNonce: bigint): SignedRow | undefined {
    let latest: SignedRow | undefined;
    for (const r of this.q.ofKind.all(didHash, kind)) if (BigInt(r.nonce) < beforeNonce && (!latest || BigInt(r.nonce) > BigInt(latest.nonce))) latest = r;
    return latest;
  }

  /**
   * Records signatures of `message` for some chains. The same message at the same (DID, nonce) adds the chains not
   * yet recorded and returns every recorded chain (a repeat keeps its first signatures); another message at that
   * (DID, nonce), or the same request under another nonce, records nothing.
   */
  record(message: NewSigned, chains: readonly NewSignedChain[]): RecordResult {
    return this.recordTx(message, chains);
  }

  /**
   * Runs `work` in one write transaction (each `record` in it a savepoint), committed before the promise resolves:
   * a sign batch's records cost one commit, one fsync, instead of one each. Rolled back when `work` throws. The
   * caller holds the signer's write lock (SignerService), so no other request writes, or answers from rows not yet
   * committed, until this settles.
   */
  async inTransaction<T>(work: () => Promise<T>): Promise<T> {
    this.q.begin.run();
    let result: T;
    try {
      result = await work();
    } catch (err) {
      this.q.rollback.run();
      throw err;
    }
    this.q.commit.run();
    return result;
  }

  count(): number {
    return this.q.count.get()?.n ?? 0;
  }

  private recordIn(message: NewSigned, chains: readonly NewSignedChain[]): RecordResult {
    const atNonce = this.q.atNonce.get(message.didHash, message.nonce);
    if (atNonce && atNonce.messageHash !== message.messageHash) return { outcome: 'equivocation', existing: atNonce };
    if (!atNonce) {
      const bySource = this.q.bySource.get(message.didHash, message.kind, message.sourceRef);
      if (bySource) return { outcome: 'source_reused', existing: bySource };
      this.q.insertMessage.run(
        message.didHash,
        message.nonce,
        message.messageHash,
        message.message,
        message.did,
        message.kind,
        message.sourceRef,
        message.navValue ?? null,
        message.asOf ?? null,
        message.createdAt,
      );
    }
    for (const c of chains) this.q.insertChain.run(message.didHash, message.nonce, c.chainId, c.receiver, c.signature);
    return { outcome: 'recorded', chains: this.q.chainsOf.all(message.didHash, message.nonce) };
  }
}

/** The better-sqlite3 connection under the drizzle database (drizzle() keeps it as `$client`). */
function clientOf(db: SignerDb): Database.Database {
  const client = (db as { $client?: unknown }).$client;
  if (!(client instanceof Database)) throw new Error('SignedStore needs a drizzle database over a better-sqlite3 connection');
  return client;
}

/** Every statement the store runs, prepared once on its connection. */
function statements(db: Database.Database) {
  const prep = <P extends unknown[], R>(source: string) => db.prepare<P, R>(source) as Statement<P, R>;
  return {
    atNonce: prep<[string, string], SignedRow>(`SELECT ${MESSAGE} FROM signed_messages WHERE did_hash = ? AND nonce = ?`),
    bySource: prep<[string, string, string], SignedRow>(`SELECT ${MESSAGE} FROM signed_messages WHERE did_hash = ? AND kind = ? AND source_ref = ?`),
    ofKind: prep<[string, string], SignedRow>(`SELECT ${MESSAGE} FROM signed_messages WHERE did_hash = ? AND kind = ?`),
    chainsOf: prep<[string, string], SignedChainRow>(`SELECT ${CHAIN} FROM signed_chains WHERE did_hash = ? AND nonce = ?`),
    chainsOfKind: prep<[string, string], SignedChainRow>(
      `SELECT c.did_hash AS didHash, c.nonce, c.chain_id AS chainId, c.receiver, c.signature FROM signed_chains c ` +
        `JOIN signed_messages m ON m.did_hash = c.did_hash AND m.nonce = c.nonce WHERE m.did_hash = ? AND m.kind = ? ORDER BY c.nonce, c.chain_id`,
    ),
    latestNav: prep<[string], { nav: string | null; asOf: number | null }>(
      `SELECT nav_value AS nav, as_of AS asOf FROM signed_messages WHERE did_hash = ? AND kind = 'nav' AND as_of IS NOT NULL ORDER BY as_of DESC LIMIT 1`,
    ),
    latestAsOfOfKind: prep<[string, string], { asOf: number | null }>(
      `SELECT as_of AS asOf FROM signed_messages WHERE did_hash = ? AND kind = ? AND as_of IS NOT NULL ORDER BY as_of DESC LIMIT 1`,
    ),
    latestAsOfLike: prep<[string, string, string], { asOf: number | null }>(
      `SELECT as_of AS asOf FROM signed_messages WHERE did_hash = ? AND kind = ? AND source_ref LIKE ? AND as_of IS NOT NULL ORDER BY as_of DESC LIMIT 1`,
    ),
    insertMessage: prep<[string, string, string, string, string, string, string, string | null, number | null, string], never>(
      `INSERT INTO signed_messages (did_hash, nonce, message_hash, message, did, kind, source_ref, nav_value, as_of, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertChain: prep<[string, string, number, string, string], never>(
      `INSERT INTO signed_chains (did_hash, nonce, chain_id, receiver, signature) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ),
    count: prep<[], { n: number }>(`SELECT count(*) AS n FROM signed_messages`),
    begin: prep<[], never>('BEGIN IMMEDIATE'),
    commit: prep<[], never>('COMMIT'),
    rollback: prep<[], never>('ROLLBACK'),
  };
}
