// A source given as a site's address, through a real cycle against a loopback origin: the feed
// the home page declares is followed and stored with the source; with no declaration the
// conventional paths are tried; a page with neither says so; a changed declaration moves it.
import t, { type Test } from 'tap';
import pino from 'pino';
import { readFileSync } from 'node:fs';
import { startOrigin, serveText } from '../helpers/origin.ts';
import { rssFeed } from '../helpers/child.ts';
import { tempEnv, startService } from '../helpers/service.ts';
import { ingestSource } from '../../src/ingest/pipeline/pipeline.ts';

const fixture = (n: string) => readFileSync(new URL(`../fixtures/discovery/${n}`, import.meta.url), 'utf8');
const quiet = pino({ level: 'silent' });

async function setup(t: Test, routes: Record<string, ReturnType<typeof serveText>>, path = '/') {
  const origin = await startOrigin(routes);
  t.teardown(() => origin.close());
  const env = tempEnv({ s: `title: S\nsources:\n  - {id: site, url: "${origin.url}${path}"}\n` });
  t.teardown(env.cleanup);
  const service = await startService(env.env);
  t.teardown(() => service.stop());
  return { origin, service, source: service.sources[0]! };
}

t.test('a WordPress home page: its main feed is followed, not read as an article', async (t) => {
  const origin = await startOrigin();
  t.teardown(() => origin.close());
  const home = fixture('wordpress-home.html').replaceAll('https://steppewatch.example', origin.url);
  origin.routes.set('/', serveText(home, 'text/html; charset=UTF-8'));
  origin.routes.set('/feed/', serveText(rssFeed('steppe', 4), 'application/rss+xml', { etag: '"f1"' }));
  origin.routes.set('/comments/feed/', serveText(rssFeed('comments', 9), 'application/rss+xml'));
  const env = tempEnv({ s: `title: S\nsources:\n  - {id: site, url: "${origin.url}/"}\n` }, { FEEDRELAY_ADMIN_TOKEN: 'admintoken-123456' });
  t.teardown(env.cleanup);
  const service = await startService(env.env);
  t.teardown(() => service.stop());
  const r = await ingestSource(service.sources[0]!, { store: service.store, fetcher: service.fetcher, log: quiet }, { force: true });
  t.equal(r.outcome, 'ok');
  t.equal(r.new, 4, 'the four posts of the site feed');
  t.equal(r.url, `${origin.url}/feed/`);
  const stored = await service.store.listArticles({ sourceIds: ['site'], limit: 10 });
  t.same(stored.articles.map((a) => a.title).sort(), ['steppe post 0', 'steppe post 1', 'steppe post 2', 'steppe post 3']);
  t.equal(origin.hits.get('/comments/feed/'), undefined, 'the comments feed is not asked');
  const state = await service.store.getSourceState('site');
  t.equal(state?.effectiveUrl, `${origin.url}/feed/`, 'the feed is stored with the source');
  t.ok(state?.discoveredAt);
  t.equal(state?.etag, '"f1"', "the feed's validators, not the page's");

  const admin = await service.app.inject({ url: '/admin/sources', headers: { authorization: 'Bearer admintoken-123456' } });
  const shown = admin.json<{ sources: Array<{ id: string; effectiveUrl: string; discoveredAt: string }> }>().sources.find((s) => s.id === 'site');
  t.equal(shown?.effectiveUrl, `${origin.url}/feed/`, '/admin/sources shows the feed');
  t.ok(shown?.discoveredAt);

  // The next cycle asks the feed itself, conditionally, not the page again.
  const again = await ingestSource(service.sources[0]!, { store: service.store, fetcher: service.fetcher, log: quiet }, { force: true });
  t.equal(again.url, `${origin.url}/feed/`);
  t.equal(origin.hits.get('/'), 1, 'the home page is read once a day, not every cycle');
  t.equal(origin.hits.get('/feed/'), 2);
});

t.test('a changed declaration moves the source at the next daily look', async (t) => {
  let feedPath = '/feed/';
  const origin = await startOrigin();
  t.teardown(() => origin.close());
  origin.routes.set('/', (_q, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><head><link rel="alternate" type="application/atom+xml" href="${feedPath}"></head><body class="home"></body></html>`));
  origin.routes.set('/feed/', serveText(rssFeed('old', 2), 'application/rss+xml'));
  origin.routes.set('/atom/', serveText(rssFeed('new', 3), 'application/rss+xml'));
  const env = tempEnv({ s: `title: S\nsources:\n  - {id: site, url: "${origin.url}/"}\n` });
  t.teardown(env.cleanup);
  const service = await startService(env.env);
  t.teardown(() => service.stop());
  let clock = new Date('2026-12-01T10:00:00Z');
  const deps = { store: service.store, fetcher: service.fetcher, log: quiet, now: () => clock };
  await ingestSource(service.sources[0]!, deps, { force: true });
  feedPath = '/atom/';
  clock = new Date('2026-12-01T20:00:00Z');
  t.equal((await ingestSource(service.sources[0]!, deps, { force: true })).url, `${origin.url}/feed/`, 'within the day: the known feed');
  clock = new Date('2026-12-02T11:00:00Z');
  const moved = await ingestSource(service.sources[0]!, deps, { force: true });
  t.equal(moved.url, `${origin.url}/atom/`, 'a day later the page is read again and the new feed followed');
  t.equal(moved.new, 3);
  t.equal((await service.store.getSourceState('site'))?.effectiveUrl, `${origin.url}/atom/`);
  t.equal((await service.store.listArticles({ sourceIds: ['site'], limit: 10 })).articles.length, 5, 'nothing stored from the old feed is lost');
});

t.test('no declared feed: the conventional paths, through the same fetcher', async (t) => {
  const { origin, service, source } = await setup(t, {
    '/': serveText(fixture('no-feed-home.html'), 'text/html'),
    '/rss': serveText('<html><body>not a feed</body></html>', 'text/html'),
    '/index.xml': serveText(rssFeed('hugo', 2), 'application/xml'),
  });
  const r = await ingestSource(source, { store: service.store, fetcher: service.fetcher, log: quiet }, { force: true });
  t.equal(r.outcome, 'ok');
  t.equal(r.new, 2);
  t.equal(r.url, `${origin.url}/index.xml`);
  t.same(['/feed', '/rss', '/rss.xml', '/atom.xml', '/index.xml'].map((p) => origin.hits.get(p) ?? 0), [1, 1, 1, 1, 1], 'tried in order until one answers with a feed');
  t.equal(origin.hits.get('/feed.json'), undefined, 'and no further');
});

t.test('a home page with no feed says so, and keeps what is stored', async (t) => {
  const { service, source } = await setup(t, { '/': serveText(fixture('no-feed-home.html'), 'text/html') });
  const r = await ingestSource(source, { store: service.store, fetcher: service.fetcher, log: quiet }, { force: true });
  t.equal(r.outcome, 'failed');
  t.equal(r.error?.class, 'no_feed');
  t.match(r.error?.message, /^detect: a home page with no feed: http:\/\/127\.0\.0\.1:\d+\/ declares no <link rel="alternate"> feed and none of \/feed, \/rss/);
  t.equal((await service.store.listArticles({ sourceIds: ['site'], limit: 10 })).articles.length, 0, 'the home page is not stored as an article');
});

t.test('an article page is still read as one article, though it declares the site feed', async (t) => {
  const { origin, service, source } = await setup(
    t,
    {
      '/2022/01/04/fuel-prices-almaty/': serveText(fixture('wordpress-post.html'), 'text/html'),
      '/feed/': serveText(rssFeed('steppe', 4), 'application/rss+xml'),
    },
    '/2022/01/04/fuel-prices-almaty/',
  );
  const r = await ingestSource(source, { store: service.store, fetcher: service.fetcher, log: quiet }, { force: true });
  t.equal(r.new, 1);
  t.equal((await service.store.listArticles({ sourceIds: ['site'], limit: 10 })).articles[0]?.title, 'Fuel prices bring Almaty into the streets');
  t.equal(origin.hits.get('/feed/'), undefined);
  t.equal((await service.store.getSourceState('site'))?.discoveredAt, null);
});

t.test('a format preference picks among the feeds a site offers', async (t) => {
  const origin = await startOrigin();
  t.teardown(() => origin.close());
  origin.routes.set('/', serveText(fixture('multi-format.html'), 'text/html'));
  origin.routes.set('/atom.xml', serveText(rssFeed('atom', 1), 'application/xml'));
  origin.routes.set('/feed.json', serveText(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'J', items: [{ id: 'j1', url: 'https://j.example/1', content_text: 'one', title: 'json post' }] }), 'application/feed+json'));
  const env = tempEnv({ s: `title: S\nsources:\n  - {id: site, url: "${origin.url}/", format: json}\n` });
  t.teardown(env.cleanup);
  const service = await startService(env.env);
  t.teardown(() => service.stop());
  const r = await ingestSource(service.sources[0]!, { store: service.store, fetcher: service.fetcher, log: quiet }, { force: true });
  t.equal(r.url, `${origin.url}/feed.json`);
  t.equal((await service.store.listArticles({ sourceIds: ['site'], limit: 10 })).articles[0]?.title, 'json post');
});
