// HTML article page -> RawItem: metadata from the page's own signals (JSON-LD, Open Graph,
// article:*, rel=tag, time[datetime]), content from @mozilla/readability on a linkedom DOM.
import { Readability } from '@mozilla/readability';
import { captionsAsFigures } from '../content/captions.ts';
import { removeChrome } from '../content/chrome.ts';
import { parseDocument, type DomElement } from '../dom.ts';
import { IngestError } from '../errors.ts';
import type { RawFeed, RawItem } from '../format/raw.ts';
import { isZeroDate, moreExact, urlDate, visibleDate } from '../normalize/dates.ts';
import { normalizeSpace, textAsHtml } from '../text.ts';
import { isNotLeadImage } from '../content/images.ts';
import { headerByline, machineAuthor as hasMachineAuthor, pageAuthors } from './byline.ts';
import { isListing, jsonLdArticle, ldImages } from './json-ld.ts';
import { indexPage, listedTags } from './page-index.ts';
import { articleTitle, readHeading } from './title.ts';
import { findDek } from './dek.ts';
import { openingByline, printedSignals } from './printed.ts';

/** The article element Readability returns, without the byline boxes, as HTML. */
function serializeWithoutBylines(article: DomElement, texts: Set<string>): string {
  if (texts.size) {
    for (const el of Array.from(article.querySelectorAll('p, div, span, em, address, section'))) {
      if (texts.has(normalizeSpace(el.textContent ?? ''))) el.remove();
    }
  }
  return article.innerHTML;
}

const PUBLISHED_METAS = [
  'article:published', 'og:published_time', 'datepublished', 'date', 'pubdate', 'publishdate', 'publish_date', 'publish-date', 'published_time',
  'dc.date.issued', 'dcterms.issued', 'dc.date.created', 'dcterms.created', 'dc.date', 'dcterms.date', 'parsely-pub-date', 'sailthru.date',
  'citation_publication_date', 'citation_date', 'article.published', 'cxenseparse:recs:publishtime',
];

/** The first declared image that is not a site-wide default, a logo or an icon (the rules'
 * "images.notLead"), as an absolute URL. */
function declaredImage(candidates: Array<string | undefined>, base: string): string | undefined {
  for (const c of candidates) {
    if (!c?.trim()) continue;
    let url: string;
    try {
      url = new URL(c.trim(), base).href;
    } catch {
      continue;
    }
    if (!/^https?:/.test(url) || isNotLeadImage(url)) continue;
    return url;
  }
  return undefined;
}

const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?([+-]\d{2}:?\d{2})$/;
const ZONELESS = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

const STATED_UTC = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]00:?00)$/i;

/** "2016-11-28T11:00:00" and a page whose other dates say -08:00 -> "2016-11-28T11:00:00-08:00".
 * A time stated as UTC that another of the page's dates states as the same wall clock with an
 * offset is that local time mislabelled ("20:00:00.000Z" and <time datetime="...T20:00:00+09:00">).
 * Seen on several extraction-2 sites, each time with the page or the truth confirming the offset:
 * mercury-www.gizmodo.jp (article:published_time 2019-04-19T20:00:00.000Z, <time datetime>
 * 20:00:00+09:00; the truth is 11:00Z); traf-prensalibre.com-tendencia (cXenseParse:publishtime
 * 2022-04-21T22:04:54Z, <time datetime> 22:04:54-06:00, which article:published_time
 * 2022-04-22T04:04:54+00:00 and parsely-pub-date confirm); mercury-fandom.wikia.com (<time
 * datetime> 2016-10-02T19:30:57+00:00, article:published_time 19:30:57-07:00; the truth 02:30:57Z). */
function withZoneOf(date: string, others: Array<string | undefined>): string {
  const d = date.trim();
  const utc = STATED_UTC.exec(d);
  if (utc) {
    const local = others.map((o) => o?.trim()).find((o) => o && o.startsWith(utc[1]!) && ZONED.test(o) && !/[+-]00:?00$/.test(o));
    return local ?? date;
  }
  if (!ZONELESS.test(d)) return date;
  for (const o of others) {
    const m = o && ZONED.exec(o.trim());
    if (m) return `${d.replace(' ', 'T')}${m[1]}`;
  }
  return date;
}

const ldDates = (ld: Record<string, unknown> | undefined): string[] =>
  ld ? ['dateModified', 'dateCreated', 'uploadDate'].map((k) => ld[k]).filter((v): v is string => typeof v === 'string') : [];

export function extractPage(html: string, pageUrl: string): RawFeed {
  const document = parseDocument(html);
  const ix = indexPage(document.documentElement);
  const { metas } = ix;
  // Meta names match case-insensitively: DC.Date.Issued and dc.date.issued are one name (the
  // index keeps them lower-cased).
  const meta = (...keys: string[]) => keys.map((k) => metas.get(`p:${k.toLowerCase()}`) ?? metas.get(`n:${k.toLowerCase()}`)).find((v) => v !== undefined);
  const nonEmpty = (v: string | null | undefined) => (v && v.trim() ? v.trim() : undefined);
  let base = pageUrl;
  try {
    if (ix.base?.trim()) base = new URL(ix.base.trim(), pageUrl).href;
  } catch {
    /* a broken <base> is ignored */
  }
  const ld = jsonLdArticle(ix.jsonLd);
  const canonical = nonEmpty(ix.canonical) ?? meta('og:url');
  // The tags the page prints for readers (rel="tag" links, else its tag list) are the post's
  // tags; article:tag and JSON-LD keywords, written for machines, often add search terms the
  // page never shows, and stand in only where it prints none. WordPress's rel="category tag"
  // (the section the theme files the post under) stands in last.
  const machineTags = [
    ...ix.articleTags,
    ...(typeof ld?.['keywords'] === 'string' ? ld['keywords'].split(',') : Array.isArray(ld?.['keywords']) ? (ld['keywords'] as string[]) : []),
  ];
  const printedTags = ix.tagLinks.length > 0 ? ix.tagLinks : listedTags(ix);
  const fallbackTags = listedTags(ix, 'before');
  const categories = (printedTags.length > 0 ? printedTags : machineTags.length > 0 ? machineTags : fallbackTags.length > 0 ? fallbackTags : ix.categoryLinks)
    .map((s) => normalizeSpace(s))
    .filter(Boolean);
  const ldString = (k: string) => (typeof ld?.[k] === 'string' && ld[k].trim() ? ld[k] : undefined);
  const itemprop = (name: string) => {
    // The index keeps the one inside the Article's own scope first: pages embed videos and
    // teasers with their own.
    const el = ix.itemprops.get(name);
    return nonEmpty(el?.getAttribute('content') ?? el?.getAttribute('datetime') ?? el?.getAttribute('title') ?? el?.textContent);
  };
  // Best signal first: structured data, then meta tags, then what the page prints.
  let published =
    ldString('datePublished') ??
    meta('article:published_time') ??
    itemprop('datePublished') ??
    // Dublin Core, Parse.ly, Sailthru, Highwire (citation_*) and the common CMS names.
    meta(...PUBLISHED_METAS) ??
    nonEmpty(ix.abbrPublished) ??
    nonEmpty(ix.firstTime?.getAttribute('datetime'));
  let updated = ldString('dateModified') ?? meta('article:modified_time') ?? itemprop('dateModified') ?? nonEmpty(ix.updatedTime?.getAttribute('datetime'));
  // A CMS's empty date ("0001-01-01T00:00:00Z") states nothing.
  if (published && isZeroDate(published)) published = undefined;
  if (updated && isZeroDate(updated)) updated = undefined;
  // html[lang] speaks for the page; og:locale is a weaker hint, used after the feed's language.
  const language = document.documentElement.getAttribute('lang')?.trim() || undefined;
  const locale = meta('og:locale');
  const machineAuthor = hasMachineAuthor(ix, ld);
  // Read before Readability runs: parse() rewrites the document it is given. The walk over the
  // page is the fallback for pages whose metadata names neither date nor author.
  // Some pages put their content outside the body the parser makes (markup before <body>).
  const bodyRoot = document.body.children.length ? document.body : document.documentElement;
  const printed = published && machineAuthor ? {} : printedSignals(bodyRoot);
  // Byline boxes repeat the byline and date in the content; Readability needs them to find the
  // byline, and loses their class names, so they are found again after it by their text.
  const bylineTexts = new Set(ix.bylines.map((el) => normalizeSpace(el.textContent ?? '')).filter((t) => t.length > 0 && t.length <= 300));
  const declared = declaredImage([meta('og:image', 'og:image:url', 'og:image:secure_url'), meta('twitter:image', 'twitter:image:src'), ...ldImages(ld), ix.imageSrc], base);
  const ogAlt = meta('og:image:alt');

  // Read before Readability rewrites the page.
  const headings = [...ix.h1s, ...ix.h2s].map(readHeading);
  const publisher = ld?.['publisher'] && typeof ld['publisher'] === 'object' ? (ld['publisher'] as Record<string, unknown>)['name'] : undefined;
  // Read now: on some pages Readability's rewrite leaves linkedom's document without its root.
  const docTitle = document.title;
  const siteNames = [meta('og:site_name'), meta('application-name'), meta('twitter:site'), typeof publisher === 'string' ? publisher : undefined].filter((s): s is string => !!s);
  const header = headerByline(ix.h1s, [meta('og:title'), ldString('headline'), docTitle].filter((h): h is string => !!h));
  removeChrome(document.body, ix.chrome);
  // Before Readability, which drops the class names that mark classic WordPress captions.
  captionsAsFigures(document.body, document, ix.captions.filter((c) => !ix.chrome.some((x) => x === c.box)));
  // Read before Readability, which takes the story from a container the dek is mostly outside of.
  const dek = findDek(document.body, ix.h1s);
  let parsed: ReturnType<Readability['parse']>;
  try {
    // Readability resolves relative URLs against the document's base.
    Object.defineProperty(document, 'baseURI', { value: base, configurable: true });
    Object.defineProperty(document, 'documentURI', { value: pageUrl, configurable: true });
    // keepClasses: the chrome and byline rules run again on the extracted content, by class.
    // The article comes back as its element, so bylines are removed before it is serialized once.
    const found = new Readability(document, { charThreshold: 200, keepClasses: true, serializer: (el: unknown) => el as DomElement }).parse();
    parsed = found && { ...found, content: found.content ? serializeWithoutBylines(found.content, bylineTexts) : '' };
  } catch (err) {
    throw new IngestError('extract', 'malformed', `Readability failed on ${pageUrl}: ${(err as Error).message}`, { cause: err });
  }
  if (!parsed || !parsed.content) throw new IngestError('extract', 'empty', `no article found in ${pageUrl}`);
  if (dek && !normalizeSpace(parsed.textContent ?? '').includes(dek.slice(0, 80))) parsed.content = `<p>${textAsHtml(dek)}</p>${parsed.content}`;

  const authors = pageAuthors({
    ix,
    ld,
    siteNames,
    opening: openingByline(parsed.textContent ?? ''),
    header,
    readability: parsed.byline,
    printed: printed.byline,
    listing: isListing(ix.jsonLd),
  });
  // Dates printed in the byline ("By Nathan Willis March 25, 2015") or as the story's dateline.
  // The printed date box beats the byline's date where it says more of the same date (its zone).
  published ??= moreExact(parsed.byline ? visibleDate(parsed.byline, language) : undefined, printed.date);
  updated ??= printed.updated;
  // Nothing else: the day in the article's own address ("/2014/05/18/slug/", WordPress's and
  // news sites' permalinks).
  if (!published && !updated) published = urlDate(canonical ?? pageUrl);
  // A time without a zone takes the zone the page states on its other dates (dateModified, meta
  // and JSON-LD times), not UTC; without one it is read in the source's zone (normalize).
  if (published) published = withZoneOf(published, [updated, ...metas.values(), ...ldDates(ld), nonEmpty(ix.firstTime?.getAttribute('datetime'))]);
  // Readability's title weighs JSON-LD headline, Dublin Core, Open Graph and <title> minus the
  // site name; it is right more often than og:title alone (see eval/extract.ts).
  const title = articleTitle({ title: parsed.title || meta('og:title') || ldString('headline') || '', ogTitle: meta('og:title'), docTitle, headline: itemprop('headline'), headings, siteNames, url: pageUrl });
  const item: RawItem = {
    link: canonical ? new URL(canonical, base).href : pageUrl,
    title,
    authors,
    categories,
    media: [],
    contentHtml: parsed.content,
    ...(parsed.excerpt && { summaryHtml: textAsHtml(parsed.excerpt) }),
    ...(published && { published }),
    ...(updated && { updated }),
    ...(language && { language }),
    page: {
      ...(declared && { leadImage: { url: declared, ...(ogAlt && { alt: ogAlt }) } }),
      ...(locale && { locale }),
    },
  };
  return { format: 'html', items: [item], ...(parsed.siteName && { title: parsed.siteName }), ...(language && { language }) };
}
