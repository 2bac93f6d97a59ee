// PostgreSQL, the store for several replicas: the same Kysely store and migrations as SQLite.
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { KyselyStore } from './kysely-store.ts';
import { migrate } from './migrations.ts';
import { StoreError } from './port.ts';
import type { Database } from './schema.ts';

export interface PostgresOptions {
  /** Tables live in this schema (created if missing); default "public". */
  schema?: string;
  maxConnections?: number;
}

export async function openPostgres(url: string, opts: PostgresOptions = {}): Promise<KyselyStore> {
  const schema = opts.schema ?? new URL(url).searchParams.get('schema') ?? 'public';
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new StoreError(`store: schema "${schema}" must be a lowercase SQL identifier`);
  const conn = new URL(url);
  conn.searchParams.delete('schema');
  const pool = new pg.Pool({
    connectionString: conn.href,
    max: opts.maxConnections ?? 10,
    // Every connection works in the configured schema.
    options: `-c search_path=${schema}`,
    connectionTimeoutMillis: 10_000,
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    // Replicas starting together would race to create the schema and migrate it: one takes the
    // lock, the others wait and then find nothing left to do.
    const client = await pool.connect();
    try {
      await client.query('select pg_advisory_lock(8210417)');
      if (schema !== 'public') await client.query(`create schema if not exists ${schema}`);
      await migrate(db as Kysely<unknown>);
    } finally {
      await client.query('select pg_advisory_unlock(8210417)').catch(() => undefined);
      client.release();
    }
  } catch (err) {
    await db.destroy();
    if (err instanceof StoreError) throw err;
    throw new StoreError(`store: cannot open ${conn.host}${conn.pathname}: ${(err as Error).message}`, { cause: err });
  }
  return new KyselyStore(db);
}
