// WebSub discovery (W3C WebSub §4) in what feedrelay serves: with hubs configured, every format of
// a configured feed names them (Atom link, RSS atom:link, JSON Feed hubs) and every response sends
// Link headers with the hubs and the topic as rel="self"; tag feeds, which no hub is pinged for,
// and every feed when no hub is configured, carry nothing of it.
import t, { type Test } from 'tap';
import { startOrigin } from '../helpers/origin.ts';
import { rssFeed } from '../helpers/child.ts';
import { startService, tempEnv } from '../helpers/service.ts';
import { DOMParser } from 'linkedom';
import type { DomElement } from '../../src/ingest/dom.ts';

const HUBS = 'https://hub.example/,https://second-hub.example/publish';

async function service(t: Test, hubs: string | undefined) {
  const origin = await startOrigin({ '/feed': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('w', 2).replace('<item>', '<item><category>Almaty</category>')) });
  t.teardown(() => origin.close());
  const env = tempEnv({ w: `title: W\nsources:\n  - {id: w, url: "${origin.url}/feed"}\n` }, hubs ? { FEEDRELAY_WEBSUB_HUBS: hubs } : {});
  t.teardown(env.cleanup);
  const s = await startService(env.env);
  t.teardown(() => s.stop());
  await s.runner.run(s.sources, { force: true });
  return s;
}

t.test('hubs configured: every format, every response', async (t) => {
  const s = await service(t, HUBS);
  const hubLinks = ['<https://hub.example/>; rel="hub"', '<https://second-hub.example/publish>; rel="hub"'];
  for (const format of ['atom', 'rss', 'json'] as const) {
    const res = await s.app.inject({ url: `/feeds/w.${format}` });
    t.equal(res.statusCode, 200);
    t.equal(res.headers['link'], [...hubLinks, `<http://feeds.example.test/feeds/w.${format}>; rel="self"`].join(', '), `${format}: Link headers`);
    const again = await s.app.inject({ url: `/feeds/w.${format}`, headers: { 'if-none-match': String(res.headers['etag']) } });
    t.equal(again.statusCode, 304);
    t.equal(again.headers['link'], res.headers['link'], `${format}: a 304 repeats them`);
    if (format === 'json') {
      t.same(res.json<{ hubs: unknown }>().hubs, [{ type: 'WebSub', url: 'https://hub.example/' }, { type: 'WebSub', url: 'https://second-hub.example/publish' }]);
      continue;
    }
    // linkedom's declarations name DOM globals this project does not load, so its values arrive untyped.
    const doc = new DOMParser().parseFromString(res.body, 'text/xml') as Pick<DomElement, 'querySelectorAll'>;
    const links = Array.from(doc.querySelectorAll(format === 'atom' ? 'feed > link' : 'channel > atom\\:link')).map((l) => `${l.getAttribute('rel')} ${l.getAttribute('href')}`);
    t.ok(links.includes('hub https://hub.example/') && links.includes('hub https://second-hub.example/publish'), `${format}: hub links (${links.join('; ')})`);
    t.ok(links.includes(`self http://feeds.example.test/feeds/w.${format}`), `${format}: self is the topic`);
  }
  const negotiated = await s.app.inject({ url: '/feeds/w', headers: { accept: 'application/feed+json' } });
  t.match(String(negotiated.headers['link']), /<http:\/\/feeds\.example\.test\/feeds\/w\.json>; rel="self"$/, 'a negotiated URL names the topic of the format it sent');
  const tag = await s.app.inject({ url: '/tags/almaty.atom' });
  t.equal(tag.statusCode, 200);
  t.equal(tag.headers['link'], undefined, 'tag feeds are not topics');
  t.notMatch(tag.body, /rel="hub"/);
});

t.test('no hubs: nothing WebSub anywhere', async (t) => {
  const s = await service(t, undefined);
  for (const format of ['atom', 'rss', 'json'] as const) {
    const res = await s.app.inject({ url: `/feeds/w.${format}` });
    t.equal(res.headers['link'], undefined);
    t.notMatch(res.body, /"hub"|hubs/, format);
  }
});
