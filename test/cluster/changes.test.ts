// A replica hears within a second which articles another replica stored (LISTEN/NOTIFY), and
// when its LISTEN connection is cut, the version check and the reconnect say "everything".
import t from 'tap';
import pg from 'pg';
import pino from 'pino';
import { openPostgres } from '../../src/store/postgres.ts';
import { changeChannel, openChangeFeed, type Change } from '../../src/cluster/changes.ts';
import { testArticle } from '../helpers/articles.ts';
import { PG_URL, pgSkip, sql, throwawaySchema } from '../helpers/postgres.ts';
import { until as waitUntil } from '../helpers/wait.ts';

const until = (pred: () => boolean, ms: number) => waitUntil(pred, ms, 20);


t.test('changes across replicas', { skip: await pgSkip() }, async (t) => {
  const db = throwawaySchema('changes');
  t.teardown(db.drop);
  const writer = await openPostgres(db.url); // "another replica"
  t.teardown(() => writer.close());
  const feed = await openChangeFeed(db.url, { checkMs: 200, log: pino({ level: 'silent' }) });
  t.teardown(() => feed.close());
  // A second feed on the same schema installs the triggers again without harm.
  await (await openChangeFeed(db.url, { checkMs: 200, log: pino({ level: 'silent' }) })).close();
  const seen: Change[] = [];
  feed.subscribe((c) => seen.push(c));
  const ids = (): string[] => seen.flatMap((c) => ('articleIds' in c ? c.articleIds : []));

  const t0 = performance.now();
  await writer.upsertArticles([1, 2, 3].map((n) => ({ article: testArticle(n), dated: true })), new Date('2026-01-01T00:00:00Z'));
  t.ok(await until(() => ids().length >= 3, 1000), `heard within a second (${Math.round(performance.now() - t0)} ms)`);
  t.same(new Set(ids()), new Set([1, 2, 3].map((n) => testArticle(n).id)), 'exactly the articles written');

  seen.length = 0;
  await writer.upsertArticles([{ article: testArticle(1), dated: true }], new Date('2026-01-01T00:00:00Z'));
  await new Promise((r) => setTimeout(r, 300));
  t.same(seen, [], 'an unchanged upsert changes nothing');
  await writer.upsertArticles([{ article: testArticle(2, { title: 'Edited' }), dated: true }], new Date('2026-01-02T00:00:00Z'));
  t.ok(await until(() => ids().includes(testArticle(2).id), 1000), 'an edit is heard');

  // Cut the LISTEN connection: writes made meanwhile are caught by the version check (or the
  // reconnect), as "everything may have changed".
  seen.length = 0;
  await sql(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'feedrelay-changes ${db.schema}'`);
  t.ok(await until(() => !feed.listening, 2000), 'the feed knows it lost the connection');
  await writer.upsertArticles([{ article: testArticle(7), dated: true }], new Date('2026-01-01T00:00:00Z'));
  t.ok(await until(() => seen.some((c) => 'all' in c), 2000), 'a write while deaf is not missed');
  t.ok(await until(() => feed.listening, 3000), 'listening again');
  seen.length = 0;
  await writer.upsertArticles([{ article: testArticle(8), dated: true }], new Date('2026-01-01T00:00:00Z'));
  t.ok(await until(() => ids().includes(testArticle(8).id), 1000), 'notifications after the reconnect');
});

t.test('one notification per statement batch, however many rows', { skip: await pgSkip() }, async (t) => {
  const db = throwawaySchema('changes_batch');
  t.teardown(db.drop);
  const writer = await openPostgres(db.url);
  t.teardown(() => writer.close());
  const feed = await openChangeFeed(db.url, { checkMs: 200, log: pino({ level: 'silent' }) });
  t.teardown(() => feed.close());
  const seen: Change[] = [];
  feed.subscribe((c) => seen.push(c));
  // A raw listener counts what goes over the wire.
  const raw = new pg.Client({ connectionString: PG_URL });
  await raw.connect();
  t.teardown(() => raw.end());
  const payloads: string[] = [];
  raw.on('notification', (n) => payloads.push(n.payload ?? ''));
  await raw.query(`listen ${changeChannel(db.schema)}`);

  // 250 articles with tags: the articles, tags and source-link statements name the same ids, so
  // PostgreSQL folds them; 250 ids take two payloads of at most 200.
  const items = Array.from({ length: 250 }, (_, i) => ({ article: testArticle(i + 1, { tags: [{ label: 'A', slug: 'a' }] }), dated: true }));
  await writer.upsertArticles(items, new Date('2026-01-01T00:00:00Z'));
  const want = new Set(items.map((i) => i.article.id));
  t.ok(await until(() => seen.flatMap((c) => ('articleIds' in c ? c.articleIds : [])).length >= 250, 2000), 'every article heard');
  t.same(new Set(seen.flatMap((c) => ('articleIds' in c ? c.articleIds : []))), want, 'exactly the articles written');
  t.equal(payloads.length, 2, 'two notifications for 250 articles');
  t.ok(payloads.every((p) => Buffer.byteLength(p) < 8000), 'each under the payload limit');
  const { rows } = await raw.query<{ n: number }>(`select count(*)::int as n from ${db.schema}.article_changes`);
  t.equal(rows[0]!.n, 250, 'the version table has a row per article');

  // Deleting an article (its tags and source links go by cascade) is heard too.
  payloads.length = 0;
  seen.length = 0;
  await sql(`delete from ${db.schema}.articles where id = $1`, [items[0]!.article.id]);
  t.ok(await until(() => seen.length > 0, 1000), 'a delete is heard');
  t.same(seen.flatMap((c) => ('articleIds' in c ? c.articleIds : [])), [items[0]!.article.id]);
});
