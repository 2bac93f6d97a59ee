// SQLite, the embedded default: one file, WAL mode so readers never wait for the ingest writer.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { KyselyStore } from './kysely-store.ts';
import { migrate } from './migrations.ts';
import type { Database } from './schema.ts';

export async function openSqlite(path: string): Promise<KyselyStore> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const raw = new Sqlite(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  const store = new KyselyStore(db, async () => {
    await db.destroy(); // closes `raw`, which checkpoints the WAL
  });
  try {
    await migrate(db as Kysely<unknown>);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return store;
}
