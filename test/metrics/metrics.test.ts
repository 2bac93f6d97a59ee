// /metrics read by Prometheus's own parser (promtool, from Debian's prometheus package), with
// figures that follow real fetches over loopback and real requests.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { startOrigin } from '../helpers/origin.ts';
import { rssFeed } from '../helpers/child.ts';
import { startService, tempEnv } from '../helpers/service.ts';

const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
if (promtool.error) {
  if (process.env['CI']) t.fail('promtool is not installed (apt-get install prometheus)');
  else t.comment('promtool is not installed (apt-get install prometheus); skipping');
}

const origin = await startOrigin({
  '/a.xml': (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('alpha', 3)),
});
t.teardown(() => origin.close());

/** promtool parses the text (a parse error fails) and lints it; the only lint it may report is on
 * three of prom-client's own default gauges, which it names with _total. */
function promtoolProblems(text: string): string[] {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  const lines = `${r.stdout}${r.stderr}`.split('\n').filter(Boolean);
  if (r.status !== 0 && lines.length === 0) return [`promtool exited ${r.status}`];
  return lines.filter((l) => !/^nodejs_active_(handles|requests|resources)_total non-counter metrics should not have "_total" suffix$/.test(l));
}

/** Parses the exposition text into name{labels} -> value, for asserting single figures. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

t.test('cycle and HTTP figures, parsed by promtool', { skip: !!promtool.error }, async (t) => {
  const e = tempEnv({
    k: `title: K\nsources:\n  - {id: alpha, url: "${origin.url}/a.xml"}\n  - {id: gone, url: "${origin.url}/missing.xml"}\n`,
  });
  t.teardown(e.cleanup);
  const service = await startService(e.env);
  t.teardown(() => service.stop());

  const cycle = await service.runner.run(service.sources, { force: true });
  t.same(cycle.sources.map((s) => s.outcome).sort(), ['failed', 'ok']);
  t.equal((await service.app.inject('/feeds/k.atom')).statusCode, 200);
  for (let i = 0; i < 3; i++) t.equal((await service.app.inject(`/feeds/k.json?x=${i}`)).statusCode, 200);
  t.equal((await service.app.inject('/no/such/path/' + 'x'.repeat(40))).statusCode, 404);
  t.equal((await service.app.inject('/articles/0123456789abcdef0123')).statusCode, 404);

  const res = await service.app.inject('/metrics');
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/);
  t.same(promtoolProblems(res.body), [], 'promtool check metrics');
  t.match(promtoolProblems('feedrelay_broken{route="x" 1\n').join(' '), /parsing error/, 'and promtool does reject a broken exposition');

  const m = samples(res.body);
  t.ok((m.get('process_resident_memory_bytes') ?? 0) > 0, 'process defaults');
  t.ok(m.has('nodejs_eventloop_lag_seconds'), 'node defaults');
  t.equal(m.get('feedrelay_fetches_total{source="alpha",outcome="ok"}'), 1);
  t.equal(m.get('feedrelay_fetches_total{source="gone",outcome="failed"}'), 1);
  t.equal(m.get('feedrelay_fetch_duration_seconds_count{outcome="ok"}'), 1);
  t.equal(m.get('feedrelay_fetched_bytes_total{source="alpha"}'), Buffer.byteLength(rssFeed('alpha', 3)));
  t.equal(m.get('feedrelay_articles_stored'), 3);
  t.equal(m.get('feedrelay_items_total{change="new"}'), 3);
  t.equal(m.get('feedrelay_cycle_items{change="new"}'), 3);
  t.equal(m.get('feedrelay_cycle_items{change="updated"}'), 0);
  t.equal(m.get('feedrelay_cycle_duration_seconds_count'), 1);
  const last = m.get('feedrelay_cycle_last_success_timestamp_seconds') ?? NaN;
  t.ok(Math.abs(last - Date.now() / 1000) < 60, 'last successful cycle is now');
  t.equal(m.get('feedrelay_http_requests_total{route="/feeds/:file",method="GET",status="200"}'), 4);
  t.equal(m.get('feedrelay_http_request_duration_seconds_count{route="/feeds/:file",method="GET"}'), 4);
  t.equal(m.get('feedrelay_http_requests_total{route="unmatched",method="GET",status="404"}'), 1);
  t.equal(m.get('feedrelay_http_requests_total{route="/articles/:id",method="GET",status="404"}'), 1);
  t.notMatch(res.body, /xxxxxxxx|0123456789abcdef0123|k\.json/, 'no raw URL or id in a label');

  // A second cycle: the origin answers the same, nothing is new.
  await service.runner.run(service.sources, { force: true });
  const again = samples((await service.app.inject('/metrics')).body);
  t.equal(again.get('feedrelay_cycle_items{change="new"}'), 0);
  t.equal(again.get('feedrelay_items_total{change="new"}'), 3);
  t.equal(again.get('feedrelay_cycles_total'), 2);
});

t.test('render-cache figures come from the callback the cache registers', { skip: !!promtool.error }, async (t) => {
  const e = tempEnv({ k: `title: K\nsources:\n  - {id: alpha, url: "${origin.url}/a.xml"}\n` });
  t.teardown(e.cleanup);
  const service = await startService(e.env);
  t.teardown(() => service.stop());
  const stats = { renders: 2, hits: 5, misses: 2, evictions: 0, bytes: 4096 };
  service.metrics.setRenderCacheStats(() => stats);
  let m = samples((await service.app.inject('/metrics')).body);
  t.equal(m.get('feedrelay_render_cache_hits_total'), 5);
  t.equal(m.get('feedrelay_render_cache_bytes'), 4096);
  Object.assign(stats, { renders: 3, hits: 9, misses: 3, evictions: 1, bytes: 1024 });
  const text = (await service.app.inject('/metrics')).body;
  m = samples(text);
  t.equal(m.get('feedrelay_renders_total'), 3);
  t.equal(m.get('feedrelay_render_cache_hits_total'), 9);
  t.equal(m.get('feedrelay_render_cache_misses_total'), 3);
  t.equal(m.get('feedrelay_render_cache_evictions_total'), 1);
  t.equal(m.get('feedrelay_render_cache_bytes'), 1024);
  t.same(promtoolProblems(text), []);
});

t.test('a metrics token is required when set; metrics can be turned off', async (t) => {
  const e = tempEnv({ k: `title: K\nsources:\n  - {id: alpha, url: "${origin.url}/a.xml"}\n` }, { FEEDRELAY_METRICS_TOKEN: 'scrape-secret' });
  t.teardown(e.cleanup);
  const service = await startService(e.env);
  t.teardown(() => service.stop());
  t.equal((await service.app.inject('/metrics')).statusCode, 401);
  t.equal((await service.app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode, 401);
  t.equal((await service.app.inject({ url: '/metrics', headers: { authorization: 'Bearer scrape-secret' } })).statusCode, 200);

  const off = tempEnv({ k: `title: K\nsources:\n  - {id: alpha, url: "${origin.url}/a.xml"}\n` }, { FEEDRELAY_METRICS_ENABLED: 'false' });
  t.teardown(off.cleanup);
  const quiet = await startService(off.env);
  t.teardown(() => quiet.stop());
  t.equal((await quiet.app.inject('/metrics')).statusCode, 404);
});
