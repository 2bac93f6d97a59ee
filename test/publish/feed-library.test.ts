// Pins each fix feedrelay's wrapper makes to the `feed` library's output (see src/publish/feed-library.ts).
import t from 'tap';
import Parser from 'rss-parser';
import { writeAtom } from '../../src/publish/atom.ts';
import { writeRss } from '../../src/publish/rss.ts';
import { writeJsonFeed } from '../../src/publish/json-feed.ts';
import { feedView, renderFeed } from '../../src/publish/render.ts';
import { cronIntervalMinutes } from '../../src/publish/cron-interval.ts';
import { xmlSafe } from '../../src/publish/escape.ts';
import type { Article } from '../../src/model/article.ts';

const hostile: Article = {
  id: 'b'.repeat(24),
  sourceId: 's',
  url: 'https://x.example/a?x=1&y=2',
  guid: 'g',
  title: 'Tom & Jerry <b>not bold</b> ]]> \u0001 done',
  byline: 'Ann & Bo',
  authors: [{ name: 'Ann & Bo', url: 'https://x.example/ann?a=1&b=2' }],
  publishedAt: '2022-01-06T09:14:27.000Z',
  publishedAtStated: true,
  updatedAt: '2022-01-07T00:00:00.000Z',
  summary: 'Sum & mary ]]> \u0002',
  contentHtml: '<p>Body ]]> &amp; more</p><figure><img src="https://x.example/i.jpg?a=1&amp;b=2" alt="" /><figcaption>Cap &amp; tion</figcaption></figure>',
  contentText: 'Body',
  image: { url: 'https://x.example/i.jpg?a=1&b=2', caption: 'Cap & tion', alt: 'Alt "quoted"' },
  figures: [{ url: 'https://x.example/i.jpg?a=1&b=2', caption: 'Cap & tion', alt: 'Alt "quoted"' }],
  tags: [{ label: 'R&D', slug: 'r-d' }],
  language: 'en',
  wordCount: 1,
};
const view = feedView({ id: 'k', title: 'Feed & co', description: 'D', language: 'en' }, 'https://feeds.example', '*/30 * * * *');
const parser = new Parser({ customFields: { item: [['media:content', 'media', { keepArray: true }], ['dc:creator', 'creator'], ['category', 'cats', { keepArray: true }]] } });

for (const [name, write] of [['atom', writeAtom], ['rss', writeRss]] as const) {
  t.test(`${name}: well-formed with hostile text, titles are text`, async (t) => {
    const xml = write(view, [hostile]);
    // eslint-disable-next-line no-control-regex -- the two control characters the hostile article carries
    t.notMatch(xml, /[\u0001\u0002]/, 'characters illegal in XML dropped');
    t.notMatch(xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, ''), /&(?!amp;|lt;|gt;|quot;|apos;|#)/, 'every & outside CDATA is escaped');
    const feed = await parser.parseString(xml);
    t.equal(feed.title, 'Feed & co');
    const item = feed.items[0]! as unknown as Record<string, unknown> & Parser.Item;
    t.equal(item.title, 'Tom & Jerry <b>not bold</b> ]]>  done', 'a title is plain text, not HTML');
    t.equal(item.link, hostile.url);
    const media = (item['media'] as Array<{ $: { url: string }; 'media:description': Array<{ _: string }>; 'media:title': Array<{ _: string }> }>)[0]!;
    t.equal(media.$.url, hostile.figures[0]!.url);
    t.equal(media['media:description'][0]!._, 'Cap & tion');
    t.equal(media['media:title'][0]!._, 'Alt "quoted"');
    t.match((item['content:encoded'] as string | undefined) ?? item.content, 'Body ]]&gt; &amp; more', 'content survives "]]>" (as ]]&gt;, the same text in HTML)');
    t.notMatch(xml, /<enclosure|rel="enclosure"/, 'no enclosure with a guessed type or length');
  });
}

t.test('atom: categories carry term, label and scheme', async (t) => {
  const xml = writeAtom(view, [hostile]);
  t.match(xml, '<category label="R&amp;D" scheme="https://feeds.example/tags/r-d.atom" term="r-d"/>');
  t.match(xml, /<id>urn:uuid:[0-9a-f-]{36}<\/id>/);
  t.match(xml, '<uri>https://x.example/ann?a=1&amp;b=2</uri>');
});

t.test('rss: dc:creator, no author without e-mail, ttl from the schedule', async (t) => {
  const xml = writeRss(view, [hostile]);
  t.match(xml, '<dc:creator>Ann &amp; Bo</dc:creator>');
  t.notMatch(xml, /<author>/);
  t.match(xml, '<ttl>30</ttl>');
  t.match(xml, '<category domain="https://feeds.example/tags/r-d.rss">R&amp;D</category>');
  t.match(xml, /<guid isPermaLink="false">urn:uuid:/);
  t.match(xml, /<atom:link href="https:\/\/feeds\.example\/feeds\/k\.rss" rel="self" type="application\/rss\+xml"\/>/);
});

t.test('json feed 1.1, not the library\'s 1.0', async (t) => {
  const doc = JSON.parse(writeJsonFeed(view, [hostile])) as { version: string; items: Array<Record<string, unknown> & { authors: unknown; _feedrelay: { image: { caption: string } } }> };
  t.equal(doc.version, 'https://jsonfeed.org/version/1.1');
  t.same(doc.items[0]?.authors, [{ name: 'Ann & Bo', url: 'https://x.example/ann?a=1&b=2' }]);
  t.notOk('author' in doc.items[0]!);
  t.equal(doc.items[0]?._feedrelay.image.caption, 'Cap & tion');
});

t.test('helpers', async (t) => {
  t.equal(xmlSafe('a\u0000b\uD800c\uDBFF\uDFFFd'), 'abc\uDBFF\uDFFFd', 'lone surrogates dropped, pairs kept');
  t.equal(cronIntervalMinutes('*/15 * * * *'), 15);
  t.equal(cronIntervalMinutes('0 */2 * * *'), 120);
  t.equal(cronIntervalMinutes('0 6 * * *'), 1440);
  t.equal(cronIntervalMinutes('5,35 * * * *'), 60);
});

t.test('a feed shows at most its maxTags tags per article', async (t) => {
  const many = { ...hostile, tags: Array.from({ length: 14 }, (_, i) => ({ label: `Tag ${i}`, slug: `tag-${i}` })) };
  const json = JSON.parse(renderFeed('json', view, [many], 3)) as { items: Array<{ tags: string[] }> };
  t.same(json.items[0]?.tags, ['Tag 0', 'Tag 1', 'Tag 2'], 'upstream order, cut at the cap');
  const atom = renderFeed('atom', view, [many]);
  t.equal(atom.match(/<category /g)?.length, 10, 'default cap 10');
});

t.test('media:content: each figure carries its own thumbnail, so the item-level one (the lead) is no other photo\'s', async (t) => {
  const two: Article = {
    ...hostile,
    image: { url: 'https://x.example/one.jpg' },
    figures: [{ url: 'https://x.example/one.jpg' }, { url: 'https://x.example/two.jpg', caption: 'Second' }],
  };
  for (const [name, write] of [['atom', writeAtom], ['rss', writeRss]] as const) {
    const item = (await parser.parseString(write(view, [two]))).items[0] as unknown as Record<string, unknown>;
    const media = item['media'] as Array<{ $: { url: string }; 'media:thumbnail'?: Array<{ $: { url: string } }> }>;
    t.same(
      media.map((m) => [m.$.url, m['media:thumbnail']?.map((th) => th.$.url)]),
      [
        ['https://x.example/one.jpg', ['https://x.example/one.jpg']],
        ['https://x.example/two.jpg', ['https://x.example/two.jpg']],
      ],
      `${name}: one thumbnail per media:content, its own picture`,
    );
    t.equal(write(view, [two]).match(/<media:group/g), null, `${name}: no media:group (different photos are not one work in several encodings)`);
  }
});

t.test('a feed whose definition names no language takes the one its articles agree on', async (t) => {
  const unnamed = feedView({ id: 'k', title: 'Feed', description: 'D', language: undefined }, 'https://feeds.example', '*/30 * * * *');
  const lang = (language: string | null, id: string): Article => ({ ...hostile, id: id.repeat(24), language });
  const declared = (articles: Article[], v = unnamed) => {
    const rss = /<language>([^<]*)<\/language>/.exec(renderFeed('rss', v, articles))?.[1] ?? null;
    const atom = /<feed [^>]*xml:lang="([^"]*)"/.exec(renderFeed('atom', v, articles))?.[1] ?? null;
    const json = (JSON.parse(renderFeed('json', v, articles)) as { language?: string }).language ?? null;
    return { rss, atom, json };
  };
  t.same(declared([lang('en', 'a'), lang('en', 'b')]), { rss: 'en', atom: 'en', json: 'en' }, 'all say en');
  t.same(declared([lang('en-GB', 'a'), lang('en-US', 'b')]), { rss: 'en', atom: 'en', json: 'en' }, 'regions differ: the shared language');
  t.same(declared([lang('en', 'a'), lang('ru', 'b')]), { rss: null, atom: null, json: null }, 'they disagree: none');
  t.same(declared([lang('en', 'a'), lang(null, 'b')]), { rss: null, atom: null, json: null }, 'one names none: none claimed for it');
  t.same(declared([]), { rss: null, atom: null, json: null }, 'no articles: none');
  t.same(declared([lang('ru', 'a')], view), { rss: 'en', atom: 'en', json: 'en' }, 'the definition\'s language wins');
  t.notMatch(renderFeed('atom', unnamed, [lang('en', 'a'), lang('en', 'b')]), /<entry xml:lang/, 'entries in the feed\'s language do not repeat it');
});
