// The machine's PostgreSQL for store tests (trust auth), or FEEDRELAY_TEST_POSTGRES.
import pg from 'pg';

export const POSTGRES_URL = process.env['FEEDRELAY_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function postgresAnswers(): Promise<boolean> {
  const c = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}
