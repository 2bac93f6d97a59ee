// fullText: excerpt-only feed items completed from their pages, on a loopback origin.
import t from 'tap';
import { startOrigin, serveText } from '../helpers/origin.ts';
import { tempEnv, startService } from '../helpers/service.ts';
import { isExcerpt, wantsPage } from '../../src/ingest/pipeline/full-text.ts';
import type { RawItem } from '../../src/ingest/format/raw.ts';

const item = (over: Partial<RawItem>): RawItem => ({ link: 'https://x.example/a', authors: [], categories: [], media: [], ...over });
const long = `<p>${'A full paragraph of the story with enough words to be a post. '.repeat(12)}</p>`;

t.test('what counts as an excerpt', async (t) => {
  t.ok(isExcerpt(item({ summaryHtml: '<p>Only a description</p>' })), 'no content at all');
  t.ok(isExcerpt(item({ contentHtml: '<p>Short teaser.</p>' })), 'short content');
  t.ok(isExcerpt(item({ contentHtml: `${long}<p>And then [&hellip;]</p>` })), 'WordPress [&hellip;]');
  t.ok(isExcerpt(item({ contentHtml: `${long}<p><a href="/a">Continue reading &rarr;</a></p>` })), 'Continue reading');
  t.ok(isExcerpt(item({ contentHtml: `${long}<p>Читать далее</p>` })), 'Russian "read more"');
  t.notOk(isExcerpt(item({ contentHtml: long })), 'a full post');
  t.notOk(wantsPage(item({ summaryHtml: 'x' }), 'never'));
  t.ok(wantsPage(item({ contentHtml: long }), 'always'));
  t.notOk(wantsPage(item({ link: 'mailto:a@b', summaryHtml: 'x' }), 'auto'), 'only http(s) pages');
});

const page = (n: number) => `<!doctype html><html lang="en"><head><title>Post ${n}</title>
<meta property="article:published_time" content="2024-01-0${n}T10:00:00Z"></head><body>
<article><h1>Post ${n}</h1><p class="byline">By Page Author</p>
${'<p>The full story, as the page tells it, goes on for a good many sentences with enough words to be read. </p>'.repeat(6)}
<figure><img src="/img/${n}.jpg" alt="Picture ${n}"><figcaption>Caption ${n}</figcaption></figure></article></body></html>`;

function feed(base: string, fullContent = false, dir = 'post') {
  const items = [1, 2]
    .map(
      (n) => `<item><title>Post ${n}</title><link>${base}/${dir}/${n}</link><guid>${base}/${dir}?p=${n}</guid>
<pubDate>Wed, 0${n} Jan 2024 10:00:00 GMT</pubDate><category>Feed tag</category>
<description>Teaser ${n} [&#8230;]</description>${fullContent ? `<content:encoded><![CDATA[${long}]]></content:encoded>` : ''}</item>`,
    )
    .join('');
  return `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title><link>${base}/</link>${items}</channel></rss>`;
}

t.test('auto: pages fetched once, a failing page keeps its excerpt', async (t) => {
  const origin = await startOrigin();
  t.teardown(() => origin.close());
  origin.routes.set('/feed', serveText(feed(origin.url), 'application/rss+xml'));
  origin.routes.set('/post/1', serveText(page(1), 'text/html; charset=utf-8'));
  origin.routes.set('/post/2', (_req, res) => {
    res.writeHead(500);
    res.end('boom');
  });
  const env = tempEnv({ f: `title: F\nsources:\n  - id: s\n    url: ${origin.url}/feed\n` });
  t.teardown(env.cleanup);
  const service = await startService(env.env);
  t.teardown(() => service.stop());

  const first = await service.runner.run(service.sources, { force: true });
  t.equal(first.sources[0]?.outcome, 'ok', 'a page that fails does not fail the source');
  const { articles } = await service.store.listArticles({ sourceIds: ['s'], limit: 10 });
  const [two, one] = articles;
  t.match(one?.contentText, /The full story, as the page tells it/, 'content from the page');
  t.same(one?.figures, [{ url: `${origin.url}/img/1.jpg`, caption: 'Caption 1', alt: 'Picture 1' }], 'figures from the page');
  t.equal(one?.summary, 'Teaser 1…', "the feed's excerpt stays the summary");
  t.same(one?.tags.map((x) => x.label), ['Feed tag'], "the feed's categories");
  t.equal(one?.guid, `${origin.url}/post?p=1`, "the feed's guid");
  t.equal(one?.byline, 'Page Author', 'the page names the author the feed did not');
  t.notMatch(one?.contentText, /By Page Author/, 'the byline box is not content');
  t.match(two?.contentText, /^Teaser 2 \[…\]$/, 'the excerpt is kept when the page fails');
  t.equal(origin.hits.get('/post/1'), 1);

  await service.runner.run(service.sources, { force: true });
  t.equal(origin.hits.get('/post/1'), 1, 'a page already read is not fetched again while the feed says nothing changed');
  t.equal(origin.hits.get('/post/2'), 2, 'a page that failed is tried again next cycle');
});

t.test('never and always', async (t) => {
  const origin = await startOrigin();
  t.teardown(() => origin.close());
  origin.routes.set('/feed', serveText(feed(origin.url), 'application/rss+xml'));
  origin.routes.set('/full', serveText(feed(origin.url, true, 'full'), 'application/rss+xml'));
  for (const n of [1, 2]) for (const dir of ['post', 'full']) origin.routes.set(`/${dir}/${n}`, serveText(page(n), 'text/html'));
  const env = tempEnv({
    f: `title: F\nsources:\n  - id: never\n    url: ${origin.url}/feed\n    fullText: never\n`,
    g: `title: G\nsources:\n  - id: always\n    url: ${origin.url}/full\n    fullText: always\n`,
  });
  t.teardown(env.cleanup);
  const service = await startService(env.env);
  t.teardown(() => service.stop());
  await service.runner.run(service.sources.filter((s) => s.id === 'never'), { force: true });
  t.equal(origin.hits.get('/post/1'), undefined, 'never: no page fetched');
  await service.runner.run(service.sources.filter((s) => s.id === 'always'), { force: true });
  t.equal(origin.hits.get('/full/1'), 1, 'always: the page is read even though the feed has full content');
  const { articles } = await service.store.listArticles({ sourceIds: ['always'], limit: 10 });
  t.match(articles[1]!.contentText, /as the page tells it/);
});
