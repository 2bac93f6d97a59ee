// Feeds page newest first: a next link in every format that, followed, neither skips nor repeats.
import t, { type Test } from 'tap';
import { startOrigin } from '../helpers/origin.ts';
import { rssFeed } from '../helpers/child.ts';
import { tempEnv, startService } from '../helpers/service.ts';

/** A service whose feeds (from `defs`, given the origin's URL) read one loopback feed, after
 * one cycle. `feed` is called per request, so a test can change what the origin serves. */
async function serviceOver(t: Test, feed: () => string, defs: (originUrl: string) => Record<string, string>) {
  const origin = await startOrigin({ '/feed/': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed()) });
  t.teardown(() => origin.close());
  const env = tempEnv(defs(origin.url));
  t.teardown(env.cleanup);
  const service = await startService(env.env);
  t.teardown(() => service.stop());
  await service.runner.run(service.sources);
  return service;
}

t.test('next links across formats', async (t) => {
  const service = await serviceOver(t, () => rssFeed('p', 3), (url) => ({ k: `title: K\nsources:\n  - {id: p, url: "${url}/feed/"}\n` }));

  const titles: string[] = [];
  let url: string | undefined = '/feeds/k.json?limit=1';
  while (url) {
    const doc: { items: Array<{ title: string }>; next_url?: string } = (await service.app.inject({ url })).json();
    titles.push(...doc.items.map((i) => i.title));
    url = doc.next_url?.replace('http://feeds.example.test', '');
  }
  t.same(titles, ['p post 2', 'p post 1', 'p post 0'], 'JSON Feed next_url walks every article once, newest first');

  const atom = (await service.app.inject({ url: '/feeds/k.atom?limit=2' })).body;
  const next = /<link rel="next" href="([^"]+)"\/>/.exec(atom)?.[1]?.replace(/&amp;/g, '&');
  t.match(next, /^http:\/\/feeds\.example\.test\/feeds\/k\.atom\?limit=2&after=[\w-]+$/);
  const rest = (await service.app.inject({ url: String(next).replace('http://feeds.example.test', '') })).body;
  t.match(rest, '<title>p post 0</title>');
  t.notMatch(rest, /rel="next"/, 'the last page has no next link');
  t.match((await service.app.inject({ url: '/feeds/k.rss?limit=1' })).body, /<atom:link href="[^"]+k\.rss\?limit=1&amp;after=[\w-]+" rel="next"/);
  t.equal((await service.app.inject({ url: '/feeds/k.atom?after=bogus' })).statusCode, 400);
});

t.test('RFC 5005: previous and first links walk back, and new items neither skip nor repeat', async (t) => {
  let count = 5;
  const service = await serviceOver(t, () => rssFeed('q', count), (url) => ({ k: `title: K\nsources:\n  - {id: q, url: "${url}/feed/"}\n` }));
  const get = async (url: string) => (await service.app.inject({ url: url.replace('http://feeds.example.test', '').replace(/&amp;/g, '&') })).body;
  const link = (atom: string, rel: string) => new RegExp(`<link rel="${rel}" href="([^"]+)"/>`).exec(atom)?.[1];
  const follow = (atom: string, rel: string) => {
    const href = link(atom, rel);
    if (href === undefined) throw new Error(`no rel="${rel}" link`);
    return href;
  };
  const titles = (atom: string) => [...atom.matchAll(/<entry>\s*<title>([^<]+)<\/title>/g)].map((m) => m[1]);

  const first = await get('/feeds/k.atom?limit=2');
  t.notOk(link(first, 'previous'), 'the first page has no previous');
  t.notOk(link(first, 'first'), 'nor a first link to itself');
  const second = await get(follow(first, 'next'));
  const third = await get(follow(second, 'next'));
  t.same([titles(first), titles(second), titles(third)], [['q post 4', 'q post 3'], ['q post 2', 'q post 1'], ['q post 0']]);
  t.same(titles(await get(follow(third, 'previous'))), ['q post 2', 'q post 1'], 'previous from the last page');
  t.same(titles(await get(follow(second, 'previous'))), ['q post 4', 'q post 3'], 'previous from the second page');
  t.equal(link(second, 'first')?.replace(/&amp;/g, '&'), 'http://feeds.example.test/feeds/k.atom?limit=2');

  // Two new posts arrive while a reader is on page two: following next still continues where it was.
  count = 7;
  await service.runner.run(service.sources, { force: true });
  t.same(titles(await get(follow(second, 'next'))), ['q post 0'], 'next is anchored to an article, not an offset');
  const newer = await get(follow(second, 'previous'));
  t.same(titles(newer), ['q post 4', 'q post 3'], 'previous still ends right before page two');
  t.ok(link(newer, 'previous'), 'and now has a previous page of its own: the new posts');
  t.same(titles(await get(follow(newer, 'previous'))), ['q post 6', 'q post 5']);
  const rss = await get(`/feeds/k.rss?limit=2&after=${String(/after=([\w-]+)/.exec(follow(first, 'next'))?.[1])}`);
  t.match(rss, /<atom:link href="[^"]+" rel="previous" type="application\/rss\+xml"\/>/);
  t.match(rss, /<atom:link href="[^"]+k\.rss\?limit=2" rel="first" type="application\/rss\+xml"\/>/);
  t.equal((await service.app.inject({ url: '/feeds/k.atom?after=x&before=y' })).statusCode, 400);
});

t.test('include and exclude rules: filtered feeds page without gaps or repeats', async (t) => {
  const service = await serviceOver(t, () => rssFeed('f', 9), (url) => ({
    odd: `title: Odd\ninclude:\n  match: "post [13579]$"\nexclude:\n  match: "post 5$"\nsources:\n  - {id: f, url: "${url}/feed/"}\n`,
    all: `title: All\nsources:\n  - {id: f, url: "${url}/feed/"}\n`,
  }));
  const get = async (url: string) => (await service.app.inject({ url: url.replace('http://feeds.example.test', '') })).json<{ items: Array<{ title: string }>; next_url?: string }>();
  const pages: string[][] = [];
  let doc = await get('/feeds/odd.json?limit=2');
  for (;;) {
    pages.push(doc.items.map((i) => i.title));
    if (!doc.next_url) break;
    doc = await get(doc.next_url);
  }
  t.same(pages, [['f post 7', 'f post 3'], ['f post 1']], 'only odd posts, post 5 excluded, newest first, each once');
  const atom = (await service.app.inject({ url: '/feeds/odd.atom?limit=2' })).body;
  const next = String(/<link rel="next" href="([^"]+)"\/>/.exec(atom)?.[1]).replace(/&amp;/g, '&').replace('http://feeds.example.test', '');
  const second = (await service.app.inject({ url: next })).body;
  const prev = String(/<link rel="previous" href="([^"]+)"\/>/.exec(second)?.[1]).replace(/&amp;/g, '&').replace('http://feeds.example.test', '');
  t.same([...(await service.app.inject({ url: prev })).body.matchAll(/<entry>\s*<title>([^<]+)/g)].map((m) => m[1]), ['f post 7', 'f post 3'], 'previous walks back through the filter');
  t.equal((await get('/feeds/all.json?limit=100')).items.length, 9, 'the unfiltered feed over the same source has every post');
});

t.test('/articles?feed= applies the feed rules too', async (t) => {
  const service = await serviceOver(t, () => rssFeed('g', 4), (url) => ({ even: `title: Even\nexclude:\n  match: "post [13]$"\nsources:\n  - {id: g, url: "${url}/feed/"}\n` }));
  const res = (await service.app.inject({ url: '/articles?feed=even' })).json<{ articles: Array<{ title: string }> }>();
  t.same(res.articles.map((a) => a.title), ['g post 2', 'g post 0']);
});
