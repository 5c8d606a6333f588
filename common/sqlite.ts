import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';

export interface OpenedDb<S extends Record<string, unknown>> {
  sqlite: Database.Database;
  /** With its connection (`$client`), as drizzle returns it: a store may hold prepared statements of its own. */
  db: BetterSQLite3Database<S> & { $client: Database.Database };
  close(): void;
}

/**
 * Opens a SQLite file for a service: WAL (readers never block the writer), synchronous=FULL (a 2xx answer means the
 * row survived power loss, not just a process kill), foreign keys on, a busy timeout, then applies the committed
 * drizzle migrations.
 */
export function openDb<S extends Record<string, unknown>>(path: string, schema: S, migrationsFolder: string): OpenedDb<S> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  return { sqlite, db, close: () => sqlite.close() };
}
