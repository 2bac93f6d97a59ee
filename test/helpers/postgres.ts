// The machine's real PostgreSQL for tests (trust auth), or FEEDRELAY_TEST_POSTGRES: a throwaway schema per test, dropped (with the pg-boss
// schema beside it) at the end. In CI a missing server fails the test instead of skipping it.
import pg from 'pg';

export const PG_URL = process.env['FEEDRELAY_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const POSTGRES_URL = PG_URL;

export async function postgresAnswers(): Promise<boolean> {
  return (await pgSkip().catch(() => 'missing')) === false;
}

export async function pgSkip(): Promise<string | false> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return false;
  } catch {
    if (process.env['CI'] === 'true') throw new Error(`no PostgreSQL at ${PG_URL}, and CI needs one`);
    return `no PostgreSQL at ${PG_URL}`;
  }
}

export async function sql<T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return (await c.query(text, values)).rows as T[];
  } finally {
    await c.end();
  }
}

/** A fresh schema name, its store URL, and the drop for teardown. */
export function throwawaySchema(tag: string): { schema: string; url: string; drop: () => Promise<void> } {
  const schema = `feedrelay_${tag}_${process.pid}_${Date.now() % 100000}`;
  return {
    schema,
    url: `${PG_URL}?schema=${schema}`,
    drop: async () => {
      await sql(`drop schema if exists ${schema} cascade`);
      await sql(`drop schema if exists ${schema}_jobs cascade`);
    },
  };
}
