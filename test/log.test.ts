// Request lines carry a request id and the route pattern; secrets never reach a log line; LOG_LEVEL
// sets the level. A real process, its real stdout.
import t from 'tap';
import { Writable } from 'node:stream';
import { startChild, rssFeed } from './helpers/child.ts';
import { startOrigin } from './helpers/origin.ts';
import { tempEnv } from './helpers/service.ts';
import { createLogger } from '../src/log.ts';
import { loadConfig } from '../src/config/load.ts';

const origin = await startOrigin({
  '/a.xml': (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('alpha', 2)),
});
t.teardown(() => origin.close());
const FEEDS = { k: `title: K\nsources:\n  - {id: alpha, url: "${origin.url}/a.xml"}\n` };

async function serveChild(t: { teardown(f: () => void): void }, env: Record<string, string>) {
  const child = startChild(['src/main.ts'], env);
  t.teardown(() => {
    child.proc.kill('SIGKILL');
  });
  await child.waitFor((l) => l['msg'] === 'feedrelay listening');
  return child;
}

t.test('request lines: request id, route pattern; tokens redacted', async (t) => {
  const e = tempEnv(FEEDS, { PORT: '0', LOG_LEVEL: 'debug', FEEDRELAY_ADMIN_TOKEN: 'admin-secret-4417', FEEDRELAY_METRICS_TOKEN: 'metrics-secret-9931' });
  t.teardown(e.cleanup);
  const child = await serveChild(t, e.env);
  const port = child.lines.find((l) => l['msg'] === 'feedrelay listening')?.['port'];
  if (typeof port !== 'number') throw new Error('no "feedrelay listening" line with a port');
  const base = `http://127.0.0.1:${port}`;
  const r1 = await fetch(`${base}/feeds/k.atom?utm=1`, { headers: { 'x-request-id': 'edge-abc-123' } });
  t.equal(r1.headers.get('x-request-id'), 'edge-abc-123', 'a proxy\'s request id is kept and echoed');
  const r2 = await fetch(`${base}/admin/sources`, { headers: { authorization: 'Bearer admin-secret-4417' } });
  t.equal(r2.status, 200);
  const r3 = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer metrics-secret-9931', 'x-request-id': 'bad id with spaces' } });
  t.equal(r3.status, 200);
  t.match(r3.headers.get('x-request-id'), /^[0-9a-f]{16}-[0-9a-z]+$/, 'an unusable request id is replaced');
  t.not(r3.headers.get('x-request-id'), r2.headers.get('x-request-id'), 'each made-up id is new');
  await child.waitFor((l) => l['msg'] === 'request completed' && l['route'] === '/admin/sources');

  const feedLine = child.lines.find((l) => l['msg'] === 'request completed' && l['route'] === '/feeds/:file');
  t.match(feedLine, { reqId: 'edge-abc-123', method: 'GET', statusCode: 200, route: '/feeds/:file' });
  t.ok(child.lines.some((l) => l['msg'] === 'effective config'), 'the config was logged at debug');
  const all = child.lines.map((l) => JSON.stringify(l)).join('\n') + child.stderr();
  t.notMatch(all, /admin-secret-4417/, 'admin token never logged');
  t.notMatch(all, /metrics-secret-9931/, 'metrics token never logged');
  t.notOk(child.lines.some((l) => l['route'] === '/metrics'), 'scrapes stay out of the info log');
});

t.test('LOG_LEVEL=warn drops request lines', async (t) => {
  const e = tempEnv(FEEDS, { LOG_LEVEL: 'warn' });
  t.teardown(e.cleanup);
  const port = 20000 + Math.floor(Math.random() * 20000);
  e.env['PORT'] = String(port);
  const child = startChild(['src/main.ts'], e.env);
  t.teardown(() => child.proc.kill('SIGKILL'));
  // No info line says it listens: poll until it answers.
  let ok = false;
  for (let i = 0; i < 100 && !ok; i++) {
    ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (!ok) await new Promise((r) => setTimeout(r, 100));
  }
  t.ok(ok, 'it serves');
  await fetch(`http://127.0.0.1:${port}/feeds/k.atom`);
  await new Promise((r) => setTimeout(r, 300));
  t.same(child.lines.filter((l) => Number(l['level']) < 40), [], 'nothing below warn');
});

t.test('a database password is redacted wherever the config is logged', async (t) => {
  const chunks: string[] = [];
  const sink = new Writable({
    write: (c: Buffer, _e, cb) => {
      chunks.push(c.toString());
      cb();
    },
  });
  const log = createLogger({ level: 'info', pretty: false }, sink);
  const config = loadConfig({ env: { DATABASE_URL: 'postgres://feedrelay:hunter2-pw@db.internal:5432/feeds', FEEDRELAY_ADMIN_TOKEN: 'tok-1', FEEDRELAY_METRICS_TOKEN: 'tok-2' } });
  log.info({ config }, 'effective config');
  log.info({ store: { url: config.store.url } }, 'store');
  log.info({ req: { headers: { authorization: 'Bearer tok-3', cookie: 'sid=tok-4' } } }, 'request');
  const out = chunks.join('');
  t.notMatch(out, /hunter2-pw|tok-1|tok-2|tok-3|tok-4/);
  t.match(out, /postgres:\/\/feedrelay:\[redacted\]@db\.internal:5432\/feeds/, 'the rest of the URL stays readable');
});

t.test('at info, successful reads log nothing; errors, writes and 304s follow the rule', async (t) => {
  const { createService } = await import('../src/main.ts');
  const e = tempEnv(FEEDS, { FEEDRELAY_ADMIN_TOKEN: 'admin-secret-4417' });
  t.teardown(e.cleanup);
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write: (c: Buffer, _e, cb) => {
      for (const l of c.toString().trim().split('\n')) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  const config = loadConfig({ env: e.env });
  const service = await createService(config, createLogger({ level: 'info', pretty: false }, sink));
  t.teardown(() => service.stop());
  const requestLines = () => lines.filter((l) => l['msg'] === 'request completed');
  const ok = await service.app.inject('/feeds/k.atom');
  t.equal(ok.statusCode, 200);
  t.equal((await service.app.inject({ url: '/feeds/k.atom', headers: { 'if-none-match': String(ok.headers['etag']) } })).statusCode, 304);
  t.same(requestLines(), [], 'a 200 and a 304 poll write no info line');
  await service.app.inject('/feeds/missing.atom');
  await service.app.inject({ method: 'POST', url: '/admin/refresh', headers: { authorization: 'Bearer admin-secret-4417' } });
  t.match(requestLines(), [
    { level: 30, statusCode: 404, route: '/feeds/:file', reqId: String },
    { level: 30, method: 'POST', route: '/admin/refresh' },
  ]);
});
