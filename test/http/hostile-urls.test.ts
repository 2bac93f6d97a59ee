// Property test: hostile URLs (brackets, pipes, spaces, carets, backticks, braces, percent signs,
// IDNs, very long paths, javascript: and data:) in every place a feed item carries one (link,
// guid, enclosure, media:content, media:thumbnail, author URI, content img and a), through a real
// cycle: every API route and every feed still answers 200, every URL the API serves is one RFC
// 3986 accepts (ajv-formats' "uri"), and no script URL survives. Plus control characters in the
// text, which every output then carries alike: not at all.
import t from 'tap';
import fc from 'fast-check';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { startOrigin } from '../helpers/origin.ts';
import { startService, tempEnv } from '../helpers/service.ts';

const ajv = new Ajv();
addFormats.default(ajv);
const validUri = ajv.compile({ type: 'string', format: 'uri' });
const isUri = (s: string): boolean => validUri(s);

const segment = fc.oneof(
  fc.constantFrom('a]b', '[x]', 'p|q', 'sp ace', 'c^d', 'back`tick', '{br}', '100%', '%zz', '%41', 'ü', 'Қазақ', '"q"', "'s'", '<x>', '\\'),
  fc.string({ unit: 'grapheme-ascii', maxLength: 10 }),
  fc.constant('long'.repeat(600)),
);
const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((a) => a.join('/'));
const host = fc.constantFrom('x.example', 'bücher.example', 'xn--80ak6aa92e.com', 'EXAMPLE.org');
const url = fc.oneof(
  fc.tuple(host, path, fc.option(segment), fc.option(segment)).map(([h, p, q, f]) => `https://${h}/${p}${q ? `?q=${q}` : ''}${f ? `#${f}` : ''}`),
  fc.constantFrom('javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', '//proto-relative.example/a|b', '/relative/a]b', ''),
);
const text = fc.oneof(fc.constantFrom('\u0001', '\u000b', '\u007f', '\u0085', '\ud800', 'ok', 'Алматы'), fc.string({ maxLength: 6 }));
// eslint-disable-next-line no-control-regex -- the C0 controls XML 1.0 forbids, dropped as the writers do
const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/g, '');

const item = fc.record({ link: url, guid: url, enclosure: url, media: url, thumb: url, author: url, img: url, a: url, title: text });
type Item = { link: string; guid: string; enclosure: string; media: string; thumb: string; author: string; img: string; a: string; title: string };
const feedOf = (items: Item[], n: number) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel><title>Hostile</title><link>https://hostile.example/</link><description>d</description>
${items
  .map(
    (it, i) => `<item><title>Run ${n} item ${i} ${xml(it.title)}</title><link>${xml(it.link)}</link><guid isPermaLink="false">${xml(it.guid)}-${n}-${i}</guid>
<pubDate>Mon, 0${1 + (i % 9)} Jan 2024 10:00:00 +0000</pubDate>
<enclosure url="${xml(it.enclosure)}" type="image/jpeg" length="1"/>
<media:content url="${xml(it.media)}" medium="image"/><media:thumbnail url="${xml(it.thumb)}"/>
<author>someone@example.org (${xml(it.title)} Person)</author>
<description>${xml(`<p>Text ${it.title} <img src="${it.img}" alt="i"> <a href="${it.a}">link</a></p>`)}</description></item>`,
  )
  .join('\n')}
</channel></rss>`;

// eslint-disable-next-line no-control-regex -- C0 and C1 controls must not survive into articles
const UNWANTED = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

t.test('hostile URLs never take a route down; every served URL is RFC 3986; no control characters', async (t) => {
  let body = feedOf([], 0);
  const origin = await startOrigin({ '/feed': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body) });
  t.teardown(() => origin.close());
  const env = tempEnv({ h: `title: H\nsources:\n  - {id: h, url: "${origin.url}/feed", fullText: never}\n` });
  t.teardown(env.cleanup);
  const service = await startService(env.env);
  t.teardown(() => service.stop());
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(item, { minLength: 1, maxLength: 4 }), async (items) => {
      body = feedOf(items, ++run);
      const cycle = await service.runner.run(service.sources, { force: true });
      if (cycle.sources[0]!.outcome !== 'ok') throw new Error(`cycle: ${cycle.sources[0]!.error?.message}`);
      const list = await service.app.inject({ url: '/articles?limit=200' });
      if (list.statusCode !== 200) throw new Error(`/articles answered ${list.statusCode}: ${list.body.slice(0, 200)}`);
      const { articles } = list.json<{ articles: Array<{ id: string; url: string; image: { url: string } | null; figures: Array<{ url: string }>; authors: Array<{ url?: string }>; contentHtml: string; title: string; summary: string }> }>();
      for (const a of articles) {
        for (const u of [a.url, a.image?.url, ...a.figures.map((f) => f.url), ...a.authors.map((p) => p.url)]) {
          if (u !== undefined && !isUri(u)) throw new Error(`not an RFC 3986 URI: ${u}`);
        }
        if (/(?:href|src)="\s*(?:javascript|vbscript|data):/i.test(a.contentHtml)) throw new Error(`script URL kept: ${a.contentHtml}`);
        if (UNWANTED.test(a.title + a.summary + a.contentHtml)) throw new Error(`control character kept in ${JSON.stringify(a.title)}`);
      }
      const one = articles[0];
      const urls = ['/articles?feed=h', ...(one ? [`/articles/${one.id}`] : []), '/feeds/h.atom', '/feeds/h.rss', '/feeds/h.json', '/feeds/h', '/', '/feeds.opml'];
      for (const u of urls) {
        const r = await service.app.inject({ url: u });
        if (r.statusCode !== 200) throw new Error(`${u} answered ${r.statusCode}: ${r.body.slice(0, 200)}`);
      }
      const json = (await service.app.inject({ url: '/feeds/h.json' })).json<{ items: Array<{ url: string; image?: string }> }>();
      for (const it of json.items) for (const u of [it.url, it.image]) if (u !== undefined && !isUri(u)) throw new Error(`JSON Feed URL not RFC 3986: ${u}`);
    }),
    { numRuns: process.env['CI'] ? 25 : 60, seed: Number(process.env['FC_SEED'] ?? Date.now() % 1e9) },
  );
  t.pass(`${run} hostile feeds through a real cycle`);
});
