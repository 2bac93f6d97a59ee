// Serving feeds the way a CDN in front of an origin expects: validators, 304s, HEAD, codings made
// once, negotiation, CORS, and renders that change exactly when what they show changes.
import t, { type Test } from 'tap';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startOrigin } from '../helpers/origin.ts';
import { rssFeed } from '../helpers/child.ts';
import { tempEnv, startService } from '../helpers/service.ts';

/** Two feeds over two loopback sources; `count` says how many posts each source serves now. */
async function twoFeeds(t: Test) {
  const count = { p: 3, q: 3 };
  const origin = await startOrigin({
    '/p/': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('p', count.p)),
    '/q/': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('q', count.q)),
  });
  t.teardown(() => origin.close());
  const env = tempEnv({
    a: `title: A\ntags: {Pea: ["of p"]}\nsources:\n  - {id: p, url: "${origin.url}/p/"}\n`,
    b: `title: B\ntags: {Queue: ["of q"]}\nsources:\n  - {id: q, url: "${origin.url}/q/"}\n`,
  });
  t.teardown(env.cleanup);
  const service = await startService(env.env);
  t.teardown(() => service.stop());
  await service.runner.run(service.sources);
  const get = (url: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET') => service.app.inject({ method, url, headers });
  return { service, count, get };
}

t.test('a 200 carries its validators, freshness, Vary and CORS headers', async (t) => {
  const { get } = await twoFeeds(t);
  const res = await get('/feeds/a.atom');
  t.equal(res.statusCode, 200);
  t.match(res.headers['etag'], /^"[\w-]{27}"$/, 'a strong ETag');
  // Newest updatedAt among the entries: the rssFeed posts are dated 1..3 Jan 2024, 10:00 UTC.
  t.equal(res.headers['last-modified'], 'Wed, 03 Jan 2024 10:00:00 GMT');
  const maxAge = Number(/^public, max-age=(\d+), stale-if-error=\d+$/.exec(String(res.headers['cache-control']))?.[1]);
  // The default schedule is */30: the next fetch is at most 30 minutes away.
  t.ok(maxAge >= 60 && maxAge <= 1800, `max-age ${maxAge} is the time to the next fetch, within 60..1800`);
  t.equal(res.headers['vary'], 'Accept-Encoding');
  t.equal(res.headers['content-length'], String(Buffer.byteLength(res.body)));
  t.notOk(res.headers['content-encoding'], 'identity when Accept-Encoding is absent');
  t.equal(res.headers['access-control-allow-origin'], '*');
  t.same(String(res.headers['access-control-expose-headers']).split(/,\s*/).sort(), ['ETag', 'Last-Modified', 'Link']);
  const again = await get('/feeds/a.atom');
  t.equal(again.headers['etag'], res.headers['etag'], 'the same bytes, the same tag');
  t.equal(again.body, res.body);
});

t.test('If-None-Match: exact, weak, lists and * answer 304; a miss answers 200; it decides alone', async (t) => {
  const { get } = await twoFeeds(t);
  const first = await get('/feeds/a.atom');
  const etag = String(first.headers['etag']);
  for (const inm of [etag, `W/${etag}`, `"nope", ${etag}`, `"x",W/${etag} , "y"`, '*']) {
    const res = await get('/feeds/a.atom', { 'if-none-match': inm });
    t.equal(res.statusCode, 304, `If-None-Match: ${inm}`);
    t.equal(res.body, '', 'no body');
    t.equal(res.headers['etag'], etag, 'repeats the ETag');
    t.equal(res.headers['cache-control'], first.headers['cache-control'], 'repeats Cache-Control');
    t.equal(res.headers['vary'], 'Accept-Encoding', 'repeats Vary');
  }
  const miss = await get('/feeds/a.atom', { 'if-none-match': '"other", W/"another"' });
  t.equal(miss.statusCode, 200);
  t.equal(miss.body, first.body);
  // A date that alone would give 304 does not, when If-None-Match is present and does not match.
  const both = await get('/feeds/a.atom', { 'if-none-match': '"other"', 'if-modified-since': new Date().toUTCString() });
  t.equal(both.statusCode, 200, 'If-None-Match decides alone');
  const bothMatch = await get('/feeds/a.atom', { 'if-none-match': etag, 'if-modified-since': 'Mon, 01 Jan 2001 00:00:00 GMT' });
  t.equal(bothMatch.statusCode, 304, 'a matching If-None-Match wins over an old If-Modified-Since');
});

t.test('If-Modified-Since: at or after Last-Modified is 304; before, garbage or future is 200', async (t) => {
  const { get } = await twoFeeds(t);
  const lm = String((await get('/feeds/a.rss')).headers['last-modified']);
  t.equal((await get('/feeds/a.rss', { 'if-modified-since': lm })).statusCode, 304, 'the same date');
  t.equal((await get('/feeds/a.rss', { 'if-modified-since': new Date(Date.parse(lm) + 60_000).toUTCString() })).statusCode, 304, 'a later date');
  t.equal((await get('/feeds/a.rss', { 'if-modified-since': new Date(Date.parse(lm) - 1000).toUTCString() })).statusCode, 200, 'one second earlier');
  t.equal((await get('/feeds/a.rss', { 'if-modified-since': 'yesterday-ish' })).statusCode, 200, 'an unparseable date is ignored');
  t.equal((await get('/feeds/a.rss', { 'if-modified-since': new Date(Date.now() + 86_400_000).toUTCString() })).statusCode, 200, 'a date in the future is ignored');
});

t.test('HEAD answers every feed route with the GET headers and Content-Length, no body', async (t) => {
  const { get } = await twoFeeds(t);
  for (const url of ['/feeds/a.atom', '/feeds/a.rss', '/feeds/a.json', '/feeds/a', '/tags/pea.json', '/articles?feed=a', '/', '/feeds.opml']) {
    for (const enc of [undefined, 'gzip', 'br']) {
      const h: Record<string, string> = enc ? { 'accept-encoding': enc } : {};
      const g = await get(url, h);
      const head = await get(url, h, 'HEAD');
      t.equal(head.statusCode, 200, `HEAD ${url} ${enc ?? ''}`);
      t.equal(head.body, '');
      for (const name of ['etag', 'last-modified', 'cache-control', 'vary', 'content-type', 'content-length', 'content-encoding']) {
        t.equal(head.headers[name], g.headers[name], `HEAD ${url} ${enc ?? 'identity'}: ${name}`);
      }
      t.equal((await get(url, { ...h, 'if-none-match': String(g.headers['etag']) }, 'HEAD')).statusCode, 304, `conditional HEAD ${url}`);
    }
  }
});

t.test('gzip and brotli bodies decode to the identity bytes, each under its own strong ETag', async (t) => {
  const { get } = await twoFeeds(t);
  const plain = await get('/feeds/a.json');
  const gz = await get('/feeds/a.json', { 'accept-encoding': 'gzip' });
  const br = await get('/feeds/a.json', { 'accept-encoding': 'br' });
  t.equal(gz.headers['content-encoding'], 'gzip');
  t.equal(br.headers['content-encoding'], 'br');
  t.equal(gunzipSync(gz.rawPayload).toString(), plain.body);
  t.equal(brotliDecompressSync(br.rawPayload).toString(), plain.body);
  t.equal(gz.headers['content-length'], String(gz.rawPayload.length));
  const tags = [plain, gz, br].map((r) => String(r.headers['etag']));
  t.equal(new Set(tags).size, 3, 'three codings, three tags');
  for (const r of [gz, br]) t.match(r.headers['etag'], /^"[\w-]+"$/, 'strong, not W/');
  t.equal((await get('/feeds/a.json', { 'accept-encoding': 'gzip', 'if-none-match': tags[1]! })).statusCode, 304, 'gzip tag answers 304 for gzip');
  t.equal((await get('/feeds/a.json', { 'accept-encoding': 'gzip', 'if-none-match': tags[0]! })).statusCode, 200, 'the identity tag does not validate the gzip bytes');
  t.equal((await get('/feeds/a.json', { 'accept-encoding': 'br', 'if-none-match': tags[1]! })).statusCode, 200, 'nor the gzip tag the brotli bytes');
});

t.test('Accept-Encoding q-values choose the coding; br wins a tie; q=0 refuses', async (t) => {
  const { get } = await twoFeeds(t);
  const cases: Array<[string, string | undefined, number?]> = [
    ['gzip, br', 'br'],
    ['gzip, deflate, br, zstd', 'br'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0, gzip;q=0.1', 'gzip'],
    ['br;q=0, gzip;q=0', undefined],
    ['*', 'br'],
    ['*;q=0.2, br;q=0.1', 'gzip'],
    ['deflate', undefined],
    ['', undefined],
    ['identity', undefined],
    ['x-gzip', 'gzip'],
    ['GZIP;Q=1.0', 'gzip'],
    ['identity;q=0, *;q=0', undefined, 406],
  ];
  for (const [header, coding, status = 200] of cases) {
    const res = await get('/feeds/a.atom', { 'accept-encoding': header });
    t.equal(res.statusCode, status, `Accept-Encoding: ${header} → ${status}`);
    t.equal(res.headers['content-encoding'], coding, `Accept-Encoding: ${header} → ${coding ?? 'identity'}`);
  }
});

t.test('extensionless feed and tag URLs negotiate the format from Accept and say Vary: Accept', async (t) => {
  const { get } = await twoFeeds(t);
  const cases: Array<[string | undefined, string]> = [
    [undefined, 'application/atom+xml; charset=utf-8'],
    ['*/*', 'application/atom+xml; charset=utf-8'],
    ['application/rss+xml', 'application/rss+xml; charset=utf-8'],
    ['application/feed+json', 'application/feed+json; charset=utf-8'],
    ['application/json', 'application/feed+json; charset=utf-8'],
    ['application/atom+xml;q=0.5, application/rss+xml', 'application/rss+xml; charset=utf-8'],
    ['application/rss+xml;q=0.9, application/feed+json;q=0.9, */*;q=0.1', 'application/rss+xml; charset=utf-8'],
    ['text/html', 'application/atom+xml; charset=utf-8'],
  ];
  for (const [accept, type] of cases) {
    const res = await get('/feeds/a', accept ? { accept } : {});
    t.equal(res.statusCode, 200);
    t.equal(res.headers['content-type'], type, `Accept: ${accept ?? '(none)'}`);
    t.equal(res.headers['vary'], 'Accept, Accept-Encoding');
  }
  const rss = await get('/feeds/a?limit=2', { accept: 'application/rss+xml' });
  t.equal(rss.headers['content-location'], '/feeds/a.rss?limit=2');
  t.equal(rss.body, (await get('/feeds/a.rss?limit=2')).body, 'the same document as the named URL');
  t.equal((await get('/feeds/a.rss')).headers['vary'], 'Accept-Encoding', 'a named format does not vary on Accept');
  const tag = await get('/tags/pea', { accept: 'application/feed+json' });
  t.equal(tag.headers['content-type'], 'application/feed+json; charset=utf-8');
  t.equal(tag.headers['vary'], 'Accept, Accept-Encoding');
  t.equal((await get('/feeds/nope')).statusCode, 404);
});

t.test('CORS: feed, tag and article routes are readable from any origin, preflight included', async (t) => {
  const { get, service } = await twoFeeds(t);
  for (const url of ['/feeds/a.json', '/tags/pea.json', '/articles', '/articles?feed=b']) {
    const res = await get(url, { origin: 'https://reader.example' });
    t.equal(res.headers['access-control-allow-origin'], '*', url);
  }
  const id = (await get('/articles')).json<{ articles: Array<{ id: string }> }>().articles[0]?.id;
  t.equal((await get(`/articles/${id}`, { origin: 'https://reader.example' })).headers['access-control-allow-origin'], '*');
  const pre = await service.app.inject({
    method: 'OPTIONS',
    url: '/feeds/a.json',
    headers: { origin: 'https://reader.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match' },
  });
  t.equal(pre.statusCode, 204);
  t.equal(pre.headers['access-control-allow-origin'], '*');
  t.match(pre.headers['access-control-allow-methods'], /GET/);
  t.notOk((await get('/healthz', { origin: 'https://reader.example' })).headers['access-control-allow-origin'], 'health checks are not for scripts on other origins');
});

t.test('/articles pages carry validators and a Link to the next page', async (t) => {
  const { get } = await twoFeeds(t);
  const res = await get('/articles?feed=a&limit=1');
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8');
  const { next } = res.json<{ next: string }>();
  t.equal(res.headers['link'], `<http://feeds.example.test/articles?feed=a&limit=1&cursor=${next}>; rel="next"`);
  t.equal((await get('/articles?feed=a&limit=1', { 'if-none-match': String(res.headers['etag']) })).statusCode, 304);
});

t.test('an ingest that changes one feed changes its ETag and no other feed’s; the old ETag stops answering 304', async (t) => {
  const { service, count, get } = await twoFeeds(t);
  const urls = ['/feeds/a.atom', '/feeds/a.json', '/feeds/b.atom', '/feeds/b.rss', '/tags/queue.json', '/articles?feed=b'];
  const before = new Map<string, string>();
  for (const u of urls) before.set(u, String((await get(u)).headers['etag']));
  const rendersBefore = service.app.renderCache.stats().renders;
  count.p = 4; // a new post at source p, read by feed a only
  await service.runner.run(service.sources);
  const aAfter = await get('/feeds/a.atom');
  t.not(aAfter.headers['etag'], before.get('/feeds/a.atom'), 'feed a changed');
  t.match(aAfter.body, '<title>p post 3</title>');
  t.not((await get('/feeds/a.json')).headers['etag'], before.get('/feeds/a.json'));
  t.equal((await get('/feeds/a.atom', { 'if-none-match': String(before.get('/feeds/a.atom')) })).statusCode, 200, 'the old tag no longer answers 304');
  for (const u of ['/feeds/b.atom', '/feeds/b.rss', '/tags/queue.json', '/articles?feed=b']) {
    t.equal((await get(u, { 'if-none-match': String(before.get(u)) })).statusCode, 304, `${u} unchanged: still 304`);
  }
  t.equal(service.app.renderCache.stats().renders - rendersBefore, 2, 'only feed a’s two documents were rendered again');
  // A cycle that finds nothing new renders nothing again.
  await service.runner.run(service.sources);
  const rendersNow = service.app.renderCache.stats().renders;
  for (const u of urls) await get(u);
  t.equal(service.app.renderCache.stats().renders, rendersNow, 'an unchanged cycle keeps every render');
});

t.test('concurrent requests for a missing render wait on one rendering', async (t) => {
  const { service, get } = await twoFeeds(t);
  const before = service.app.renderCache.stats();
  const all = await Promise.all(Array.from({ length: 25 }, () => get('/feeds/b.json?limit=2', { 'accept-encoding': 'gzip' })));
  const after = service.app.renderCache.stats();
  t.equal(after.renders - before.renders, 1, 'one render');
  t.equal(after.misses - before.misses, 1);
  t.equal(after.coalesced - before.coalesced, 24, 'the other 24 waited on it');
  t.equal(new Set(all.map((r) => r.headers['etag'])).size, 1);
});

t.test('replacing a feed definition drops that feed’s renders only', async (t) => {
  const { service, get } = await twoFeeds(t);
  const catalog = service.app.feedCatalog;
  const a = await get('/feeds/a.atom');
  const b = await get('/feeds/b.atom');
  const feeds = catalog.feeds().map((f) => (f.id === 'a' ? { ...f, title: 'A, renamed' } : f));
  t.same(catalog.replace(feeds, catalog.sources()), ['a']);
  const a2 = await get('/feeds/a.atom', { 'if-none-match': String(a.headers['etag']) });
  t.equal(a2.statusCode, 200);
  t.match(a2.body, '<title>A, renamed</title>');
  t.equal((await get('/feeds/b.atom', { 'if-none-match': String(b.headers['etag']) })).statusCode, 304);
  t.match((await get('/feeds.opml')).body, 'A, renamed', 'the OPML lists every feed, so it is rendered again');
});

t.test('a source that starts listing an article another source stored changes its own feeds only', async (t) => {
  let mirror = '';
  const origin = await startOrigin({
    '/p/': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('p', 3)),
    // The same posts (the same guids) as /p/, once `mirror` is set.
    '/r/': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(mirror || rssFeed('r', 1)),
  });
  t.teardown(() => origin.close());
  const env = tempEnv({
    a: `title: A\nsources:\n  - {id: p, url: "${origin.url}/p/"}\n`,
    c: `title: C\nsources:\n  - {id: r, url: "${origin.url}/r/"}\n`,
  });
  t.teardown(env.cleanup);
  const service = await startService(env.env);
  t.teardown(() => service.stop());
  await service.runner.run(service.sources);
  const etag = async (url: string) => String((await service.app.inject({ url })).headers['etag']);
  const [a, c] = [await etag('/feeds/a.atom'), await etag('/feeds/c.atom')];
  mirror = rssFeed('p', 3);
  await service.runner.run(service.sources);
  const cNow = await service.app.inject({ url: '/feeds/c.atom' });
  t.not(cNow.headers['etag'], c, 'feed c now lists p’s posts');
  t.match(cNow.body, '<title>p post 2</title>');
  t.equal(await etag('/feeds/a.atom'), a, 'feed a, which already had them, is untouched');
});
