import t from 'tap';
import { parseFeed } from '../../src/ingest/format/parse-feed.ts';
import { normalize } from '../../src/ingest/normalize/normalize.ts';
import { splitAuthors, formatByline } from '../../src/ingest/normalize/bylines.ts';
import { parseDate } from '../../src/ingest/normalize/dates.ts';
import { canonicalUrl, articleId } from '../../src/ingest/normalize/identity.ts';
import { tagsOf } from '../../src/ingest/normalize/tags.ts';
import { detectFormat } from '../../src/ingest/format/detect.ts';
import { summarize } from '../../src/ingest/text.ts';
import { slugify } from '../../src/lib/slugify.ts';
import { FEED_XML, SEED, BLOG } from '../helpers/wordpress.ts';
import type { RawItem } from '../../src/ingest/format/raw.ts';

const now = new Date('2026-01-01T00:00:00Z');
const ctx = { sourceId: 's', baseUrl: `${BLOG}/feed/`, now };

t.test('the seed post from the WordPress.com feed', async (t) => {
  t.equal(detectFormat(FEED_XML), 'rss');
  const feed = await parseFeed(FEED_XML, 'rss');
  const { article: a, dated } = normalize(feed.items[0]!, { ...ctx, feedLanguage: feed.language });
  t.ok(dated);
  t.equal(a.title, SEED.title);
  t.notMatch(a.title, /\u00a0/, 'no no-break space left in the title');
  t.equal(a.byline, SEED.byline, 'byline from dc:creator');
  t.same(a.tags, SEED.tags);
  t.same(a.figures.map((f) => f.caption), SEED.captions);
  t.equal(a.figures[0]!.alt, 'Riot police stand behind a barricade of vehicles on a snowy Almaty street');
  t.equal(a.image?.url, SEED.images[0], 'lead image is the first content figure');
  t.notOk(a.figures.some((f) => /gravatar/.test(f.url)), "the author's Gravatar from media:content is no figure");
  t.notMatch(a.contentHtml, /pixel\.wp\.com|width="1"/, 'the stats pixel is gone');
  t.notMatch(a.contentHtml, /data-orig-file|srcset|data-attachment-id/, 'lazy-loading attributes resolved away');
  t.equal(a.guid, `${BLOG}/?p=4821`);
  t.equal(a.language, 'en');
  t.equal(a.summary.endsWith('…'), true, 'the excerpt\'s "[…]" becomes an ellipsis');
  t.notMatch(a.summary, /\[|&#/);
  t.equal(a.id, articleId('other-source', a.url, 'x'), 'the id depends on the canonical URL only');
});

t.test('ids stay put when tracking parameters change', async (t) => {
  t.equal(canonicalUrl('https://Example.com/a?utm_source=x&id=3&fbclid=y#top'), 'https://example.com/a?id=3');
  t.equal(articleId('s', 'https://example.com/a?utm_medium=rss', undefined), articleId('s', 'https://example.com/a', undefined));
  t.not(articleId('s', undefined, 'g1'), articleId('t', undefined, 'g1'), 'a URL-less guid is scoped by its source');
});

t.test('bylines', async (t) => {
  t.same(splitAuthors('By Jane Doe and John Roe'), ['Jane Doe', 'John Roe']);
  t.same(splitAuthors('Anna Karenina, Boris Godunov and Carl Sagan'), ['Anna Karenina', 'Boris Godunov', 'Carl Sagan']);
  t.same(splitAuthors('editor@example.com (Jane Doe)'), ['Jane Doe'], 'RSS author');
  t.same(splitAuthors('Par Jean Dupont', 'fr'), ['Jean Dupont']);
  t.same(splitAuthors('Door Jan Jansen', 'nl-BE'), ['Jan Jansen']);
  t.same(splitAuthors('di Mario Rossi', 'it'), ['Mario Rossi']);
  t.same(splitAuthors('por César Salza'), ['César Salza'], 'a lower-case label needs no language');
  t.same(splitAuthors('Von Max Müller & Erika Mustermann'), ['Max Müller', 'Erika Mustermann']);
});

t.test('a local "by" word is a label only in its language, never a surname\'s particle', async (t) => {
  // A surname with a particle that is another language's "by": never cut.
  t.same(splitAuthors('Di Maio', 'it'), ['Di Maio']);
  t.same(splitAuthors('Luigi Di Maio', 'it'), ['Luigi Di Maio']);
  t.same(splitAuthors('Di Maio, Mario Rossi', 'it'), ['Di Maio', 'Mario Rossi']);
  t.same(splitAuthors('Af Klint', 'da'), ['Af Klint']);
  t.same(splitAuthors('Von der Leyen'), ['Von der Leyen']);
  // Another language's word, or a capitalised one where no language is known, is the name's.
  t.same(splitAuthors('Di Mario Rossi', 'en'), ['Di Mario Rossi']);
  t.same(splitAuthors('Par Jean Dupont'), ['Par Jean Dupont']);
  t.same(splitAuthors('Door Kearns Mancini', 'en'), ['Door Kearns Mancini']);
  t.same(splitAuthors('PorCésar Salza', 'en'), ['PorCésar Salza']);
  // Before an agency or a desk it is the label: no surname is "Von dpa" or "Par Rédaction".
  t.same(splitAuthors('Von dpa'), ['dpa']);
  t.same(splitAuthors('Von AFP'), ['AFP']);
  t.same(splitAuthors('Par Rédaction', 'fr'), ['Rédaction']);
  // In its language, before a full name, it is the label.
  t.same(splitAuthors('Di Mario Rossi', 'it'), ['Mario Rossi']);
  t.same(splitAuthors('Av: Kari Nordmann', 'nb'), ['Kari Nordmann']);
  t.same(splitAuthors('PorCésar Salza', 'es'), ['César Salza']);
});

t.test('formatByline', async (t) => {
  t.equal(formatByline(['A B', 'C D', 'E F']), 'A B, C D and E F');
  t.equal(formatByline([]), null);
});

t.test('dates', async (t) => {
  t.equal(parseDate('Thu, 06 Jan 2022 09:14:27 +0000')?.toISOString(), '2022-01-06T09:14:27.000Z');
  t.equal(parseDate('2022-01-06T15:14:27+06:00')?.toISOString(), '2022-01-06T09:14:27.000Z');
  t.equal(parseDate('2022-01-06T15:14:27', 'Asia/Almaty')?.toISOString(), '2022-01-06T09:14:27.000Z', 'a zone-less date is read in the source time zone (UTC+6 then)');
  t.equal(parseDate('2022-01-06T09:14:27')?.toISOString(), '2022-01-06T09:14:27.000Z', 'UTC by default');
  t.equal(parseDate('not a date'), undefined);
  const item: RawItem = { link: 'https://x.example/a', title: 'Future', authors: [], categories: [], media: [], published: '2030-01-01T00:00:00Z', contentHtml: '<p>x</p>' };
  const n = normalize(item, ctx);
  t.equal(n.article.publishedAt, now.toISOString(), 'a date in the future is clamped to now');
  t.equal(n.clampedFrom, '2030-01-01T00:00:00.000Z');
  const undated = normalize({ ...item, published: undefined }, ctx);
  t.equal(undated.dated, false);
  t.equal(undated.article.publishedAt, now.toISOString(), 'no date: first seen');
});

t.test('tags', async (t) => {
  const item: RawItem = { authors: [], media: [], categories: ['Uncategorized', 'Protests', 'protest', 'CSTO', 'csto', 'Général', 'General', 'Казахстан'] };
  const tags = tagsOf(item, 'The Collective Security Treaty Organization met in Almaty.', 'Title', { Kazakhstan: ['Almaty'], Kyrgyzstan: ['Bishkek'], CSTO: ['Collective Security Treaty Organization'] }, 10);
  t.same(tags, [
    { label: 'Protests', slug: 'protests' },
    { label: 'CSTO', slug: 'csto' },
    { label: 'Казахстан', slug: 'kazakhstan' },
  ], 'defaults dropped (also French "Général"); case and plural variants merged; the rule\'s "Kazakhstan" merges with "Казахстан"');
  t.equal(slugify('Қазақстан жаңалықтары'), 'qazaqstan-zhanalyqtary');
  // Scripts no table spells in ASCII: a tag of their own, never an empty slug, never merged with
  // the ASCII part alone; the same label (any case, spacing) always gets the same slug.
  const cjk = slugify('人工知能');
  t.match(cjk, /^u[0-9a-f]{8}$/);
  t.equal(slugify(' 人工知能 '), cjk);
  t.not(slugify('中国'), cjk);
  t.match(slugify('AI人工知能'), /^ai-u[0-9a-f]{8}$/);
  t.equal(slugify('ΑΘΗΝΑ'), slugify('αθηνα'), 'case-folded before hashing');
  t.same(tagsOf({ authors: [], media: [], categories: ['人工知能', '中国', 'AI'] }, '', '', {}, 10).map((x) => x.label), ['人工知能', '中国', 'AI'], 'CJK tags are kept');
  t.equal(tagsOf(item, '', '', {}, 2).length, 2, 'capped');
});

t.test('summaries', async (t) => {
  t.equal(summarize('Short text [&#8230;]'.replace('&#8230;', '…')), 'Short text…');
  const long = 'word '.repeat(200);
  const s = summarize(long, 50);
  t.ok(s.length <= 50 && s.endsWith('…'));
});

t.test('an item with nothing to show is refused, one without a link kept, and hostile content is sanitized', async (t) => {
  t.throws(() => normalize({ authors: [], categories: [], media: [], title: '  ' }, ctx), { name: 'IngestError', message: /^normalize: .*no link, no id and nothing to show/ });
  const linkless = normalize({ authors: [], categories: [], media: [], title: 'x' }, { ...ctx, siteUrl: `${BLOG}/` }).article;
  t.equal(linkless.url, `${BLOG}/`, "an item with a title but no link points at the feed's site");
  const { article } = normalize(
    {
      link: 'https://x.example/post',
      title: '<b>Bold</b> &amp; plain',
      authors: [],
      categories: [],
      media: [],
      contentHtml: '<p onclick="x()">Hi <a href="javascript:alert(1)">js</a> <a href="/rel">rel</a></p><script>alert(1)</script><iframe src="https://evil.example"></iframe><img src="/a.jpg" style="x" onerror="y"><form><input></form>',
    },
    ctx,
  );
  t.equal(article.title, 'Bold & plain');
  t.notMatch(article.contentHtml, /onclick|javascript:|<script|<iframe|onerror|style=|<form|<input/);
  t.match(article.contentHtml, '<a href="https://x.example/rel" rel="noopener noreferrer">rel</a>', 'links absolute, rel set');
  t.match(article.contentHtml, '<img src="https://x.example/a.jpg" />');
});

t.test('bylines as pages print them', async (t) => {
  // [raw, people, the page's language where the label is a local word]
  const cases: Array<[string, string[], string?]> = [
    ['By Nathan Willis\n  March 25, 2015', ['Nathan Willis']],
    ['Bradley M. Kuhn (http://ebb.org/bkuhn/)', ['Bradley M. Kuhn']],
    ['By Brenda  Goodman, MA\n   WebMD Health News', ['Brenda Goodman']],
    ['Written by Rob Ewaschuk\n Edited by Betsy Beyer', ['Rob Ewaschuk']],
    ['By GILLIAN MOHNEY March 11, 2015 3:46 PM', ['Gillian Mohney']],
    ['Follow Author', []],
    ['Andrew Hayden, Software Engineer on Google Play', ['Andrew Hayden']],
    ['Por Steven Lee Myers, Keith Bradsher y Tariq Panja', ['Steven Lee Myers', 'Keith Bradsher', 'Tariq Panja'], 'es'],
    ['Анна Иванова и Пётр Петров', ['Анна Иванова', 'Пётр Петров']],
    ['2/26/2015 7:11 AM PST BY TMZ STAFF', ['TMZ Staff']],
    ['Posted by kovarex, TOGos, Ernestas, Albert on 2019-02-15, all posts', ['kovarex', 'TOGos', 'Ernestas', 'Albert']],
    ['Posted on Tuesday 15 October 2019 at 09:11 by Bradley M. Kuhn.', ['Bradley M. Kuhn']],
    ['Jane Doe for The Guardian', ['Jane Doe']],
    ['Organization for Transformative Works', ['Organization for Transformative Works']],
    ['Jane E. Doe', ['Jane E. Doe']],
    ['Follow @jane jane@example.com', []],
    // Glued text nodes, desks after a slash, labels, dates in other scripts, inverted names.
    ['Joe DavidsonWashington PostDec 13', ['Joe Davidson']],
    ['Meg WagnerNEW YORK DAILY NEWSDec 16', ['Meg Wagner']],
    ['ByTravis Haney', ['Travis Haney']],
    ['at by Kori Schulman', ['Kori Schulman']],
    ['Über Luis Holuch', ['Luis Holuch']],
    ['Saibal Dasgupta / TNN', ['Saibal Dasgupta']],
    ['ZDNet Japan Staff 2019年04月28日 08時00分', ['ZDNet Japan Staff']],
    ['Georg Quaas, 21. Jan. 2015', ['Georg Quaas']],
    ['Gillman, Steve', ['Steve Gillman']],
    ['Jong, Michiel de', ['Michiel de Jong']],
    // Two people, the second with a particle: no inverted name.
    ['Kooman, de Jong', ['Kooman', 'de Jong']],
    ['Jong, Michiel de Vries', ['Jong', 'Michiel de Vries']],
    ['Dr.\nRainer Quitzow', ['Dr. Rainer Quitzow']],
    ['Redacci&oacute;n Diario Pagina Siete', ['Redacción Diario Pagina Siete']],
    ['Dana A. Ford, Chien-Ming Wang, and Tom Watkins, CNN', ['Dana A. Ford', 'Chien-Ming Wang', 'Tom Watkins']],
    ['Michael Larabel in Valve', ['Michael Larabel']],
    ['JANE DOE, John Roe', ['Jane Doe', 'John Roe']],
  ];
  for (const [raw, want, language] of cases) t.same(splitAuthors(raw, language), want, JSON.stringify(raw));
});

t.test('a category that is a listed alias of a rule becomes its label', async (t) => {
  const item: RawItem = { link: 'https://x.example/a', authors: [], categories: ['ОДКБ', 'Protests', 'protest', 'Uncategorized'], media: [] };
  const tags = tagsOf(item, 'Troops of the Collective Security Treaty Organization arrived.', 'T', { CSTO: ['ОДКБ', 'Collective Security Treaty Organization'] }, 10);
  t.same(tags, [{ label: 'CSTO', slug: 'csto' }, { label: 'Protests', slug: 'protests' }], 'one CSTO tag, plural merged, platform default dropped');
});
