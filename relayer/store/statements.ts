import type Database from 'better-sqlite3';
import { getTableColumns } from 'drizzle-orm';
import { jobs, quorums } from './schema.js';

/**
 * The outbox's hot statements (the delivery loop's polls and each delivery's writes), prepared once when the store
 * opens instead of built by the query builder on every call. Their columns come from the drizzle schema (schema.ts),
 * so they follow it; each row comes back under the schema's property names, the shape drizzle's select gives.
 */
const columnsOf = (table: typeof jobs | typeof quorums): string =>
  Object.entries(getTableColumns(table))
    .map(([key, column]) => `"${column.name}" AS "${key}"`)
    .join(', ');
const JOB_COLUMNS = columnsOf(jobs);

const UNFINISHED = `state IN ('pending', 'submitted')`;

/** Columns an ingested job sets, in the order of the insert's parameters. */
export const INSERTED_JOB_COLUMNS = [
  'attestation_id',
  'seq',
  'did',
  'did_hash',
  'nonce',
  'kind',
  'chain_id',
  'transport',
  'receiver',
  'quorum_transports',
  'message',
  'signatures',
  'batch_root',
  'batch_proof',
  'batch_signatures',
  'state',
  'attempts',
  'next_attempt_at',
  'created_at',
  'updated_at',
] as const;

export function prepareStatements(sqlite: Database.Database) {
  return {
    quorumOf: sqlite.prepare<[string, number], unknown>(`SELECT ${columnsOf(quorums)} FROM quorums WHERE did_hash = ? AND chain_id = ?`),
    cursor: sqlite.prepare<[], number>('SELECT "after" FROM feed_cursor WHERE id = 1').pluck(),
    setCursor: sqlite.prepare<[number]>('INSERT INTO feed_cursor (id, "after") VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET "after" = excluded."after"'),
    insertJob: sqlite.prepare<unknown[]>(
      `INSERT INTO jobs (${INSERTED_JOB_COLUMNS.join(', ')}) VALUES (${INSERTED_JOB_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`,
    ),
    unfinished: sqlite.prepare<[number, number], unknown>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE chain_id = ? AND ${UNFINISHED} ORDER BY seq, id LIMIT ?`),
    dueParked: sqlite.prepare<[number, number], unknown>(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE chain_id = ? AND state = 'parked' AND next_attempt_at <= ? ORDER BY seq, id LIMIT 1`,
    ),
    depth: sqlite.prepare<[number], number>(`SELECT count(*) FROM jobs WHERE chain_id = ? AND ${UNFINISHED}`).pluck(),
    parkedCount: sqlite.prepare<[number], number>(`SELECT count(*) FROM jobs WHERE chain_id = ? AND state = 'parked'`).pluck(),
    markSubmitted: sqlite.prepare<[string, number | null, string | null, string | null, number, number]>(
      `UPDATE jobs SET state = 'submitted', tx_hash = ?, tx_nonce = ?, max_fee_per_gas = ?, max_priority_fee_per_gas = ?, updated_at = ? WHERE id = ?`,
    ),
    markConfirmed: sqlite.prepare<[string | null, number, number, number]>(
      `UPDATE jobs SET state = 'confirmed', tx_hash = ?, confirmed_at = ?, updated_at = ?, last_error = NULL WHERE id = ?`,
    ),
    markRetry: sqlite.prepare<[string, number, string, number, number, number]>(
      'UPDATE jobs SET state = ?, attempts = ?, last_error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?',
    ),
    settleSiblings: sqlite.prepare<[number, number, string, string, number, number]>(
      `UPDATE jobs SET state = 'confirmed', confirmed_at = ?, updated_at = ?, last_error = ? WHERE attestation_id = ? AND chain_id = ? AND id <> ? AND ${UNFINISHED}`,
    ),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
