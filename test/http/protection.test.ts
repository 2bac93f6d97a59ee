// Security headers, load shedding with Retry-After, and the optional rate limit.
import t from 'tap';
import { startOrigin } from '../helpers/origin.ts';
import { rssFeed } from '../helpers/child.ts';
import { startService, tempEnv } from '../helpers/service.ts';

const origin = await startOrigin({
  '/a.xml': (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('alpha', 2)),
});
t.teardown(() => origin.close());
const FEEDS = { k: `title: K\nsources:\n  - {id: alpha, url: "${origin.url}/a.xml"}\n` };

t.test('the HTML index: a CSP for a page with no script, nosniff, frame-ancestors, referrer policy', async (t) => {
  const e = tempEnv(FEEDS);
  t.teardown(e.cleanup);
  const service = await startService(e.env);
  t.teardown(() => service.stop());
  await service.runner.run(service.sources, { force: true });
  const res = await service.app.inject('/');
  t.equal(res.statusCode, 200);
  const csp = String(res.headers['content-security-policy']);
  t.match(csp, /default-src 'none'/);
  t.match(csp, /frame-ancestors 'none'/);
  t.notMatch(csp, /script-src/, 'no script source is opened');
  t.equal(res.headers['x-content-type-options'], 'nosniff');
  t.equal(res.headers['referrer-policy'], 'no-referrer');
  t.equal(res.headers['x-frame-options'], 'DENY');
  t.equal(res.headers['cross-origin-resource-policy'], 'same-origin');
  t.equal(res.headers['strict-transport-security'], undefined, 'HSTS is the TLS proxy\'s call');
  // The page needs only its inline <style> and images: nothing it uses is outside the policy.
  t.notMatch(res.body, /<script/i);
  t.match(res.body, /<style>/);

  for (const url of ['/feeds/k.atom', '/feeds/k.json', '/feeds/k', '/articles?feed=k', '/feeds.opml']) {
    const r = await service.app.inject(url);
    t.equal(r.statusCode, 200, url);
    t.match(String(r.headers['content-security-policy']), /default-src 'none'/, url);
    const head = await service.app.inject({ method: 'HEAD', url });
    t.equal(head.headers['x-frame-options'], 'DENY', `HEAD ${url}`);
    t.equal(r.headers['cross-origin-resource-policy'], 'cross-origin', `${url} may be read by other sites`);
    t.equal(r.headers['x-content-type-options'], 'nosniff', url);
  }
  // A 304 carries the validators, caching and CORS headers, and none of the security headers:
  // it has no content for them to govern, and a cache keeps those of the 200 it revalidates.
  const first = await service.app.inject('/feeds/k.atom');
  const revalidated = await service.app.inject({ url: '/feeds/k.atom', headers: { 'if-none-match': String(first.headers.etag) } });
  t.equal(revalidated.statusCode, 304);
  t.equal(revalidated.headers.etag, first.headers.etag);
  t.ok(revalidated.headers['cache-control'] && revalidated.headers.vary, 'Cache-Control and Vary repeated');
  t.equal(revalidated.headers['access-control-allow-origin'], '*', 'a script polling by hand can read its own 304');
  for (const h of ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'cross-origin-resource-policy']) t.equal(revalidated.headers[h], undefined, `no ${h} on a 304`);
  // RFC 9110 §15.4.5: with an ETag to go by, a 304 leaves out Last-Modified; the 200 has it.
  t.ok(first.headers['last-modified'], 'the 200 has Last-Modified');
  t.equal(revalidated.headers['last-modified'], undefined, 'the 304 does not');
  const index = await service.app.inject('/');
  const indexRevalidated = await service.app.inject({ url: '/', headers: { 'if-none-match': String(index.headers.etag) } });
  t.equal(indexRevalidated.statusCode, 304);
  t.equal(indexRevalidated.headers['content-security-policy'], undefined, 'no CSP on the index\'s 304');
  // Worked out once, set on every answer: errors and unknown paths too, those a feed route
  // refuses before it gets to its answer (a bad cursor, an unknown tag, a refused coding) included.
  for (const [url, status, headers] of [
    ['/nope', 404],
    ['/feeds/missing.atom', 404],
    ['/tags/nothing-tagged.atom', 404],
    ['/feeds/k.atom?after=bogus', 400],
    ['/feeds/k.atom', 406, { 'accept-encoding': 'identity;q=0, *;q=0' }],
  ] as const) {
    const r = await service.app.inject({ url, headers: headers ?? {} });
    t.equal(r.statusCode, status, url);
    t.equal(r.headers['x-content-type-options'], 'nosniff', url);
    t.equal(r.headers['cross-origin-resource-policy'], 'cross-origin', url);
    t.match(String(r.headers['content-security-policy']), /default-src 'none'/, url);
  }
});

t.test('an event loop blocked past the limit gets 503 with Retry-After; probes still answer', async (t) => {
  const e = tempEnv(FEEDS);
  t.teardown(e.cleanup);
  const { loadConfig } = await import('../../src/config/load.ts');
  const { createService } = await import('../../src/main.ts');
  const pino = (await import('pino')).default;
  const config = loadConfig({ env: e.env });
  config.protection.maxEventLoopDelayMs = 30;
  config.protection.retryAfterSeconds = 7;
  const service = await createService(config, pino({ level: 'silent' }));
  t.teardown(() => service.stop());
  // Saturate the loop (100 ms blocks) for longer than under-pressure's 1 s sampling window, so
  // its last sample sees nothing but lag.
  const end = Date.now() + 2200;
  while (Date.now() < end) {
    const block = Date.now() + 100;
    while (Date.now() < block);
    await new Promise((r) => setImmediate(r));
  }
  const res = await service.app.inject('/feeds/k.atom');
  t.equal(res.statusCode, 503);
  t.equal(res.headers['retry-after'], '7');
  t.match(res.json(), { error: { code: 'overloaded' } });
  t.equal((await service.app.inject('/healthz')).statusCode, 200, 'liveness is never shed');
});

t.test('rate limit: off by default; when on, only /articles and /admin are limited', async (t) => {
  const off = tempEnv(FEEDS);
  t.teardown(off.cleanup);
  const open = await startService(off.env);
  t.teardown(() => open.stop());
  for (let i = 0; i < 400; i++) {
    const r = await open.app.inject('/articles?feed=k');
    if (r.statusCode !== 200) return t.fail(`request ${i} got ${r.statusCode}`);
  }
  t.pass('400 requests, none limited');

  const e = tempEnv(FEEDS, { FEEDRELAY_RATE_LIMIT: 'true' });
  t.teardown(e.cleanup);
  const { loadConfig } = await import('../../src/config/load.ts');
  const { createService } = await import('../../src/main.ts');
  const pino = (await import('pino')).default;
  const config = loadConfig({ env: e.env });
  config.protection.rateLimit.max = 3;
  const service = await createService(config, pino({ level: 'silent' }));
  t.teardown(() => service.stop());
  const codes = [];
  for (let i = 0; i < 4; i++) codes.push((await service.app.inject('/articles?feed=k')).statusCode);
  t.same(codes, [200, 200, 200, 429]);
  const limited = await service.app.inject('/articles?feed=k');
  t.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After on a 429');
  const admin = await service.app.inject({ url: '/admin/sources', headers: { authorization: 'Bearer test-token' } });
  t.equal(admin.statusCode, 429, 'admin shares the client\'s count');
  t.match(limited.json(), { error: { message: /rate limit/i } });
  for (let i = 0; i < 10; i++) t.equal((await service.app.inject('/feeds/k.atom')).statusCode, 200, 'feeds are never limited');
  t.equal((await service.app.inject({ url: '/articles?feed=k', remoteAddress: '10.9.8.7' })).statusCode, 200, 'another client has its own count');
});
