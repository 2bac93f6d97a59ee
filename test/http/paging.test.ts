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
