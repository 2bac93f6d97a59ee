// Feeds page newest first: a next link in every format that, followed, neither skips nor repeats.
import t from 'tap';
import { startOrigin } from '../helpers/origin.ts';
import { rssFeed } from '../helpers/child.ts';
import { tempEnv, startService } from '../helpers/service.ts';

t.test('next links across formats', async (t) => {
  const origin = await startOrigin({ '/feed/': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('p', 3)) });
  t.teardown(() => origin.close());
  const env = tempEnv({ k: `title: K\nsources:\n  - {id: p, url: "${origin.url}/feed/"}\n` });
  t.teardown(env.cleanup);
  const service = await startService(env.env);
  t.teardown(() => service.stop());
  await service.runner.run(service.sources);

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
  const rest = (await service.app.inject({ url: next!.replace('http://feeds.example.test', '') })).body;
  t.match(rest, '<title>p post 0</title>');
  t.notMatch(rest, /rel="next"/, 'the last page has no next link');
  t.match((await service.app.inject({ url: '/feeds/k.rss?limit=1' })).body, /<atom:link href="[^"]+k\.rss\?limit=1&amp;after=[\w-]+" rel="next"/);
  t.equal((await service.app.inject({ url: '/feeds/k.atom?after=bogus' })).statusCode, 400);
});

t.test('RFC 5005: previous and first links walk back, and new items neither skip nor repeat', async (t) => {
  let count = 5;
  const origin = await startOrigin({ '/feed/': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('q', count)) });
  t.teardown(() => origin.close());
  const env = tempEnv({ k: `title: K\nsources:\n  - {id: q, url: "${origin.url}/feed/"}\n` });
  t.teardown(env.cleanup);
  const service = await startService(env.env);
  t.teardown(() => service.stop());
  await service.runner.run(service.sources);
  const get = async (url: string) => (await service.app.inject({ url: url.replace('http://feeds.example.test', '').replace(/&amp;/g, '&') })).body;
  const link = (atom: string, rel: string) => new RegExp(`<link rel="${rel}" href="([^"]+)"/>`).exec(atom)?.[1];
  const titles = (atom: string) => [...atom.matchAll(/<entry>\s*<title>([^<]+)<\/title>/g)].map((m) => m[1]);

  const first = await get('/feeds/k.atom?limit=2');
  t.notOk(link(first, 'previous'), 'the first page has no previous');
  t.notOk(link(first, 'first'), 'nor a first link to itself');
  const second = await get(link(first, 'next')!);
  const third = await get(link(second, 'next')!);
  t.same([titles(first), titles(second), titles(third)], [['q post 4', 'q post 3'], ['q post 2', 'q post 1'], ['q post 0']]);
  t.same(titles(await get(link(third, 'previous')!)), ['q post 2', 'q post 1'], 'previous from the last page');
  t.same(titles(await get(link(second, 'previous')!)), ['q post 4', 'q post 3'], 'previous from the second page');
  t.equal(link(second, 'first')?.replace(/&amp;/g, '&'), 'http://feeds.example.test/feeds/k.atom?limit=2');

  // Two new posts arrive while a reader is on page two: following next still continues where it was.
  count = 7;
  await service.runner.run(service.sources, { force: true });
  t.same(titles(await get(link(second, 'next')!)), ['q post 0'], 'next is anchored to an article, not an offset');
  const newer = await get(link(second, 'previous')!);
  t.same(titles(newer), ['q post 4', 'q post 3'], 'previous still ends right before page two');
  t.ok(link(newer, 'previous'), 'and now has a previous page of its own: the new posts');
  t.same(titles(await get(link(newer, 'previous')!)), ['q post 6', 'q post 5']);
  const rss = await get('/feeds/k.rss?limit=2&after=' + /after=([\w-]+)/.exec(link(first, 'next')!)![1]);
  t.match(rss, /<atom:link href="[^"]+" rel="previous" type="application\/rss\+xml"\/>/);
  t.match(rss, /<atom:link href="[^"]+k\.rss\?limit=2" rel="first" type="application\/rss\+xml"\/>/);
  t.equal((await service.app.inject({ url: '/feeds/k.atom?after=x&before=y' })).statusCode, 400);
});
