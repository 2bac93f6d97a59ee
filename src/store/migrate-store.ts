// `feedrelay migrate-store`: copies one store into another (SQLite up to PostgreSQL, the usual way):
// sources with their fetch state, articles with their source links and tags. Rows are upserted by
// key, so a second run converges on the same result; counts are verified at the end.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Kysely } from 'kysely';
import { openStore } from './open.ts';
import { KyselyStore } from './kysely-store.ts';
import { StoreError } from './port.ts';
import type { Database } from './schema.ts';

export interface MigrateReport {
  sources: number;
  articles: number;
  links: number;
  tags: number;
}

const BATCH = 500;

async function open(url: string, role: 'from' | 'to'): Promise<KyselyStore> {
  if (role === 'from' && url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    // Opening would create an empty database: copying nothing is not what anyone asked for.
    if (path !== ':memory:' && !existsSync(resolve(path))) throw new StoreError(`migrate-store: --from ${url}: no such file`);
  }
  const store = await openStore(url);
  if (!(store instanceof KyselyStore)) throw new StoreError(`migrate-store: ${url} is not an SQL store`);
  return store;
}

export async function migrateStore(fromUrl: string, toUrl: string, progress: (line: string) => void = () => undefined): Promise<MigrateReport> {
  if (fromUrl === toUrl) throw new StoreError('migrate-store: --from and --to are the same store');
  const from = await open(fromUrl, 'from');
  let to: KyselyStore;
  try {
    to = await open(toUrl, 'to');
  } catch (err) {
    await from.close();
    throw err;
  }
  try {
    const src: Kysely<Database> = from.db;
    const dst: Kysely<Database> = to.db;
    const report: MigrateReport = { sources: 0, articles: 0, links: 0, tags: 0 };

    const sources = await src.selectFrom('sources').selectAll().orderBy('id').execute();
    for (let i = 0; i < sources.length; i += BATCH) {
      const rows = sources.slice(i, i + BATCH).map((r) => ({ ...r }));
      await dst
        .insertInto('sources')
        .values(rows)
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            url: eb.ref('excluded.url'),
            effective_url: eb.ref('excluded.effective_url'),
            etag: eb.ref('excluded.etag'),
            last_modified: eb.ref('excluded.last_modified'),
            last_attempt_at: eb.ref('excluded.last_attempt_at'),
            last_success_at: eb.ref('excluded.last_success_at'),
            last_status: eb.ref('excluded.last_status'),
            consecutive_failures: eb.ref('excluded.consecutive_failures'),
            last_error_class: eb.ref('excluded.last_error_class'),
            last_error_message: eb.ref('excluded.last_error_message'),
            next_attempt_at: eb.ref('excluded.next_attempt_at'),
            discovered_at: eb.ref('excluded.discovered_at'),
          })),
        )
        .execute();
    }
    report.sources = sources.length;
    progress(`sources: ${sources.length}`);

    // Articles page by key, each page with its links and tags in one transaction.
    let after = '';
    for (;;) {
      const page = await src.selectFrom('articles').selectAll().where('id', '>', after).orderBy('id').limit(BATCH).execute();
      if (page.length === 0) break;
      after = page[page.length - 1]!.id;
      const ids = page.map((a) => a.id);
      const links = await src.selectFrom('article_sources').selectAll().where('article_id', 'in', ids).execute();
      const tags = await src.selectFrom('article_tags').selectAll().where('article_id', 'in', ids).execute();
      await dst.transaction().execute(async (trx) => {
        await trx
          .insertInto('articles')
          .values(page)
          .onConflict((oc) =>
            oc.column('id').doUpdateSet((eb) => ({
              source_id: eb.ref('excluded.source_id'),
              url: eb.ref('excluded.url'),
              guid: eb.ref('excluded.guid'),
              published_at: eb.ref('excluded.published_at'),
              updated_at: eb.ref('excluded.updated_at'),
              first_seen_at: eb.ref('excluded.first_seen_at'),
              content_hash: eb.ref('excluded.content_hash'),
              data: eb.ref('excluded.data'),
            })),
          )
          .execute();
        if (links.length) await trx.insertInto('article_sources').values(links).onConflict((oc) => oc.doNothing()).execute();
        if (tags.length) await trx.insertInto('article_tags').values(tags).onConflict((oc) => oc.doNothing()).execute();
      });
      report.articles += page.length;
      report.links += links.length;
      report.tags += tags.length;
      progress(`articles: ${report.articles}`);
    }

    // Verify: every row of the source is in the target (the target may hold more of its own).
    const missing: string[] = [];
    const keys = async (db: Kysely<Database>, table: 'sources' | 'articles' | 'article_sources' | 'article_tags') => {
      if (table === 'sources' || table === 'articles') return new Set((await db.selectFrom(table).select('id').execute()).map((r) => r.id));
      if (table === 'article_sources') return new Set((await db.selectFrom(table).select(['article_id', 'source_id']).execute()).map((r) => `${r.article_id} ${r.source_id}`));
      return new Set((await db.selectFrom(table).select(['article_id', 'slug']).execute()).map((r) => `${r.article_id} ${r.slug}`));
    };
    for (const table of ['sources', 'articles', 'article_sources', 'article_tags'] as const) {
      const [a, b] = await Promise.all([keys(src, table), keys(dst, table)]);
      let lost = 0;
      for (const k of a) if (!b.has(k)) lost++;
      if (lost) missing.push(`${table}: ${lost} of ${a.size} rows missing`);
    }
    if (missing.length) throw new StoreError(`migrate-store: verification failed: ${missing.join('; ')}`);
    return report;
  } finally {
    await Promise.allSettled([from.close(), to.close()]);
  }
}
