import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { RwaError } from './errors.js';

/** Another process holds the store: a second instance must not run (rolling deploys race on nonces otherwise). */
export class InstanceLockedError extends RwaError<'instance_locked'> {
  override readonly name = 'InstanceLockedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { code: 'instance_locked', retryable: false, cause: options?.cause });
  }
}

export interface InstanceLock {
  /** The lock file (`<store>.lock`). */
  path: string;
  release(): void;
}

/**
 * Takes the exclusive lock of a service's store for the life of this process, or throws InstanceLockedError at once.
 * The lock is SQLite's own file lock (fcntl, an OS-level lock) on a small file beside the store, held by a write
 * transaction in exclusive locking mode: the kernel drops it when the process ends in any way, SIGKILL included, so
 * there is no stale lock to clean up, and readers of the store itself (inspection, tests) are never blocked. The
 * holder's pid and start time are written beside it (`.lock.pid`) for the refusal message only.
 */
export function acquireInstanceLock(storePath: string, service: string): InstanceLock {
  const path = `${storePath}.lock`;
  if (storePath === ':memory:') return { path, release: () => undefined };
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('journal_mode = DELETE');
    db.pragma('locking_mode = EXCLUSIVE');
    // The first write in exclusive mode takes the EXCLUSIVE lock and keeps it until the connection closes.
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, since TEXT NOT NULL)');
    db.exec('BEGIN EXCLUSIVE');
    db.prepare('DELETE FROM holder').run();
    db.prepare('INSERT INTO holder (pid, since) VALUES (?, ?)').run(process.pid, new Date().toISOString());
    db.exec('COMMIT');
  } catch (err) {
    db.close();
    if (err instanceof Error && 'code' in err && (err.code === 'SQLITE_BUSY' || err.code === 'SQLITE_LOCKED')) {
      throw new InstanceLockedError(`another ${service} instance holds ${storePath} (${holderOf(path)}); stop it first, or give this one its own store`, { cause: err });
    }
    throw err;
  }
  writeFileSync(`${path}.pid`, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
  return { path, release: () => db.close() };
}

function holderOf(lockPath: string): string {
  try {
    const h = JSON.parse(readFileSync(`${lockPath}.pid`, 'utf8')) as { pid?: unknown; since?: unknown };
    return `pid ${String(h.pid)} since ${String(h.since)}`;
  } catch {
    return 'holder unknown';
  }
}
