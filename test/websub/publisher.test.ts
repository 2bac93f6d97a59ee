// WebSub publish pings against loopback hubs that record what they get and fail on purpose.
import t from 'tap';
import { startOrigin } from '../helpers/origin.ts';
import { startHub, type Ping } from '../helpers/hub.ts';
import { rssFeed } from '../helpers/child.ts';
import { startService, tempEnv } from '../helpers/service.ts';
import { changedTopics, websubLinks } from '../../src/websub/links.ts';

const topicsOf = (pings: Ping[]) => pings.map((p) => p.fields['hub.topic']![0]!).sort();

t.test('websubLinks: Link headers, Atom/RSS links, JSON Feed hubs; nothing without hubs', async (t) => {
  t.equal(websubLinks('https://f.example/feeds/a.atom', []), null);
  t.same(websubLinks('https://f.example/feeds/a.atom', ['https://hub.example/', 'https://h2.example/p']), {
    self: 'https://f.example/feeds/a.atom',
    hubs: ['https://hub.example/', 'https://h2.example/p'],
    linkHeaders: ['<https://hub.example/>; rel="hub"', '<https://h2.example/p>; rel="hub"', '<https://f.example/feeds/a.atom>; rel="self"'],
    xmlLinks: [
      { rel: 'hub', href: 'https://hub.example/' },
      { rel: 'hub', href: 'https://h2.example/p' },
      { rel: 'self', href: 'https://f.example/feeds/a.atom' },
    ],
    jsonHubs: [
      { type: 'WebSub', url: 'https://hub.example/' },
      { type: 'WebSub', url: 'https://h2.example/p' },
    ],
  });
  const feeds = [
    { id: 'a', sourceIds: ['s1'] },
    { id: 'b', sourceIds: ['s2', 's3'] },
    { id: 'c', sourceIds: ['s3'] },
  ];
  const r = (sourceId: string, n: number, u = 0) => ({ sourceId, new: n, updated: u });
  t.same(changedTopics([r('s1', 0), r('s2', 0), r('s3', 0, 1)], feeds, 'https://f.example'), [
    'https://f.example/feeds/b.atom', 'https://f.example/feeds/b.rss', 'https://f.example/feeds/b.json',
    'https://f.example/feeds/c.atom', 'https://f.example/feeds/c.rss', 'https://f.example/feeds/c.json',
  ]);
  t.same(changedTopics([r('s1', 0)], feeds, 'https://f.example'), []);
});

t.test('pings after commit, per changed topic and hub, retried with backoff, never blocking', async (t) => {
  let alphaItems = 2;
  const origin = await startOrigin({
    '/a.xml': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('alpha', alphaItems)),
    '/b.xml': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('beta', 2)),
  });
  t.teardown(() => origin.close());

  // A hub that holds its first answers until released: the cycle must not wait for it.
  const held: Array<() => void> = [];
  // Pings come only once the service below runs a cycle, so `service` is set by then.
  const steady = await startHub((_n, _req, res, ping) => {
    void service.app.inject(new URL(ping.fields['hub.topic']![0]!).pathname).then((r) => {
      ping.itemsAtPing = r.headers['content-type']?.includes('json') ? r.json<{ items: unknown[] }>().items.length : undefined;
      held.push(() => res.writeHead(202).end());
    });
  });
  t.teardown(steady.close);
  // A hub that fails the first two pings it gets (503, then a dropped connection), then accepts.
  const flaky = await startHub((n, req, res) => {
    if (n === 1) res.writeHead(503).end();
    else if (n === 2) req.socket.destroy();
    else res.writeHead(204).end();
  });
  t.teardown(flaky.close);
  // A hub that refuses the ping itself (400): retrying cannot help.
  const refusing = await startHub((_n, _req, res) => res.writeHead(400).end('bad'));
  t.teardown(refusing.close);

  const e = tempEnv(
    {
      a: `title: A\nsources:\n  - {id: alpha, url: "${origin.url}/a.xml"}\n`,
      b: `title: B\nsources:\n  - {id: beta, url: "${origin.url}/b.xml"}\n`,
    },
    { FEEDRELAY_WEBSUB_HUBS: `${steady.url}, ${flaky.url},${refusing.url}` },
  );
  t.teardown(e.cleanup);
  const service = await startService(e.env);
  t.teardown(() => service.stop());
  t.same(service.config.websub.hubs, [steady.url, flaky.url, refusing.url]);

  // Cycle 1: both feeds are new. The cycle returns while the steady hub still holds its answers.
  await service.runner.run(service.sources, { force: true });
  while (steady.pings.length < 6) await new Promise((r) => setTimeout(r, 20));
  const base = 'http://feeds.example.test/feeds';
  const all = ['a.atom', 'a.json', 'a.rss', 'b.atom', 'b.json', 'b.rss'].map((f) => `${base}/${f}`);
  t.same(topicsOf(steady.pings), all, 'each format of each changed feed is its own topic');
  while (held.length < 6) await new Promise((r) => setTimeout(r, 20));
  t.pass('the cycle finished while all six pings were still unanswered');
  for (const p of steady.pings) {
    t.equal(p.contentType, 'application/x-www-form-urlencoded');
    t.same(Object.keys(p.fields).sort(), ['hub.mode', 'hub.topic', 'hub.url']);
    t.same(p.fields['hub.mode'], ['publish']);
    t.same(p.fields['hub.url'], p.fields['hub.topic'], 'hub.url and hub.topic name the same topic');
  }
  t.same(steady.pings.filter((p) => p.itemsAtPing !== undefined).map((p) => p.itemsAtPing), [2, 2], 'the change was committed when the hub heard of it');
  for (const release of held.splice(0)) release();
  await service.websub.idle();
  // The flaky hub got 6 topics: 2 failed attempts, each retried, so 8 requests in all.
  t.equal(flaky.pings.length, 8);
  t.same([...new Set(topicsOf(flaky.pings))], all, 'every topic reached the flaky hub in the end');
  t.equal(refusing.pings.length, 6, 'a 400 is not retried');

  let m = (await service.app.inject('/metrics')).body;
  t.match(m, /^feedrelay_websub_pings_total\{outcome="sent"\} 12$/m);
  t.match(m, /^feedrelay_websub_pings_total\{outcome="retried"\} 2$/m);
  t.match(m, /^feedrelay_websub_pings_total\{outcome="failed"\} 6$/m);

  // Cycle 2: only alpha has a new post; only feed a's topics are pinged.
  alphaItems = 3;
  const before = steady.pings.length;
  const held2 = held.length;
  await service.runner.run(service.sources, { force: true });
  while (held.length < held2 + 3) await new Promise((r) => setTimeout(r, 20));
  for (const release of held.splice(0)) release();
  await service.websub.idle();
  t.same(topicsOf(steady.pings.slice(before)), [`${base}/a.atom`, `${base}/a.json`, `${base}/a.rss`]);
  t.same(steady.pings.slice(before).filter((p) => p.itemsAtPing !== undefined).map((p) => p.itemsAtPing), [3]);

  // Cycle 3: nothing changed anywhere; no hub hears anything.
  const counts = [steady.pings.length, flaky.pings.length, refusing.pings.length];
  await service.runner.run(service.sources, { force: true });
  await new Promise((r) => setTimeout(r, 300));
  await service.websub.idle();
  t.same([steady.pings.length, flaky.pings.length, refusing.pings.length], counts, 'no ping for feeds that did not change');
  m = (await service.app.inject('/metrics')).body;
  t.match(m, /^feedrelay_websub_pings_total\{outcome="sent"\} 18$/m);
});

t.test('no hubs: no pings and nothing queued', async (t) => {
  const origin = await startOrigin({ '/a.xml': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('alpha', 1)) });
  t.teardown(() => origin.close());
  const e = tempEnv({ a: `title: A\nsources:\n  - {id: alpha, url: "${origin.url}/a.xml"}\n` });
  t.teardown(e.cleanup);
  const service = await startService(e.env);
  t.teardown(() => service.stop());
  t.equal(service.websub.enabled, false);
  await service.runner.run(service.sources, { force: true });
  t.notMatch((await service.app.inject('/metrics')).body, /^feedrelay_websub_pings_total\{/m);
});
