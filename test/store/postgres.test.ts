// The same store on a real PostgreSQL (postgres://postgres@127.0.0.1:5432/test, or
// FEEDRELAY_TEST_POSTGRES), each run in a schema of its own that it drops at the end. Skipped
// only where no server answers; CI machines have one.
import { withRealPart } from '../helpers/real-part.ts';
import pg from 'pg';
import { openPostgres } from '../../src/store/postgres.ts';
import { openStore } from '../../src/store/open.ts';
import { LATEST } from '../../src/store/migrations.ts';
import type { Article } from '../../src/model/article.ts';
import { testArticle } from '../helpers/articles.ts';
import { POSTGRES_URL, postgresAnswers } from '../helpers/postgres.ts';

const URL_ = POSTGRES_URL;
const schema = `feedrelay_test_${process.pid}_${Date.now() % 100000}`;

// Odd and even posts carry a tag each, for the by-tag listing.
const article = (n: number, over: Partial<Article> = {}) =>
  testArticle(n, { tags: [{ label: n % 2 ? 'Odd' : 'Even', slug: n % 2 ? 'odd' : 'even' }], ...over }, 'p');

const up = await postgresAnswers();
withRealPart('PostgreSQL store', up, `no PostgreSQL at ${URL_}`, async (t) => {
  t.teardown(async () => {
    const c = new pg.Client({ connectionString: URL_ });
    await c.connect();
    await c.query(`drop schema if exists ${schema} cascade`);
    await c.end();
  });
  const url = `${URL_}?schema=${schema}`;
  // Two replicas starting at once: the advisory lock lets one migrate, the other waits.
  const [store, other] = await Promise.all([openStore(url), openPostgres(url)]);
  t.same(await store.schema(), { current: LATEST, expected: LATEST });
  await other.close();

  const t0 = new Date('2026-01-01T00:00:00Z');
  t.same(await store.upsertArticles([1, 2, 3, 4, 5].map((n) => ({ article: article(n), dated: true })), t0), { inserted: 5, updated: 0, unchanged: 0 });
  t.same(await store.upsertArticles([{ article: article(1), dated: true }], t0), { inserted: 0, updated: 0, unchanged: 1 }, 'unchanged');
  t.same(await store.upsertArticles([{ article: article(1, { title: 'Changed', tags: [] }), dated: true }], new Date('2026-01-02T00:00:00Z')), { inserted: 0, updated: 1, unchanged: 0 }, 'changed');
  t.equal((await store.getArticle(article(1).id))?.title, 'Changed');

  const page1 = await store.listArticles({ sourceIds: ['src'], limit: 2 });
  t.same(page1.articles.map((a) => a.title), ['Post 5', 'Post 4']);
  if (!page1.next) throw new Error('the first page links no next page');
  const page2 = await store.listArticles({ sourceIds: ['src'], limit: 2, cursor: page1.next });
  t.same(page2.articles.map((a) => a.title), ['Post 3', 'Post 2']);
  if (!page2.prev) throw new Error('the second page links no previous page');
  const back = await store.listArticles({ sourceIds: ['src'], limit: 2, cursor: page2.prev, direction: 'before' });
  t.same(back.articles.map((a) => a.title), ['Post 5', 'Post 4'], 'previous page');
  t.same((await store.listArticles({ sourceIds: ['src'], tag: 'odd', limit: 10 })).articles.map((a) => a.title), ['Post 5', 'Post 3'], 'by tag, after post 1 lost its tags');

  const guid = 'https://blog.example/?p=9';
  await store.upsertArticles([{ article: article(9, { id: 'q'.repeat(24), sourceId: 'feed', url: 'https://blog.example/9', guid }), dated: true }], t0);
  t.same(await store.upsertArticles([{ article: article(9, { id: 'r'.repeat(24), sourceId: 'mirror', url: 'https://mirror.example/9', guid }), dated: true }], t0), { inserted: 0, updated: 0, unchanged: 1 }, 'one article per guid');
  t.equal((await store.listArticles({ sourceIds: ['mirror'], limit: 5 })).articles[0]?.id, 'q'.repeat(24));

  await store.saveSourceState({ id: 'src', url: 'https://x.example/feed', effectiveUrl: null, etag: '"e"', lastModified: null, lastAttemptAt: t0.toISOString(), lastSuccessAt: t0.toISOString(), lastStatus: 200, consecutiveFailures: 0, lastErrorClass: null, lastErrorMessage: null, nextAttemptAt: null, discoveredAt: null });
  t.equal((await store.getSourceState('src'))?.etag, '"e"');
  const saved = await store.getSourceState('src');
  if (!saved) throw new Error('the source state was not saved');
  await store.saveSourceState({ ...saved, consecutiveFailures: 3, lastErrorClass: 'timeout' });
  t.equal((await store.listSourceStates()).find((s) => s.id === 'src')?.consecutiveFailures, 3, 'source state updated in place');
  await store.ping();
  await store.close();

  // A database a newer feedrelay migrated is refused, untouched.
  const c = new pg.Client({ connectionString: URL_, options: `-c search_path=${schema}` });
  await c.connect();
  await c.query(`insert into schema_migrations (version, name, applied_at) values (99, 'from the future', '2030-01-01')`);
  await t.rejects(openPostgres(url), { name: 'StoreError', message: /schema version 99, newer than this feedrelay's/ });
  t.equal((await c.query<{ n: number }>('select count(*)::int as n from schema_migrations')).rows[0]?.n, LATEST + 1, 'nothing changed');
  await c.end();
});

withRealPart('the whole service on PostgreSQL', up, `no PostgreSQL at ${URL_}`, async (t) => {
  const { startWordPressOrigin, SEED } = await import('../helpers/wordpress.ts');
  const { tempEnv, startService } = await import('../helpers/service.ts');
  const svcSchema = `${schema}_svc`;
  t.teardown(async () => {
    const c = new pg.Client({ connectionString: URL_ });
    await c.connect();
    await c.query(`drop schema if exists ${svcSchema} cascade`);
    await c.end();
  });
  const origin = await startWordPressOrigin();
  t.teardown(() => origin.close());
  const env = tempEnv({ kazakhstan: `title: Kazakhstan unrest\nsources:\n  - id: steppewatch\n    url: ${origin.url}/feed/\n` }, { DATABASE_URL: `${URL_}?schema=${svcSchema}` });
  t.teardown(env.cleanup);
  const service = await startService(env.env);
  t.teardown(() => service.stop());
  await service.runner.run(service.sources, { force: true });
  const ready = await service.app.inject({ url: '/readyz' });
  t.equal(ready.statusCode, 503, 'not ready until the scheduler runs');
  t.match(ready.json(), { checks: { store: true, migrations: true } });
  const feed = (await service.app.inject({ url: '/feeds/kazakhstan.json' })).json<{ items: Array<{ title: string; tags: string[] }> }>();
  t.equal(feed.items[0]?.title, SEED.title);
  t.same(feed.items[0]?.tags, SEED.tags.map((x: { label: string }) => x.label));
});
