// `feedrelay migrate-store` as a real process: SQLite up to the local PostgreSQL, everything
// copied and verified, a second run changes nothing, a missing source file is refused.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../src/store/sqlite.ts';
import { openPostgres } from '../../src/store/postgres.ts';
import type { SourceState } from '../../src/store/port.ts';
import { testArticle } from '../helpers/articles.ts';
import { pgSkip, sql, throwawaySchema } from '../helpers/postgres.ts';

const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/feedrelay.js', 'migrate-store', ...args], { encoding: 'utf8', timeout: 60_000 });

t.test('SQLite to PostgreSQL', { skip: await pgSkip() }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'feedrelay-migrate-'));
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const db = throwawaySchema('migrate');
  t.teardown(db.drop);
  const path = join(dir, 'old.db');
  const lite = await openSqlite(path);
  const N = 1234; // more than one copy batch
  const tags = (n: number) => (n % 3 ? [{ label: 'Politics', slug: 'politics' }] : [{ label: 'Économie', slug: 'economie' }, { label: 'Asia', slug: 'asia' }]);
  await lite.upsertArticles(Array.from({ length: N }, (_, i) => ({ article: testArticle(i + 1, { tags: tags(i + 1), publishedAt: new Date(Date.UTC(2022, 0, 1, 0, i)).toISOString() }), dated: true })), new Date('2026-01-01T00:00:00Z'));
  // The same article reached from a second source: one article, two links.
  await lite.upsertArticles([{ article: testArticle(5, { sourceId: 'mirror', tags: tags(5), publishedAt: new Date(Date.UTC(2022, 0, 1, 0, 4)).toISOString() }), dated: true }], new Date('2026-01-01T00:00:00Z'));
  const state: SourceState = { id: 'src', url: 'https://x.example/feed', effectiveUrl: 'https://x.example/moved', etag: '"abc"', lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT', lastAttemptAt: '2026-01-01T00:00:00.000Z', lastSuccessAt: '2025-12-31T00:00:00.000Z', lastStatus: 503, consecutiveFailures: 2, lastErrorClass: 'http_5xx', lastErrorMessage: 'HTTP 503', nextAttemptAt: '2026-01-01T00:04:00.000Z', discoveredAt: '2025-12-30T00:00:00.000Z' };
  await lite.saveSourceState(state);
  await lite.saveSourceState({ ...state, id: 'mirror', url: 'https://m.example/feed', effectiveUrl: null, consecutiveFailures: 0, lastErrorClass: null, lastErrorMessage: null, nextAttemptAt: null, lastStatus: 200, discoveredAt: null });
  const expectSrc = await lite.listArticles({ sourceIds: ['src'], limit: 100 });
  const expectMirror = await lite.listArticles({ sourceIds: ['mirror'], limit: 10 });
  const expectTag = await lite.listArticles({ sourceIds: ['src'], tag: 'economie', limit: 50 });
  await lite.close();

  const first = cli('--from', `sqlite:${path}`, '--to', db.url);
  t.equal(first.status, 0, first.stderr);
  t.match(first.stdout, `copied and verified: 2 sources, ${N} articles, ${N + 1} source links`);
  const second = cli('--from', `sqlite:${path}`, '--to', db.url);
  t.equal(second.status, 0, `a second run is fine: ${second.stderr}`);
  t.same(second.stdout, first.stdout);

  const pgStore = await openPostgres(db.url);
  t.teardown(() => pgStore.close());
  t.same(await pgStore.getSourceState('src'), state, 'fetch state, validators and backoff carried over');
  t.same(await pgStore.listArticles({ sourceIds: ['src'], limit: 100 }), expectSrc, 'the same first page');
  t.same(await pgStore.listArticles({ sourceIds: ['mirror'], limit: 10 }), expectMirror, 'source links');
  t.same(await pgStore.listArticles({ sourceIds: ['src'], tag: 'economie', limit: 50 }), expectTag, 'tags');
  const [counts] = await sql<{ a: number; l: number; g: number }>(`select (select count(*)::int from ${db.schema}.articles) a, (select count(*)::int from ${db.schema}.article_sources) l, (select count(*)::int from ${db.schema}.article_tags) g`);
  t.same(counts, { a: N, l: N + 1, g: Array.from({ length: N }, (_, i) => tags(i + 1).length).reduce((x, y) => x + y, 0) }, 'nothing copied twice');

  const missing = cli('--from', `sqlite:${join(dir, 'nope.db')}`, '--to', db.url);
  t.equal(missing.status, 2);
  t.match(missing.stderr, /no such file/);
  const usage = cli('--from', `sqlite:${path}`);
  t.equal(usage.status, 64);
});
