// Three real replica processes on one PostgreSQL and 200 sources on a loopback origin that counts
// requests, the schedule firing every 20 s: every fire fetches every source exactly once however
// many replicas there are; a replica SIGKILLed mid-fire loses its jobs to the others within the
// heartbeat window; nothing is stored twice; every replica serves the same bytes.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { startOrigin } from '../helpers/origin.ts';
import { startChild, rssFeed, type Child } from '../helpers/child.ts';
import { tempEnv } from '../helpers/service.ts';
import { pgSkip, sql, throwawaySchema } from '../helpers/postgres.ts';

t.setTimeout(240_000);

const N = 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = async (what: string, pred: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
};

t.test('three replicas share 200 sources', { skip: await pgSkip() }, async (t) => {
  const db = throwawaySchema('replicas');
  t.teardown(db.drop);

  let items = 3;
  let delayMs = 0;
  const routes: Record<string, (q: unknown, r: ServerResponse) => void> = {};
  for (let i = 0; i < N; i++) {
    routes[`/f/${i}/`] = (_q, res) => {
      const body = rssFeed(`s${i}`, items);
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body), delayMs);
    };
  }
  const origin = await startOrigin(routes);
  t.teardown(() => origin.close());
  const hits = (i: number) => origin.hits.get(`/f/${i}/`) ?? 0;
  const all = (pred: (n: number) => boolean) => Array.from({ length: N }, (_, i) => hits(i)).every(pred);
  const histogram = () => {
    const h: Record<number, number> = {};
    for (let i = 0; i < N; i++) h[hits(i)] = (h[hits(i)] ?? 0) + 1;
    return h;
  };

  const sources = Array.from({ length: N }, (_, i) => `  - {id: s${i}, url: "${origin.url}/f/${i}/", fullText: never}`).join('\n');
  const env = tempEnv({ k: `title: K\nlimit: 100\nsources:\n${sources}\n` }, { PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: db.url });
  t.teardown(env.cleanup);
  const config = join(env.dir, 'config.yaml');
  writeFileSync(
    config,
    [
      'schedule:',
      '  cron: "*/20 * * * * *"',
      '  runAtStart: true',
      'fetch:',
      '  perHostConcurrency: 64',
      'cluster:',
      '  concurrency: 20',
      '  heartbeatSeconds: 10',
      '  superviseIntervalSeconds: 1',
      '  retryDelaySeconds: 1',
      '  pollingIntervalSeconds: 1',
      'server:',
      '  shutdownTimeoutMs: 5000',
      '',
    ].join('\n'),
  );

  // Start just after a fire, so the start-up cycle has the whole interval to itself.
  while (new Date().getSeconds() % 20 !== 1) await sleep(100);
  const replicas: Child[] = [0, 1, 2].map(() => startChild(['src/main.ts'], { ...env.env, FEEDRELAY_CONFIG: config }));
  t.teardown(() => { replicas.forEach((r) => r.proc.exitCode === null && r.proc.kill('SIGKILL')); });
  const ports: number[] = [];
  for (const r of replicas) {
    await r.waitFor((l) => l['msg'] === 'feedrelay listening', 1, 60_000);
    const line = r.lines.find((l) => typeof l['msg'] === 'string' && /^Server listening at http:\/\/127\.0\.0\.1:/.test(l['msg']));
    if (!line) throw new Error('a replica logged no "Server listening" line');
    ports.push(Number(/:(\d+)$/.exec(line['msg'] as string)?.[1]));
  }

  // runAtStart on three replicas started together: each source fetched once.
  await until('the start-up cycle', () => all((n) => n >= 1), 30_000).catch(async (err: unknown) => {
    const missing = Array.from({ length: N }, (_, i) => i).filter((i) => hits(i) === 0).map((i) => `s${i}`);
    const j = await sql(`select singleton_key, state::text, retry_count, output, data from ${db.schema}_jobs.job where singleton_key = any($1)`, [missing]);
    t.comment(JSON.stringify({ missing, j }));
    t.comment(JSON.stringify(replicas.flatMap((r) => r.lines.filter((l) => l['msg'] === 'sources enqueued'))));
    const errors = replicas.flatMap((r) => r.lines.filter((l) => (l['level'] as number) >= 40).slice(0, 3));
    throw new Error(`${(err as Error).message}: hits ${JSON.stringify(histogram())}; ${JSON.stringify(errors).slice(0, 1500)}; ${replicas.map((r) => r.stderr().slice(0, 500)).join(' | ')}`);
  });
  await sleep(1500);
  t.same(histogram(), { 1: N }, 'start-up: every source fetched exactly once across three replicas');

  // The next fire: every replica enqueues, each source is fetched once more.
  await until('the next fire', () => all((n) => n >= 2), 30_000);
  await sleep(1500);
  t.same(histogram(), { 2: N }, 'a fire: every source fetched exactly once');
  const fetchedBy = replicas.map((r) => r.lines.filter((l) => l['msg'] === 'source fetched').length);
  t.ok(fetchedBy.every((n) => n > 0), `every replica worked the queue (${fetchedBy.join(', ')} fetches)`);
  t.equal(fetchedBy.reduce((a, b) => a + b, 0), 2 * N, 'fetches logged across replicas: one per source per fire');

  // The same bytes and validators from every replica, for every format.
  for (const path of ['/feeds/k.atom', '/feeds/k.rss', '/feeds/k.json', '/feeds/k.json?limit=7', '/']) {
    const answers = await Promise.all(ports.map(async (p) => {
      const res = await fetch(`http://127.0.0.1:${p}${path}`);
      return { status: res.status, etag: res.headers.get('etag'), body: Buffer.from(await res.arrayBuffer()) };
    }));
    t.equal(answers[0]!.status, 200, `${path} answers`);
    t.match(answers[0]!.etag, /^"[^"]+"$/, `${path}: carries a strong ETag to compare`);
    t.ok(answers.every((a) => a.body.equals(answers[0]!.body) && a.etag === answers[0]!.etag), `${path}: the same bytes and ETag from all three replicas`);
  }

  // A slow origin with one new post per source; SIGKILL a replica while it holds jobs mid-fetch.
  items = 4;
  delayMs = 1500;
  const beforeKill = Array.from({ length: N }, (_, i) => hits(i));
  await until('the slow fire to start', () => Array.from({ length: N }, (_, i) => hits(i) - beforeKill[i]!).filter((d) => d > 0).length >= 40, 30_000);
  await sleep(300);
  const victim = replicas[0]!;
  victim.proc.kill('SIGKILL');
  const killedAt = performance.now();
  await victim.exited;
  const rows = async () => (await sql<{ n: number }>(`select count(*)::int as n from ${db.schema}.articles`))[0]!.n;
  const deadline = Date.now() + 45_000;
  while ((await rows()) < 4 * N && Date.now() < deadline) await sleep(500);
  const tookMs = performance.now() - killedAt;
  t.equal(await rows(), 4 * N, `every source ingested by the others after the kill (${Math.round(tookMs / 1000)} s; heartbeat 10 s)`);
  const perSource = await sql<{ source_id: string; n: number }>(`select source_id, count(*)::int as n from ${db.schema}.articles group by source_id`);
  t.ok(perSource.length === N && perSource.every((r) => r.n === 4), 'four articles per source');
  const dup = await sql<{ n: number }>(`select count(*)::int as n from (select url from ${db.schema}.articles group by url having count(*) > 1) d`);
  t.equal(dup[0]!.n, 0, 'no article stored twice');
  const jobs = await sql<{ state: string; n: number; retried: number }>(
    `select state::text, count(*)::int as n, count(*) filter (where retry_count > 0)::int as retried from ${db.schema}_jobs.job where name like 'source-fetch%' group by state order by state`,
  );
  t.comment(`jobs: ${JSON.stringify(jobs)}`);
  t.ok(jobs.some((j) => j.state === 'completed' && j.retried > 0), 'the dead replica\'s jobs were taken by the others');
  t.notOk(jobs.some((j) => j.state === 'failed'), 'no job failed');

  // SIGTERM: the survivors stop taking jobs, finish what they hold, exit 0.
  for (const r of replicas.slice(1)) r.proc.kill('SIGTERM');
  for (const r of replicas.slice(1)) {
    const { code } = await r.exited;
    t.equal(code, 0, `a replica exits 0 on SIGTERM (${r.stderr().slice(0, 300)})`);
  }
  const left = await sql<{ n: number }>(`select count(*)::int as n from ${db.schema}_jobs.job where name = 'source-fetch' and state = 'active'`);
  t.equal(left[0]!.n, 0, 'no job left active by a clean shutdown');
});
