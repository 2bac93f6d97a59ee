// The process lifecycle with a real child process: SIGTERM in the middle of a slow fetch, and
// kill -9 in the middle of an ingest cycle.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { startOrigin } from './helpers/origin.ts';
import { startChild, rssFeed } from './helpers/child.ts';
import { tempEnv } from './helpers/service.ts';

const fetched = (id: string) => (l: Record<string, unknown>) => l['msg'] === 'source fetched' && l['source'] === id;

t.test('SIGTERM during a slow fetch: exits 0 by the deadline, store clean', async (t) => {
  const seen = { slow: false }; // set by the origin, read by the wait below
  const origin = await startOrigin({
    '/fast/': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('fast', 4)),
    '/slow/': () => {
      seen.slow = true; // never answers
    },
  });
  t.teardown(() => origin.close());
  const env = tempEnv({ k: `title: K\nsources:\n  - {id: fast, url: "${origin.url}/fast/"}\n  - {id: slow, url: "${origin.url}/slow/"}\n` }, { PORT: '0', LOG_LEVEL: 'info' });
  t.teardown(env.cleanup);
  writeFileSync(join(env.dir, 'config.yaml'), 'server:\n  shutdownTimeoutMs: 1000\nfetch:\n  headersTimeoutMs: 60000\n');
  const child = startChild(['src/main.ts'], { ...env.env, FEEDRELAY_CONFIG: join(env.dir, 'config.yaml') });
  await child.waitFor(fetched('fast'));
  while (!seen.slow) await new Promise((r) => setTimeout(r, 50));
  const sent = performance.now();
  child.proc.kill('SIGTERM');
  const { code, at } = await child.exited;
  const took = at - sent;
  t.equal(code, 0, `exit code 0 (stderr: ${child.stderr()})`);
  t.ok(took < 4000, `stopped in ${Math.round(took)} ms with a 1000 ms deadline`);
  t.ok(child.lines.some((l) => l['msg'] === 'fetches still running at the shutdown deadline; aborting them'));
  const db = new Sqlite(env.dbPath, { readonly: true });
  t.teardown(() => db.close());
  t.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  t.equal((db.prepare("select count(*) as n from articles where source_id = 'fast'").get() as { n: number }).n, 4, 'everything written before the signal is there');
  const slow = db.prepare("select consecutive_failures, last_error_class from sources where id = 'slow'").get() as { consecutive_failures: number; last_error_class: string };
  t.equal(slow.consecutive_failures, 1, 'the aborted fetch is recorded as a failure');
});

t.test('a second signal exits at once', async (t) => {
  const origin = await startOrigin({ '/slow/': () => undefined });
  t.teardown(() => origin.close());
  const env = tempEnv({ k: `title: K\nsources:\n  - {id: slow, url: "${origin.url}/slow/"}\n` }, { PORT: '0', LOG_LEVEL: 'info' });
  t.teardown(env.cleanup);
  const child = startChild(['src/main.ts'], env.env); // default 10 s deadline
  await child.waitFor((l) => l['msg'] === 'feedrelay listening');
  while (!origin.hits.get('/slow/')) await new Promise((r) => setTimeout(r, 50));
  child.proc.kill('SIGTERM');
  await child.waitFor((l) => l['msg'] === 'shutting down');
  const sent = performance.now();
  child.proc.kill('SIGINT');
  const { code, at } = await child.exited;
  t.equal(code, 1);
  t.ok(at - sent < 2000, `exited ${Math.round(at - sent)} ms after the second signal`);
});

t.test('kill -9 mid-cycle loses nothing committed and leaves no half-written source', async (t) => {
  const N = 30;
  const routes: Record<string, (q: unknown, r: import('node:http').ServerResponse) => void> = {};
  for (let i = 0; i < N; i++) {
    routes[`/f/${i}/`] = (_q, res) => setTimeout(() => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed(`s${i}`, 5)), 150);
  }
  const origin = await startOrigin(routes);
  t.teardown(() => origin.close());
  const sources = Array.from({ length: N }, (_, i) => `  - {id: s${i}, url: "${origin.url}/f/${i}/"}`).join('\n');
  const env = tempEnv({ k: `title: K\nlimit: 500\nsources:\n${sources}\n` }, { PORT: '0', LOG_LEVEL: 'info' });
  t.teardown(env.cleanup);
  const child = startChild(['src/main.ts'], env.env);
  await child.waitFor((l) => l['msg'] === 'source fetched', 8);
  child.proc.kill('SIGKILL');
  await child.exited;

  const db = new Sqlite(env.dbPath);
  t.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  const counts = db.prepare('select source_id, count(*) as n from articles group by source_id').all() as Array<{ n: number }>;
  t.ok(counts.length >= 8, `${counts.length} sources committed before the kill`);
  t.ok(counts.length < N, 'the kill came mid-cycle');
  t.ok(counts.every((c) => c.n === 5), 'every source is all or nothing');
  db.close();

  // The next cycle completes the interrupted work.
  const again = startChild(['bin/feedrelay.js', 'fetch'], env.env);
  const { code } = await again.exited;
  t.equal(code, 0, again.stderr());
  const after = new Sqlite(env.dbPath, { readonly: true });
  t.equal((after.prepare('select count(*) as n from articles').get() as { n: number }).n, N * 5);
  after.close();
});
