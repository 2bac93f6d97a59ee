// upsertArticles writes a source's batch in a few statements; what it stores and reports must be
// what writing the same items one call at a time gives. Each scenario runs on a real SQLite file
// and, where a server answers, on a real PostgreSQL, against a twin store fed item by item.
import t, { type Test } from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, type LogEvent } from 'kysely';
import { openSqlite } from '../../src/store/sqlite.ts';
import { openPostgres } from '../../src/store/postgres.ts';
import { KyselyStore } from '../../src/store/kysely-store.ts';
import { migrate } from '../../src/store/migrations.ts';
import type { Database } from '../../src/store/schema.ts';
import type { ArticleChange, UpsertItem, UpsertResult } from '../../src/store/port.ts';
import type { Article } from '../../src/model/article.ts';
import { testArticle } from '../helpers/articles.ts';
import { withRealPart } from '../helpers/real-part.ts';
import { postgresAnswers, throwawaySchema } from '../helpers/postgres.ts';

const dir = mkdtempSync(join(tmpdir(), 'feedrelay-batch-'));
const t0 = new Date('2026-01-01T00:00:00Z');
const t1 = new Date('2026-01-02T00:00:00Z');
const article = (n: number, over: Partial<Article> = {}) => testArticle(n, { tags: [{ label: `Tag ${n}`, slug: `tag-${n}` }], ...over });
const dated = (a: Article): UpsertItem => ({ article: a, dated: true });

interface Opener {
  open(name: string): Promise<KyselyStore>;
  /** A store whose every query is counted into `count.n`. */
  counted(name: string, count: { n: number }): Promise<KyselyStore>;
}

/** Two empty stores, `<name>-a` and `<name>-b`, closed when `t` ends. */
async function twinStores(t: Test, opener: Opener, name: string): Promise<[KyselyStore, KyselyStore]> {
  const [a, b] = await Promise.all([opener.open(`${name}-a`), opener.open(`${name}-b`)]);
  t.teardown(async () => {
    await a.close();
    await b.close();
  });
  return [a, b];
}

/** Everything a store holds, in a fixed order, to compare two stores row for row. */
async function dump(s: KyselyStore) {
  return {
    articles: await s.db.selectFrom('articles').selectAll().orderBy('id').execute(),
    tags: await s.db.selectFrom('article_tags').selectAll().orderBy('article_id').orderBy('slug').execute(),
    links: await s.db.selectFrom('article_sources').selectAll().orderBy('article_id').orderBy('source_id').execute(),
  };
}

/** Writes `seed` then `batch` into `batched` as a call each, and into `single` `per` items a call. */
async function twins(t: Test, batched: KyselyStore, single: KyselyStore, seed: UpsertItem[], batch: UpsertItem[], per = 1): Promise<{ result: UpsertResult; changes: ArticleChange[] }> {
  const calls = (items: UpsertItem[]) => Array.from({ length: Math.ceil(items.length / per) }, (_, i) => items.slice(i * per, (i + 1) * per));
  await batched.upsertArticles(seed, t0);
  for (const part of calls(seed)) await single.upsertArticles(part, t0);
  const heard: ArticleChange[][] = [[], []];
  batched.onArticlesChanged((c) => heard[0]?.push(...c));
  single.onArticlesChanged((c) => heard[1]?.push(...c));
  const result = await batched.upsertArticles(batch, t1);
  const sum: UpsertResult = { inserted: 0, updated: 0, unchanged: 0 };
  for (const part of calls(batch)) {
    const r = await single.upsertArticles(part, t1);
    sum.inserted += r.inserted;
    sum.updated += r.updated;
    sum.unchanged += r.unchanged;
  }
  t.same(result, sum, 'the batch reports what item by item reports');
  t.same(heard[0], heard[1], 'the same changes, in item order');
  t.same(await dump(batched), await dump(single), 'the same rows');
  return { result, changes: heard[0] ?? [] };
}

function scenarios(opener: Opener) {
  return async (t: Test) => {
    await t.test('inserts, updates, unchanged, a guid another source stored, a foreign article', async (t) => {
      const [a, b] = await twinStores(t, opener, 'mixed');
      const guid7 = 'https://blog.example/?p=7';
      const seed = [
        ...[1, 2, 3, 4].map((n) => dated(article(n))),
        dated(article(7, { sourceId: 'feed', guid: guid7, url: 'https://blog.example/7' })),
        dated(article(8, { sourceId: 'other' })),
      ];
      const batch: UpsertItem[] = [
        dated(article(1)),
        dated(article(2, { title: 'Retitled', tags: [{ label: 'New', slug: 'new' }] })),
        // Undated: keeps the stored date, and that it was stated, though this version says neither.
        { article: article(3, { title: 'Undated now', publishedAt: t1.toISOString(), publishedAtStated: false }), dated: false },
        dated(article(4, { contentHtml: '<p>Corrected</p>', tags: [] })),
        // Two tags with one slug: the first label stays, as item by item.
        dated(article(20, { tags: [{ label: 'Almaty', slug: 'almaty' }, { label: 'ALMATY', slug: 'almaty' }] })),
        dated(article(21)),
        dated(article(22, { id: 'z'.repeat(24), guid: guid7, url: 'https://mirror.example/7' })),
        dated(article(8, { title: 'Not ours to change' })),
      ];
      const { result, changes } = await twins(t, a, b, seed, batch);
      t.same(result, { inserted: 2, updated: 3, unchanged: 3 });
      t.same(changes.map((c) => [c.kind, c.article.id]), [
        ['updated', article(2).id],
        ['updated', article(3).id],
        ['updated', article(4).id],
        ['inserted', article(20).id],
        ['inserted', article(21).id],
        ['linked', article(7).id],
        ['linked', article(8).id],
      ]);
      const three = await a.getArticle(article(3).id);
      t.equal(three?.publishedAt, article(3).publishedAt, 'undated: the stored date stays');
      t.equal(three?.publishedAtStated, true, 'undated: still a stated date');
      t.equal(three?.title, 'Undated now');
      t.equal((await a.getArticle(article(8).id))?.title, 'Post 8', "another source's article is listed, not overwritten");
      t.same((await a.getArticle(article(20).id))?.tags.length, 2, 'the article keeps the tags it came with');
      const listed = async (tag: string) => (await a.listArticles({ sourceIds: ['src'], tag, limit: 10 })).articles.map((x) => x.id);
      t.same(await listed('almaty'), [article(20).id]);
      t.same(await listed('tag-2'), [], 'an update drops the tags it no longer has');
      t.same(await listed('new'), [article(2).id]);
      t.same(await listed('tag-7'), [article(7).id], 'the guid match is listed under src');
    });

    await t.test('a batch that names one article twice goes item by item', async (t) => {
      const [a, b] = await twinStores(t, opener, 'dup');
      const guid = 'https://blog.example/?p=30';
      const second = article(30, { guid, title: 'Second version' });
      const batch: UpsertItem[] = [
        dated(article(30, { guid })),
        dated(article(1)),
        dated(second),
        dated(article(2, { title: 'Changed' })),
        // Another URL, the same global guid: the article the first item inserted, same content.
        dated({ ...second, id: 'y'.repeat(24), url: 'https://mirror.example/30' }),
        dated(article(31)),
      ];
      const { result } = await twins(t, a, b, [dated(article(1)), dated(article(2))], batch);
      t.same(result, { inserted: 2, updated: 2, unchanged: 2 });
      t.equal((await a.getArticle(article(30).id))?.title, 'Second version', 'the later item wins');
      t.equal(await a.getArticle('y'.repeat(24)), undefined, 'stored once');
    });

    await t.test('a batch larger than one statement binds', async (t) => {
      const [a, b] = await twinStores(t, opener, 'big');
      // 5,000 articles × 9 columns, 4,500 updates × 7 and 15,000 tags × 3 each exceed the
      // parameters one statement binds; the twin takes them 250 a call, within one statement.
      const tags = (n: number) => [1, 2, 3].map((k) => ({ label: `T${k}`, slug: `t${(n + k) % 7}` }));
      const big = Array.from({ length: 5000 }, (_, i) => article(100 + i, { tags: tags(i) }));
      const changed = big.map((x, i) => (i % 10 === 0 ? dated(x) : dated({ ...x, title: `${x.title} again` })));
      const { result } = await twins(t, a, b, big.map(dated), [...changed, dated(article(9000))], 250);
      t.same(result, { inserted: 1, updated: 4500, unchanged: 500 });
      t.equal(await a.countArticles(), 5001);
    });

    await t.test('statements per batch do not grow with the batch', async (t) => {
      const count = { n: 0 };
      const s = await opener.counted('count', count);
      t.teardown(() => s.close());
      const cost = async (items: UpsertItem[]) => {
        count.n = 0;
        await s.upsertArticles(items, t1);
        return count.n;
      };
      const guid = (n: number) => `https://blog.example/?p=${n}`;
      const ten = Array.from({ length: 10 }, (_, i) => article(i + 1, { guid: guid(i + 1) }));
      const hundred = Array.from({ length: 100 }, (_, i) => article(i + 101, { guid: guid(i + 101) }));
      const new10 = await cost(ten.map(dated));
      // Counts include begin and commit.
      t.ok(new10 <= 7, `10 new articles: ${new10} statements`);
      t.equal(await cost(hundred.map(dated)), new10, '100 new articles: as many');
      const mixed = (xs: Article[]) => xs.map((x, i) => (i % 2 ? dated(x) : { article: { ...x, title: 'Changed' }, dated: false }));
      const update10 = await cost(mixed(ten));
      t.ok(update10 <= 8, `10 updated or unchanged: ${update10} statements`);
      t.equal(await cost(mixed(hundred)), update10, '100 updated or unchanged: as many');
    });
  };
}

const counter = (count: { n: number }) => (e: LogEvent) => {
  if (e.level === 'query') count.n++;
};

// Asked before the SQLite part runs: its synchronous writes would hold up the connect's timer.
const up = await postgresAnswers();

t.test(
  'SQLite',
  scenarios({
    open: (name) => openSqlite(join(dir, `${name}.db`)),
    async counted(name, count) {
      const raw = new Sqlite(join(dir, `${name}.db`));
      raw.pragma('foreign_keys = ON');
      const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }), log: counter(count) });
      await migrate(db as Kysely<unknown>);
      return new KyselyStore(db);
    },
  }),
);

withRealPart('PostgreSQL', up, 'no PostgreSQL to test against', async (t) => {
  const made: Array<() => Promise<void>> = [];
  t.teardown(async () => {
    for (const drop of made) await drop();
  });
  const fresh = (name: string) => {
    const s = throwawaySchema(`batch_${name.replace(/-/g, '_')}`);
    made.push(s.drop);
    return s;
  };
  await scenarios({
    open: (name) => openPostgres(fresh(name).url),
    async counted(name, count) {
      const s = fresh(name);
      // The migrations first, through the store's own opener; then a counting Kysely over the schema.
      await (await openPostgres(s.url)).close();
      const pool = new pg.Pool({ connectionString: s.url.replace(/\?schema=.*$/, ''), options: `-c search_path=${s.schema}`, max: 2 });
      return new KyselyStore(new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: counter(count) }));
    },
  })(t);
});
