import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type * as schema from './schema.js';

/** The oracle's database handle (drizzle over better-sqlite3), shared by the store modules. */
export type Db = BetterSQLite3Database<typeof schema>;
