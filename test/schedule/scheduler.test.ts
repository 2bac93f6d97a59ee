// The schedule fires node-cron jobs (global or per source) and a cycle never overlaps itself.
import t from 'tap';
import { startOrigin } from '../helpers/origin.ts';
import { FEED_XML } from '../helpers/wordpress.ts';
import { tempEnv, startService } from '../helpers/service.ts';
import pino from 'pino';
import { Scheduler } from '../../src/schedule/scheduler.ts';

t.test('per-source schedules fire, slow fetches never overlap', async (t) => {
  let inFlight = 0;
  let maxInFlight = 0;
  const origin = await startOrigin({
    // Each fetch takes 1.5 s while the schedule fires every second.
    '/slow/': (_req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end(FEED_XML);
      }, 1500);
    },
    '/fast/': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(FEED_XML);
    },
  });
  t.teardown(() => origin.close());
  const env = tempEnv({
    k: `title: K\nsources:\n  - {id: slow, url: "${origin.url}/slow/", schedule: "* * * * * *"}\n  - {id: fast, url: "${origin.url}/fast/"}\n`,
  });
  t.teardown(env.cleanup);
  const service = await startService(env.env);
  // The global schedule (yearly) will not fire during the test; the per-source one fires every second.
  service.scheduler.start(service.sources, '0 0 1 1 *');
  await new Promise((r) => setTimeout(r, 4200));
  await service.stop();
  t.ok((origin.hits.get('/slow/') ?? 0) >= 2, `the per-source schedule fired (${origin.hits.get('/slow/')} fetches)`);
  t.equal(maxInFlight, 1, 'never two fetches of one source at once');
  t.equal(origin.hits.get('/fast/') ?? 0, 0, 'the global schedule has not fired');
});

t.test('a refresh asked during a cycle joins it instead of fetching again', async (t) => {
  const origin = await startOrigin({
    '/feed/': (_req, res) => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end(FEED_XML);
      }, 500);
    },
  });
  t.teardown(() => origin.close());
  const env = tempEnv({ k: `title: K\nsources:\n  - {id: s, url: "${origin.url}/feed/"}\n` });
  t.teardown(env.cleanup);
  const service = await startService(env.env);
  t.teardown(() => service.stop());
  const [a, b] = await Promise.all([
    service.runner.run(service.sources),
    service.app.inject({ method: 'POST', url: '/admin/refresh', headers: { authorization: 'Bearer test-token' } }),
  ]);
  t.equal(origin.hits.get('/feed/'), 1, 'one fetch');
  t.equal(a.sources[0]!.new, 1);
  t.equal(b.json<{ sources: Array<{ new: number }> }>().sources[0]?.new, 1, 'the refresh reports the same work');
});

t.test('admin routes do not exist without a token', async (t) => {
  const env = tempEnv({ k: `title: K\nsources:\n  - {id: s, url: "https://example.invalid/feed"}\n` }, { FEEDRELAY_ADMIN_TOKEN: '' });
  t.teardown(env.cleanup);
  const service = await startService(env.env);
  t.teardown(() => service.stop());
  const res = await service.app.inject({ method: 'POST', url: '/admin/refresh', headers: { authorization: 'Bearer anything' } });
  t.equal(res.statusCode, 404);
  t.equal((await service.app.inject({ url: '/admin/sources' })).statusCode, 404);
});

t.test('stop() waits for a scheduled job already running (a prune), so the store is not closed under it', async (t) => {
  const scheduler = new Scheduler(async () => Promise.resolve({ mode: 'local' as const, startedAt: new Date().toISOString(), durationMs: 0, sources: [] }), pino({ level: 'silent' }));
  const job = { started: false, finished: false };
  scheduler.every('* * * * * *', 'slow job', async () => {
    job.started = true;
    await new Promise((r) => setTimeout(r, 1200));
    job.finished = true;
  });
  const end = Date.now() + 5000;
  while (!job.started && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  t.ok(job.started, 'the job ran');
  await scheduler.stop();
  t.ok(job.finished, 'stop() resolved after the job finished');
});
