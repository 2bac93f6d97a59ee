// WebSub pings in a cluster (issue 16): a ping is a pg-boss job written in the same transaction as
// the articles it announces, so it exists exactly when they were committed; any replica sends it;
// a hub that fails is retried by pg-boss with backoff; a write that rolls back leaves no job; a
// cycle that changes nothing pings nobody. Against the machine's PostgreSQL and a loopback hub.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config/load.ts';
import { createService } from '../../src/main.ts';
import { startOrigin } from '../helpers/origin.ts';
import { rssFeed } from '../helpers/child.ts';
import { tempEnv } from '../helpers/service.ts';
import { pgSkip, sql, throwawaySchema } from '../helpers/postgres.ts';
import { until } from '../helpers/wait.ts';
import { startHub } from '../helpers/hub.ts';


t.test('WebSub pings are jobs in the articles\' transaction', { skip: await pgSkip() }, async (t) => {
  const db = throwawaySchema('websub');
  t.teardown(db.drop);
  // The hub refuses the first two pings with 503, then takes everything.
  const pings: string[] = [];
  const hub = await startHub((n, _req, res, ping) => {
    if (n <= 2) return res.writeHead(503).end();
    pings.push(ping.fields['hub.topic']?.[0] ?? '');
    res.writeHead(204).end();
  });
  t.teardown(hub.close);
  const hubUrl = hub.url;

  let items = 2;
  const origin = await startOrigin({ '/feed': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('w', items)) });
  t.teardown(() => origin.close());
  const env = tempEnv({ w: `title: W\nsources:\n  - {id: w, url: "${origin.url}/feed"}\n` });
  t.teardown(env.cleanup);
  const overrides = join(env.dir, 'cluster.yaml');
  writeFileSync(overrides, 'cluster:\n  retryDelaySeconds: 1\n  pollingIntervalSeconds: 1\n  superviseIntervalSeconds: 1\n  retryLimit: 4\nwebsub:\n  retries: 0\n');
  const config = loadConfig({ env: { ...env.env, DATABASE_URL: db.url, FEEDRELAY_WEBSUB_HUBS: hubUrl, FEEDRELAY_CONFIG: overrides } });
  const service = await createService(config, pino({ level: 'silent' }), { cluster: true });
  t.teardown(() => service.stop(2000));
  t.ok(service.queue, 'cluster mode');
  const queue = service.queue;
  if (!queue) throw new Error('no cluster queue');
  await queue.work();
  const jobs = async (state?: string) =>
    (await sql<{ n: number }>(`select count(*)::int as n from ${db.schema}_jobs.job where name = 'task-websub'${state ? ` and state = '${state}'` : ''}`))[0]?.n ?? 0;

  await service.dispatch(service.sources, { due: new Date(), force: true, reason: 'refresh' });
  t.ok(await until(async () => (await service.store.listArticles({ sourceIds: ['w'], limit: 10 })).articles.length === 2, 20_000), 'the articles are stored');
  t.equal(await jobs(), 1, 'one ping job, written with them');
  const topics = ['atom', 'json', 'rss'].map((f) => `http://feeds.example.test/feeds/w.${f}`);
  // At least once: a retried job pings every topic again, the ones the hub took before included
  // (a publish ping is idempotent: the hub fetches the topic once more).
  t.ok(await until(() => topics.every((x) => pings.includes(x)), 30_000), `every topic pinged after the hub's failures (${pings.length} pings)`);
  t.same([...new Set(pings)].sort(), topics, 'only the changed feed\'s topics');
  t.ok(await until(async () => (await jobs('completed')) === 1, 10_000), 'the job completed after pg-boss retried it');
  const [job] = await sql<{ retry_count: number }>(`select retry_count from ${db.schema}_jobs.job where name = 'task-websub'`);
  t.ok((job?.retry_count ?? 0) >= 1, `retried ${job?.retry_count} time(s)`);

  // Nothing new: no job. A write that rolls back: no articles and no job either.
  await service.dispatch(service.sources, { due: new Date(), force: true, reason: 'refresh' });
  await new Promise((r) => setTimeout(r, 3000));
  t.equal(await jobs(), 1, 'a cycle that changed nothing writes no ping');
  items = 3;
  const off = service.store.onWrite(async () => {
    throw new Error('refused on purpose');
  });
  await service.dispatch(service.sources, { due: new Date(), force: true, reason: 'refresh' });
  t.ok(await until(async () => (await service.store.getSourceState('w'))?.lastErrorClass != null, 20_000), 'the source records the failed write');
  t.equal((await service.store.listArticles({ sourceIds: ['w'], limit: 10 })).articles.length, 2, 'the rolled-back write stored nothing');
  t.equal(await jobs(), 1, 'and wrote no ping');
  off();
  await service.dispatch(service.sources, { due: new Date(), force: true, reason: 'refresh' });
  const before = pings.length;
  t.ok(await until(async () => (await jobs()) === 2, 20_000), 'the retried write commits its ping with it');
  t.ok(await until(() => pings.length >= before + 3, 20_000), 'and it is sent');
});
