// The seed post end to end: a WordPress.com blog on a loopback origin, a real ingest cycle
// through the real app, and every field checked in /articles and in all three feed formats,
// each read back by a parser we did not write (rss-parser; the JSON Feed 1.1 schema with ajv).
import t, { type Test } from 'tap';
import Parser from 'rss-parser';
import { xml2js, type Element as XmlElement } from 'xml-js';
import { attr, child, children } from '../helpers/xml.ts';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { createRequire } from 'node:module';
import { startWordPressOrigin, SEED, POST_PATH } from '../helpers/wordpress.ts';
import { tempEnv, startService } from '../helpers/service.ts';
import type { Article } from '../../src/model/article.ts';

const require = createRequire(import.meta.url);
const jsonFeedSchema = require('jsonfeed-schema/schema-v1.1.json') as object;

interface ApiError { error: { code: string } }
interface SourceReport { id: string; seen: number; new: number; updated: number; failed: number }

const origin = await startWordPressOrigin();
t.teardown(() => origin.close());
const env = tempEnv({
  kazakhstan: `title: Kazakhstan unrest
description: The January 2022 protests
language: en
sources:
  - id: steppewatch
    url: ${origin.url}/feed/
`,
  // The same post read from its page (no feed), and the same source listed by a second feed.
  'from-page': `title: From the page
sources:
  - id: steppewatch-page
    url: ${origin.url}${POST_PATH}
`,
  'central-asia': `title: Central Asia
sources:
  - id: steppewatch
    url: ${origin.url}/feed/
`,
});
t.teardown(env.cleanup);
const service = await startService(env.env);
t.teardown(() => service.stop());
const app = service.app;

function checkSeedArticle(t: Test, a: Article, how: string) {
  t.equal(a.title, SEED.title, `${how}: title, with WordPress's no-break space normalized`);
  t.equal(a.byline, SEED.byline, `${how}: byline`);
  t.same(a.authors, [{ name: SEED.byline }], `${how}: authors`);
  t.equal(a.publishedAt, SEED.publishedAt, `${how}: publishedAt`);
  t.same(a.tags, SEED.tags, `${how}: tags, Uncategorized dropped`);
  t.same(
    a.figures.map((f) => [f.url, f.caption]),
    SEED.images.map((u, i) => [u, SEED.captions[i]]),
    `${how}: each caption bound to its own image`,
  );
  t.same(a.image, a.figures[0], `${how}: the first figure is the lead image`);
  for (const bad of SEED.chrome) {
    t.notOk(a.contentHtml.includes(bad), `${how}: content has no "${bad}"`);
    t.notOk(a.contentText.includes(bad), `${how}: text has no "${bad}"`);
  }
  t.notOk(/<(script|form|iframe|style)\b/i.test(a.contentHtml), `${how}: no script, form, iframe or style`);
  t.match(a.contentText, /Collective Security Treaty Organization/);
  t.match(a.contentText, /the entire government has resigned\.$/, `${how}: text ends where the article ends`);
  t.ok(a.wordCount > 450 && a.wordCount < 650, `${how}: word count ${a.wordCount}`);
  t.equal(a.language, 'en');
}

const auth = { authorization: 'Bearer test-token' };

t.test('admin refresh runs a cycle and reports per source', async (t) => {
  const unauth = await app.inject({ method: 'POST', url: '/admin/refresh' });
  t.equal(unauth.statusCode, 401, 'no token, no refresh');
  t.equal(unauth.json<ApiError>().error.code, 'unauthorized');
  const wrong = await app.inject({ method: 'POST', url: '/admin/refresh', headers: { authorization: 'Bearer nope' } });
  t.equal(wrong.statusCode, 401);

  const res = await app.inject({ method: 'POST', url: '/admin/refresh', headers: auth });
  t.equal(res.statusCode, 200);
  const body = res.json<{ sources: SourceReport[] }>();
  t.same(
    body.sources.map((s) => [s.id, s.seen, s.new, s.updated, s.failed]).sort(),
    [
      ['steppewatch', 1, 1, 0, 0],
      ['steppewatch-page', 1, 0, 0, 0], // the same article (same canonical URL) is already stored
    ].sort(),
  );
  t.equal(origin.hits.get('/feed/'), 1, 'a source listed by two feeds is fetched once');

  const again = (await app.inject({ method: 'POST', url: '/admin/refresh', headers: auth })).json<{ sources: SourceReport[] }>();
  t.same(again.sources.map((s) => s.new + s.updated), [0, 0], 'an unchanged post changes nothing');
});

t.test('/articles serves the typed Article', async (t) => {
  const list = await app.inject({ url: '/articles?feed=kazakhstan&limit=10' });
  t.equal(list.statusCode, 200);
  const { articles, next } = list.json<{ articles: Article[]; next: string | null }>();
  t.equal(articles.length, 1);
  t.equal(next, null);
  const a = articles[0]!;
  t.same(Object.keys(a).sort(), ['authors', 'byline', 'contentHtml', 'contentText', 'figures', 'guid', 'id', 'image', 'language', 'publishedAt', 'publishedAtStated', 'sourceId', 'summary', 'tags', 'title', 'updatedAt', 'url', 'wordCount'].sort(), 'exactly the model field names');
  t.equal(a.url, `${origin.url}${POST_PATH}`);
  t.equal(a.guid, `${origin.url}/?p=4821`);
  t.match(a.summary, /^Russian-led military troops/);
  t.notMatch(a.summary, /[<>]|&#/, 'summary is plain text');
  t.equal(a.publishedAtStated, true, 'the feed states its date');
  checkSeedArticle(t, a, 'feed');

  const one = await app.inject({ url: `/articles/${a.id}` });
  t.equal(one.statusCode, 200);
  t.same(one.json(), a);

  const missing = await app.inject({ url: '/articles/0123456789abcdef0123' });
  t.equal(missing.statusCode, 404);
  t.equal(missing.json<ApiError>().error.code, 'not_found');
  t.equal((await app.inject({ url: '/articles?feed=nope' })).statusCode, 404);
  t.equal((await app.inject({ url: '/articles?limit=zero' })).statusCode, 400);
});

t.test('the same post extracted from its HTML page', async (t) => {
  // The page source found the article already stored from the feed; extract it on its own too.
  const { extractPage } = await import('../../src/ingest/page/extract.ts');
  const { normalize } = await import('../../src/ingest/normalize/normalize.ts');
  const html = await (await fetch(`${origin.url}${POST_PATH}`)).text();
  const raw = extractPage(html, `${origin.url}${POST_PATH}`);
  const { article } = normalize(raw.items[0]!, { sourceId: 'steppewatch-page', baseUrl: `${origin.url}${POST_PATH}`, now: new Date() });
  checkSeedArticle(t, article, 'page');
});

const parser = new Parser({
  customFields: { item: [['media:content', 'media', { keepArray: true }], ['media:thumbnail', 'thumb'], ['dc:creator', 'creator'], ['category', 'cats', { keepArray: true }]] },
});

for (const format of ['atom', 'rss'] as const) {
  t.test(`${format} feed`, async (t) => {
    const res = await app.inject({ url: `/feeds/kazakhstan.${format}` });
    t.equal(res.statusCode, 200);
    t.equal(res.headers['content-type'], `application/${format}+xml; charset=utf-8`);
    const feed = await parser.parseString(res.body);
    t.equal(feed.title, 'Kazakhstan unrest');
    t.equal(feed.feedUrl, `http://feeds.example.test/feeds/kazakhstan.${format}`, 'self link from the base URL');
    t.equal(feed.link, 'http://feeds.example.test/');
    t.match(res.body, new RegExp(`rel="self"[^>]*href="http://feeds\\.example\\.test/feeds/kazakhstan\\.${format}"|href="http://feeds\\.example\\.test/feeds/kazakhstan\\.${format}"[^>]*rel="self"`), 'self link from the base URL');
    t.equal(feed.items.length, 1);
    const item = feed.items[0]! as unknown as Record<string, unknown> & Parser.Item;
    t.equal(item.title, SEED.title);
    t.equal(item.link, `${origin.url}${POST_PATH}`);
    t.equal(format === 'atom' ? item['author'] : item['creator'], SEED.byline, 'byline as author (Atom author/name, RSS dc:creator)');
    if (format === 'rss') t.notMatch(res.body, /<author>/, 'RSS author is only for e-mail addresses');
    t.equal(new Date(String(item.isoDate)).toISOString(), SEED.publishedAt);
    const cats = (item['cats'] as Array<{ _?: string; $: Record<string, string> }>).map((c) => (format === 'atom' ? [c.$['term'], c.$['label']] : [c._, c.$['domain']]));
    t.same(
      cats,
      SEED.tags.map((tag) => (format === 'atom' ? [tag.slug, tag.label] : [tag.label, `http://feeds.example.test/tags/${tag.slug}.rss`])),
      'tags as categories',
    );
    const media = (item['media'] as Array<{ $: { url: string }; 'media:description': Array<{ _: string }> }>).map((m) => [m.$.url, m['media:description'][0]!._]);
    t.same(media, SEED.images.map((u, i) => [u, SEED.captions[i]]), 'every figure with its caption');
    t.equal((item['thumb'] as { $: { url: string } }).$.url, SEED.images[0], 'lead image');
    const content = (item['content:encoded'] as string | undefined) ?? (item.content);
    for (const c of SEED.captions) t.match(content, `<figcaption>${c}</figcaption>`, 'captions stay in the content');
    t.notMatch(res.body, /gravatar|pixel\.wp\.com|Leave a Reply/);
  });
}

t.test('JSON Feed 1.1', async (t) => {
  const res = await app.inject({ url: '/feeds/kazakhstan.json' });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'application/feed+json; charset=utf-8');
  const doc = res.json<{
    version: string;
    feed_url: string;
    language: string;
    items: Array<{ authors: unknown; tags: unknown; image: string; date_published: string; _feedrelay: { figures: Array<{ caption: string }>; byline: string } }>;
  }>();
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const validate = ajv.compile(jsonFeedSchema);
  t.ok(validate(doc), `valid JSON Feed 1.1: ${ajv.errorsText(validate.errors)}`);
  t.equal(doc.version, 'https://jsonfeed.org/version/1.1');
  t.equal(doc.feed_url, 'http://feeds.example.test/feeds/kazakhstan.json');
  t.equal(doc.language, 'en');
  const item = doc.items[0]!;
  t.same(item.authors, [{ name: SEED.byline }]);
  t.notOk('author' in item, 'never the deprecated author');
  t.same(item.tags, SEED.tags.map((x) => x.label));
  t.equal(item.image, SEED.images[0]);
  t.equal(item.date_published, SEED.publishedAt);
  t.same(item._feedrelay.figures.map((f) => f.caption), SEED.captions);
  t.equal(item._feedrelay.byline, SEED.byline);
});

t.test('tag feeds: every category link in the feeds leads to a feed of that tag', async (t) => {
  const atom = (await app.inject({ url: '/feeds/kazakhstan.atom' })).body;
  const schemes = [...atom.matchAll(/<category [^>]*scheme="([^"]+)"/g)].map((m) => m[1]!);
  t.same(schemes, SEED.tags.map((x) => `http://feeds.example.test/tags/${x.slug}.atom`));
  for (const scheme of schemes) {
    const res = await app.inject({ url: scheme.replace('http://feeds.example.test', '') });
    t.equal(res.statusCode, 200, scheme);
    t.equal(res.headers['content-type'], 'application/atom+xml; charset=utf-8');
    const feed = await new Parser().parseString(res.body);
    t.same(feed.items.map((i) => i.link), [`${origin.url}${POST_PATH}`], `${scheme}: the seed post`);
    t.match(res.body, new RegExp(`<link rel="self" href="${scheme.replace(/[.?]/g, '\\$&')}"`), 'self link is the tag feed');
  }
  const csto = (await app.inject({ url: '/tags/csto.json' })).json<{ title: string; feed_url: string }>();
  t.equal(csto.title, 'CSTO', "titled with the tag's label");
  t.equal(csto.feed_url, 'http://feeds.example.test/tags/csto.json');
  const rss = await new Parser().parseString((await app.inject({ url: '/tags/protests.rss' })).body);
  t.equal(rss.items.length, 1);
});

t.test('OPML lists every feed in every format, and each link answers', async (t) => {
  const res = await app.inject({ url: '/feeds.opml' });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'text/x-opml; charset=utf-8');
  const doc = xml2js(res.body, { compact: false }) as XmlElement;
  const opml = child(doc, 'opml');
  t.equal(attr(opml, 'version'), '2.0');
  const folders = children(child(opml, 'body'), 'outline');
  t.same(folders.map((f) => attr(f, 'text')).sort(), ['Central Asia', 'From the page', 'Kazakhstan unrest']);
  const outlines = folders.flatMap((f) => children(f, 'outline'));
  t.equal(outlines.length, 9, 'three formats per feed');
  for (const o of outlines) {
    t.equal(attr(o, 'type'), 'rss');
    const url = String(attr(o, 'xmlUrl'));
    const answer = await app.inject({ url: url.replace('http://feeds.example.test', '') });
    t.equal(answer.statusCode, 200, url);
  }
});

t.test('unknown feeds and routes answer 404 with a JSON error', async (t) => {
  for (const url of ['/feeds/nope.atom', '/feeds/kazakhstan.xml', '/nowhere', '/tags/no-such-tag.atom', '/tags/Bad_Slug.json']) {
    const res = await app.inject({ url });
    t.equal(res.statusCode, 404, url);
    t.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    t.equal(res.json<ApiError>().error.code, 'not_found');
  }
  t.equal((await app.inject({ url: '/feeds/kazakhstan.atom?limit=-1' })).statusCode, 400);
});

t.test('health', async (t) => {
  t.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
  const ready = await app.inject({ url: '/readyz' });
  t.equal(ready.statusCode, 503, 'not ready until the scheduler runs');
  const readiness = ready.json<{ notReady: string[]; checks: Record<string, boolean> }>();
  t.same(readiness.notReady, ['scheduler']);
  t.same(readiness.checks, { store: true, migrations: true, scheduler: false });
  service.scheduler.start(service.sources, '0 0 1 1 *');
  t.equal((await app.inject({ url: '/readyz' })).statusCode, 200);
});
