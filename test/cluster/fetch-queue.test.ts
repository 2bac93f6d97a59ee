// The fetch queue's accounting with two "replicas" in one process on the local PostgreSQL: one job
// per source however many enqueue; a job no replica can run is retried, then dead-lettered; a
// cluster-wide task runs once per fire.
import t from 'tap';
import pino from 'pino';
import { FetchQueue, type ClusterSettings, type FetchQueueDeps } from '../../src/cluster/fetch-queue.ts';
import type { Source } from '../../src/model/feed.ts';
import type { SourceResult } from '../../src/model/cycle.ts';
import { pgSkip, sql, throwawaySchema } from '../helpers/postgres.ts';
import { until } from '../helpers/wait.ts';

const settings: ClusterSettings = { schema: '', concurrency: 2, heartbeatSeconds: 10, superviseIntervalSeconds: 1, retryLimit: 1, retryDelaySeconds: 1, maxConnections: 4, pollingIntervalSeconds: 1, freshSeconds: 60 };

t.test('fetch queue accounting', { skip: await pgSkip() }, async (t) => {
  const db = throwawaySchema('queue');
  t.teardown(db.drop);
  const sources: Source[] = ['a', 'b', 'c'].map((id) => ({ id, url: `https://${id}.example/feed`, tagRules: {} }));
  const ingested: string[] = [];
  const deps = (known: Source[]): FetchQueueDeps => ({
    source: (id) => known.find((s) => s.id === id),
    state: async () => undefined,
    ingest: async (s): Promise<SourceResult> => {
      ingested.push(s.id);
      return { sourceId: s.id, url: s.url, outcome: 'ok', seen: 0, new: 0, updated: 0, failed: 0, httpStatus: 200, bytes: 0, durationMs: 0 };
    },
    log: pino({ level: 'silent' }),
  });
  // Two replicas starting together; the second does not know source "c" (definitions differ).
  const [one, two] = await Promise.all([FetchQueue.open(db.url, settings, deps(sources)), FetchQueue.open(db.url, settings, deps(sources.slice(0, 2)))]);
  t.teardown(() => Promise.all([one.stop(1000), two.stop(1000)]));

  const due = new Date('2026-01-01T00:00:00Z');
  const [r1, r2] = [await one.enqueue(sources, { due, reason: 'schedule' }), await two.enqueue(sources, { due, reason: 'schedule' })];
  t.same(r1, { queued: ['a', 'b', 'c'], alreadyQueued: [] });
  t.same(r2, { queued: [], alreadyQueued: ['a', 'b', 'c'] }, 'the second replica\'s enqueue lands on the same jobs');

  // Only the second replica works the queue: it cannot run "c", which is retried, then dead-lettered.
  await two.work();
  t.ok(await until(() => ingested.length >= 2, 10_000), 'a and b fetched');
  const dead = async () => (await sql<{ n: number }>(`select count(*)::int as n from ${db.schema}_jobs.job where name = 'source-fetch-dead'`))[0]!.n;
  t.ok(await until(async () => (await dead()) === 1, 15_000), 'the job no replica could run is in the dead-letter queue');
  const [c] = await sql<{ state: string; retry_count: number }>(`select state::text, retry_count from ${db.schema}_jobs.job where name = 'source-fetch' and singleton_key = 'c'`);
  t.same(c, { state: 'failed', retry_count: 1 }, 'after its one retry');
  t.same(ingested.sort(), ['a', 'b'], 'each fetched once');

  // A cluster-wide task: both replicas ask for the fire, it runs once, and not again later.
  let runs = 0;
  await Promise.all([one.defineTask('retention', async () => { runs++; }), two.defineTask('retention', async () => { runs++; })]);
  const asked = await Promise.all([one.runOnce('retention', due), two.runOnce('retention', due)]);
  t.same(asked.filter(Boolean).length, 1, 'one replica created the job');
  t.ok(await until(() => runs === 1, 10_000), 'it ran');
  t.equal(await one.runOnce('retention', due), false, 'asking again for the same fire after it ran does nothing');
  t.equal(await two.runOnce('retention', new Date(due.getTime() + 86_400_000)), true, 'the next fire is a new job');
  t.ok(await until(() => runs === 2, 10_000));
});
