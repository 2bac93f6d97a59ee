// A real SQLite file: upserts, unchanged and changed posts, paging, and a restart.
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { openSqlite } from '../../src/store/sqlite.ts';
import { encodeCursor, decodeCursor } from '../../src/store/port.ts';
import type { Article } from '../../src/model/article.ts';
import { testArticle } from '../helpers/articles.ts';
import { LATEST } from '../../src/store/migrations.ts';

const dir = mkdtempSync(join(tmpdir(), 'feedrelay-store-'));

const article = (n: number, over: Partial<Article> = {}) => testArticle(n, over);

t.test('insert, unchanged, changed, restart', async (t) => {
  const path = join(dir, 'a.db');
  let store = await openSqlite(path);
  const t0 = new Date('2026-01-01T00:00:00Z');
  t.same(await store.upsertArticles([{ article: article(1), dated: true }, { article: article(2), dated: true }], t0), { inserted: 2, updated: 0, unchanged: 0 });
  t.same(await store.upsertArticles([{ article: article(1), dated: true }], new Date('2026-01-02T00:00:00Z')), { inserted: 0, updated: 0, unchanged: 1 });
  t.equal((await store.getArticle(article(1).id))?.updatedAt, article(1).updatedAt, 'unchanged: updatedAt stays');

  const t2 = new Date('2026-01-03T00:00:00Z');
  t.same(await store.upsertArticles([{ article: article(1, { contentHtml: '<p>Corrected</p>' }), dated: true }], t2), { inserted: 0, updated: 1, unchanged: 0 });
  const changed = await store.getArticle(article(1).id);
  t.equal(changed?.contentHtml, '<p>Corrected</p>', 'updated in place');
  t.equal(changed?.updatedAt, t2.toISOString(), 'updatedAt moves to when the change was seen');
  t.equal(changed?.publishedAt, article(1).publishedAt);

  const undated = article(3, { publishedAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' });
  await store.upsertArticles([{ article: undated, dated: false }], t0);
  await store.upsertArticles([{ article: { ...undated, publishedAt: '2026-02-01T00:00:00.000Z', title: 'Retitled' }, dated: false }], new Date('2026-02-01T00:00:00Z'));
  t.equal((await store.getArticle(undated.id))?.publishedAt, '2026-01-01T00:00:00.000Z', 'an undated item keeps its first-seen time');

  await store.saveSourceState({ id: 'src', url: 'https://x.example/feed', effectiveUrl: null, etag: '"abc"', lastModified: null, lastAttemptAt: t0.toISOString(), lastSuccessAt: t0.toISOString(), lastStatus: 200, consecutiveFailures: 0, lastErrorClass: null, lastErrorMessage: null, nextAttemptAt: null, discoveredAt: null });
  await store.close();

  const raw = new Sqlite(path, { readonly: true });
  t.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
  t.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
  raw.close();

  store = await openSqlite(path);
  t.equal((await store.getArticle(article(1).id))?.contentHtml, '<p>Corrected</p>', 'kept across a restart');
  t.equal((await store.getSourceState('src'))?.etag, '"abc"');
  t.same(await store.upsertArticles([{ article: article(2), dated: true }], t2), { inserted: 0, updated: 0, unchanged: 1 }, 'no duplicate after restart');
  await store.close();
});

t.test('paging is newest first and stable', async (t) => {
  const store = await openSqlite(join(dir, 'b.db'));
  t.teardown(() => store.close());
  await store.upsertArticles(Array.from({ length: 7 }, (_, i) => ({ article: article(i + 1), dated: true })), new Date());
  // Two articles with the same date: the id breaks the tie.
  await store.upsertArticles([{ article: article(8, { publishedAt: article(7).publishedAt }), dated: true }], new Date());
  const seen: string[] = [];
  let cursor;
  do {
    const page = await store.listArticles({ sourceIds: ['src'], limit: 3, cursor });
    seen.push(...page.articles.map((a) => a.title));
    cursor = page.next ?? undefined;
    if (cursor) t.same(decodeCursor(encodeCursor(cursor)), cursor);
  } while (cursor);
  t.same(seen, ['Post 8', 'Post 7', 'Post 6', 'Post 5', 'Post 4', 'Post 3', 'Post 2', 'Post 1']);
  t.same((await store.listArticles({ sourceIds: ['other'], limit: 3 })).articles, []);
  t.equal(decodeCursor('garbage'), null);
});

t.test('a database from a newer feedrelay is refused, untouched', async (t) => {
  const path = join(dir, 'c.db');
  await (await openSqlite(path)).close();
  const raw = new Sqlite(path);
  raw.prepare("insert into schema_migrations (version, name, applied_at) values (99, 'from the future', '2030-01-01')").run();
  const before = raw.prepare('select count(*) as n from schema_migrations').get();
  raw.close();
  await t.rejects(openSqlite(path), { name: 'StoreError', message: new RegExp(`^store: the database is at schema version 99, newer than this feedrelay's ${LATEST}; refusing to start`) });
  const after = new Sqlite(path, { readonly: true });
  t.same(after.prepare('select count(*) as n from schema_migrations').get(), before, 'nothing changed');
  after.close();
});

t.test('one article reached through two sources by the same guid is stored once', async (t) => {
  const store = await openSqlite(join(dir, 'guid.db'));
  t.teardown(() => store.close());
  const t0 = new Date('2026-01-01T00:00:00Z');
  const guid = 'https://blog.example/?p=4821';
  const viaFeed = article(1, { id: 'b'.repeat(24), sourceId: 'feed', url: 'https://blog.example/2022/01/06/post/', guid });
  const viaMirror = article(1, { id: 'c'.repeat(24), sourceId: 'mirror', url: 'https://mirror.example/post', guid });
  await store.upsertArticles([{ article: viaFeed, dated: true }], t0);
  t.same(await store.upsertArticles([{ article: viaMirror, dated: true }], t0), { inserted: 0, updated: 0, unchanged: 1 });
  const both = await store.listArticles({ sourceIds: ['feed', 'mirror'], limit: 10 });
  t.equal(both.articles.length, 1, 'one entry in a feed that reads both sources');
  t.equal((await store.listArticles({ sourceIds: ['mirror'], limit: 10 })).articles[0]?.id, viaFeed.id, 'the mirror source lists the stored article');
  // A per-site counter is no global name: two sources' guid "7" are two articles.
  await store.upsertArticles([{ article: article(2, { id: 'd'.repeat(24), sourceId: 'feed', url: 'https://blog.example/7', guid: '7' }), dated: true }], t0);
  await store.upsertArticles([{ article: article(3, { id: 'e'.repeat(24), sourceId: 'mirror', url: 'https://other.example/7', guid: '7' }), dated: true }], t0);
  t.equal((await store.listArticles({ sourceIds: ['feed', 'mirror'], limit: 10 })).articles.length, 3);
});

t.test('articles by tag follow the tags an update gives them', async (t) => {
  const store = await openSqlite(join(dir, 'tags.db'));
  t.teardown(() => store.close());
  const a = article(1, { tags: [{ label: 'Almaty', slug: 'almaty' }] });
  await store.upsertArticles([{ article: a, dated: true }, { article: article(2), dated: true }], new Date('2026-01-01T00:00:00Z'));
  const byTag = async (tag: string) => (await store.listArticles({ sourceIds: ['src'], tag, limit: 10 })).articles.map((x) => x.id);
  t.same(await byTag('almaty'), [a.id]);
  await store.upsertArticles([{ article: { ...a, title: 'Changed', tags: [{ label: 'Astana', slug: 'astana' }] }, dated: true }], new Date('2026-01-02T00:00:00Z'));
  t.same(await byTag('almaty'), [], 'the old tag no longer lists it');
  t.same(await byTag('astana'), [a.id]);
  t.same((await store.listArticles({ sourceIds: ['other'], tag: 'astana', limit: 10 })).articles, [], 'still limited to the sources asked for');
});
