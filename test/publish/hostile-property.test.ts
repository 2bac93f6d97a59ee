// Property test: articles full of hostile text (markup, "]]>", entities, emoji, right-to-left
// and Cyrillic script, control characters and lone surrogates, very long words) always render
// to well-formed Atom and RSS that rss-parser reads back, and to JSON that parses, with the
// title intact apart from the characters XML 1.0 cannot carry.
import t from 'tap';
import fc from 'fast-check';
import Parser from 'rss-parser';
import { feedView, renderFeed } from '../../src/publish/render.ts';
import { xmlSafe } from '../../src/publish/escape.ts';
import type { Article } from '../../src/model/article.ts';

const pieces = fc.oneof(
  fc.constantFrom('&', '<', '>', '"', "'", ']]>', '<![CDATA[', '&amp;', '&#0;', '<script>alert(1)</script>', '🇰🇿', '🚋', 'עברית', 'العربية', 'Қазақстан', 'Протесты', '\u202e', '\u0000', '\u0001', '\u000b', '\ud800', '\udc00', '\ufffe', '\uffff', '\t'),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constant('x'.repeat(5000)),
);
const hostile = fc.array(pieces, { minLength: 1, maxLength: 8 }).map((a) => a.join(''));
// Titles as normalize leaves them: whitespace collapsed, never empty.
const title = hostile.map((s) => s.replace(/\s+/g, ' ').trim()).filter((s) => xmlSafe(s).trim().length > 0);

const article = fc.record({ title, summary: hostile, body: hostile, tag: hostile, byline: hostile }).map(
  (r, i = 0): Article => ({
    id: 'f'.repeat(24),
    sourceId: 's',
    url: 'https://x.example/a?b=1&c=2',
    guid: 'https://x.example/?p=1',
    title: r.title,
    byline: r.byline,
    authors: [{ name: r.byline }],
    publishedAt: '2024-01-01T00:00:00.000Z',
    publishedAtStated: true,
    updatedAt: '2024-01-01T00:00:00.000Z',
    summary: r.summary,
    contentHtml: `<p>${r.body.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`,
    contentText: r.body,
    image: { url: 'https://x.example/i.jpg', caption: r.summary, alt: r.title },
    figures: [{ url: 'https://x.example/i.jpg', caption: r.summary, alt: r.title }],
    tags: [{ label: r.tag, slug: `t${i}` }],
    language: 'en',
    wordCount: 1,
  }),
);

const view = feedView({ id: 'k', title: 'K & <co>', description: 'D', language: 'en' }, 'https://feeds.example', '*/30 * * * *');
const parser = new Parser();
// What a reader can see of a title: XML 1.0's characters, whitespace collapsed.
const visible = (s: string) => xmlSafe(s).replace(/\s+/g, ' ').trim();

t.test('every format parses and carries the title', async (t) => {
  await fc.assert(
    fc.asyncProperty(article, async (a) => {
      for (const format of ['atom', 'rss'] as const) {
        const xml = renderFeed(format, view, [a]);
        const feed = await parser.parseString(xml); // throws on XML that is not well-formed
        if (visible(feed.items[0]!.title ?? '') !== visible(a.title)) throw new Error(`${format} title ${JSON.stringify(feed.items[0]!.title)} != ${JSON.stringify(a.title)}`);
        // eslint-disable-next-line no-control-regex -- the C0 controls XML 1.0 forbids
        if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(xml)) throw new Error(`${format}: a character XML 1.0 forbids`);
      }
      const json = JSON.parse(renderFeed('json', view, [a])) as { items: Array<{ title?: string }> };
      if (json.items[0]?.title !== a.title) throw new Error(`json title ${JSON.stringify(json.items[0]?.title)} != ${JSON.stringify(a.title)}`);
    }),
    { numRuns: Number(process.env['FC_RUNS'] ?? 300), seed: process.env['FC_SEED'] ? Number(process.env['FC_SEED']) : undefined },
  );
  t.pass('300 hostile articles rendered and read back in every format');
});
