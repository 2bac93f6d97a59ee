// Retention on real stores (a SQLite file; PostgreSQL where it answers, required in CI): old
// articles go, each feed's `limit` newest stay, an article another source lists stays for it.
import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/port.ts';
import type { FeedDef, Source } from '../../src/model/feed.ts';
import { prune } from '../../src/retention/prune.ts';
import { testArticle } from '../helpers/articles.ts';
import { POSTGRES_URL, postgresAnswers } from '../helpers/postgres.ts';
import { inCI } from '../helpers/real-part.ts';
import { startOrigin } from '../helpers/origin.ts';
import { rssFeed } from '../helpers/child.ts';
import { startService, tempEnv } from '../helpers/service.ts';

const log = pino({ level: 'silent' });
const PG = POSTGRES_URL;

const source = (id: string): Source => ({ id, url: `https://${id}.example/feed`, tagRules: {} });
const feed = (id: string, sourceIds: string[], limit: number): FeedDef => ({ id, title: id, description: id, sourceIds, tags: {}, limit, maxTags: 10 });
/** Posts 1..10 of "src" (dated 2022-01-<n>, tagged), 3 of "other", and post 2 also listed by "other". */
async function seed(store: Store): Promise<void> {
  const now = new Date('2022-02-01T00:00:00Z');
  await store.upsertArticles(Array.from({ length: 10 }, (_, i) => ({ article: testArticle(i + 1, { tags: [{ label: 'T', slug: 't' }] }), dated: true })), now);
  await store.upsertArticles([11, 12, 13].map((n) => ({ article: testArticle(n, { sourceId: 'other' }, 'o'), dated: true })), now);
  await store.upsertArticles([{ article: testArticle(2, { sourceId: 'other' }), dated: true }], now);
}
const ids = async (store: Store, sourceId: string) => (await store.listArticles({ sourceIds: [sourceId], limit: 100 })).articles.map((a) => Number(a.id.slice(1)));

const stores: Array<[string, () => Promise<{ store: Store; done: () => Promise<void> }>]> = [
  [
    'sqlite',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'feedrelay-prune-'));
      const store = await openStore(`sqlite:${join(dir, 'x.db')}`);
      return {
        store,
        done: async () => {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  ],
];
const pgUp = await postgresAnswers();
if (!pgUp && inCI) t.fail(`no PostgreSQL at ${PG}; CI=true runs every test, so it must be installed (.ci/run installs it)`);
if (pgUp) {
  stores.push([
    'postgres',
    async () => {
      const schema = `feedrelay_prune_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
      const store = await openStore(`${PG}?schema=${schema}`);
      return {
        store,
        done: async () => {
          await store.close();
          const c = new pg.Client({ connectionString: PG });
          await c.connect();
          await c.query(`drop schema if exists ${schema} cascade`);
          await c.end();
        },
      };
    },
  ]);
} else if (process.env['CI']) {
  t.fail(`no PostgreSQL answers at ${PG}`);
}

for (const [name, open] of stores) {
  t.test(`${name}: older than the cutoff goes, past each feed's limit, shared articles stay`, async (t) => {
    const { store, done } = await open();
    t.teardown(done);
    await seed(store);
    const defs = { feeds: [feed('f1', ['src'], 3), feed('f2', ['other'], 5)], sources: [source('src'), source('other')] };
    // Cutoff 2022-01-08: posts 1..7 of src are older; 8..10 are its 3 newest anyway.
    const r = await prune(store, defs, 1, { log, now: new Date('2022-01-09T00:00:00Z') });
    t.equal(r.cutoff, '2022-01-08T00:00:00.000Z');
    t.equal(r.deleted, 6, 'posts 1, 3..7 deleted; post 2 stays for "other"');
    t.same(await ids(store, 'src'), [10, 9, 8]);
    t.same(await ids(store, 'other'), [13, 12, 11, 2], '"other" keeps the article it shares');
    t.equal(await store.countArticles(), 7);
    t.equal(await store.getArticle(testArticle(5).id), undefined);
    t.same((await store.listArticles({ sourceIds: ['src', 'other'], tag: 't', limit: 100 })).articles.map((a) => a.id.slice(1)).map(Number).sort((a, b) => a - b), [2, 8, 9, 10], 'tags of deleted articles went with them');
    // Nothing is older than the cutoff any more: a second run deletes nothing.
    t.equal((await prune(store, defs, 1, { log, now: new Date('2022-01-09T00:00:00Z') })).deleted, 0);
  });

  t.test(`${name}: a feed's limit keeps its newest however old; days 0 keeps all`, async (t) => {
    const { store, done } = await open();
    t.teardown(done);
    await seed(store);
    const defs = { feeds: [feed('f1', ['src'], 4), feed('wide', ['src'], 9), feed('f2', ['other'], 5)], sources: [source('src'), source('other')] };
    const later = new Date('2030-01-01T00:00:00Z');
    t.equal((await prune(store, defs, 0, { log, now: later })).deleted, 0, 'days 0: retention off');
    const r = await prune(store, defs, 30, { log, now: later });
    t.same(r.bySource, [{ sourceId: 'src', keep: 9, deleted: 1 }, { sourceId: 'other', keep: 5, deleted: 0 }], 'the widest feed over a source sets what it keeps');
    t.same(await ids(store, 'src'), [10, 9, 8, 7, 6, 5, 4, 3, 2]);
  });
}

t.test('the service prunes, counts it in metrics; `feedrelay prune` runs it at once', async (t) => {
  const origin = await startOrigin({ '/a.xml': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('alpha', 5)) });
  t.teardown(() => origin.close());
  // rssFeed's posts are from January 2024; a 1-day retention makes all of them old.
  const e = tempEnv({ k: `title: K\nlimit: 2\nsources:\n  - {id: alpha, url: "${origin.url}/a.xml"}\n` }, { FEEDRELAY_RETENTION_DAYS: '1' });
  t.teardown(e.cleanup);
  const service = await startService(e.env);
  await service.runner.run(service.sources, { force: true });
  t.equal(await service.store.countArticles(), 5);
  const r = await service.prune();
  t.equal(r.deleted, 3);
  const metrics = await service.app.inject('/metrics');
  t.match(metrics.body, /^feedrelay_articles_pruned_total 3$/m);
  t.equal((await service.app.inject('/feeds/k.json')).json<{ items: unknown[] }>().items.length, 2, 'the feed still has its limit');
  await service.stop();

  // The same through the command line, on a fresh fetch of the same origin.
  const e2 = tempEnv({ k: `title: K\nlimit: 4\nsources:\n  - {id: alpha, url: "${origin.url}/a.xml"}\n` }, { FEEDRELAY_RETENTION_DAYS: '1' });
  t.teardown(e2.cleanup);
  const run = (args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const c = spawn(process.execPath, ['bin/feedrelay.js', ...args], { env: { ...process.env, ...e2.env } });
      let stdout = '';
      let stderr = '';
      c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      c.on('close', (status) => {
        resolve({ status, stdout, stderr });
      });
    });
  t.equal((await run(['fetch'])).status, 0);
  const p = await run(['prune']);
  t.equal(p.status, 0, p.stderr);
  t.match(p.stdout, /^pruned 1 article older than 2\d{3}-\d\d-\d\dT[\d:.]+Z \(retention\.days 1\)$/m);
});
