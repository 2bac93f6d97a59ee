// HTML article page -> RawItem: metadata from the page's own signals (JSON-LD, Open Graph,
// article:*, rel=tag, time[datetime]), content from @mozilla/readability on a linkedom DOM.
import { Readability } from '@mozilla/readability';
import { captionsAsFigures } from '../content/captions.ts';
import { removeChrome } from '../content/chrome.ts';
import { parseDocument, type DomElement } from '../dom.ts';
import { IngestError } from '../errors.ts';
import type { RawAuthor, RawFeed, RawItem } from '../format/raw.ts';
import { splitAuthors } from '../normalize/bylines.ts';
import { visibleDate } from '../normalize/dates.ts';
import { normalizeSpace, textAsHtml } from '../text.ts';
import { jsonLdArticle, ldAuthors } from './json-ld.ts';
import { indexPage } from './page-index.ts';
import { openingByline, printedSignals } from './printed.ts';

/** Readability 0.6 strips "Title | Site" and "Title - Site" from <title> but not the en and em
 * dash forms; do the same for those when the title is the document's own <title>. */
function withoutSiteName(title: string, docTitle: string | undefined): string {
  if (!docTitle || normalizeSpace(title) !== normalizeSpace(docTitle)) return title;
  const m = /^(.*\S)\s+[–—]\s+[^–—]+$/.exec(normalizeSpace(title));
  return m && m[1]!.split(' ').length >= 3 ? m[1]! : title;
}

/** The article element Readability returns, without the byline boxes, as HTML. */
function serializeWithoutBylines(article: DomElement, texts: Set<string>): string {
  if (texts.size) {
    for (const el of Array.from(article.querySelectorAll('p, div, span, em, address, section'))) {
      if (texts.has(normalizeSpace(el.textContent ?? ''))) el.remove();
    }
  }
  return article.innerHTML;
}

export function extractPage(html: string, pageUrl: string): RawFeed {
  const document = parseDocument(html);
  const ix = indexPage(document.documentElement);
  const { metas } = ix;
  // Keys match as written (attribute values are case-sensitive, as in CSS selectors).
  const meta = (...keys: string[]) => keys.map((k) => metas.get(`p:${k}`) ?? metas.get(`n:${k}`)).find((v) => v !== undefined);
  const metaName = (...keys: string[]) => keys.map((k) => metas.get(`n:${k}`)).find((v) => v !== undefined);
  const nonEmpty = (v: string | null | undefined) => (v && v.trim() ? v.trim() : undefined);
  let base = pageUrl;
  try {
    if (ix.base?.trim()) base = new URL(ix.base.trim(), pageUrl).href;
  } catch {
    /* a broken <base> is ignored */
  }
  const ld = jsonLdArticle(ix.jsonLd);
  const canonical = nonEmpty(ix.canonical) ?? meta('og:url');
  const categories = [
    ...ix.tagLinks,
    ...ix.articleTags,
    ...(typeof ld?.['keywords'] === 'string' ? ld['keywords'].split(',') : Array.isArray(ld?.['keywords']) ? (ld['keywords'] as string[]) : []),
  ]
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
    metaName('date', 'pubdate', 'publishdate', 'DC.date.issued', 'dc.date', 'parsely-pub-date', 'sailthru.date') ??
    nonEmpty(ix.abbrPublished) ??
    nonEmpty(ix.firstTime?.getAttribute('datetime'));
  const updated = ldString('dateModified') ?? meta('article:modified_time') ?? itemprop('dateModified') ?? nonEmpty(ix.updatedTime?.getAttribute('datetime'));
  // html[lang] speaks for the page; og:locale is a weaker hint, used after the feed's language.
  const language = document.documentElement.getAttribute('lang')?.trim() || undefined;
  const locale = meta('og:locale');
  const ldAuthor = ldAuthors(ld?.['author']);
  const articleAuthor = metas.get('p:article:author'); // Open Graph is property=, as the protocol says
  const machineAuthor = ldAuthor.people.length > 0 || [metas.get('p:dc:creator'), metaName('author'), articleAuthor].some((a) => a && splitAuthors(a).length);
  // Read before Readability runs: parse() rewrites the document it is given. The walk over the
  // page is the fallback for pages whose metadata names neither date nor author.
  const printed = published && machineAuthor ? {} : printedSignals(document.body);
  const relAuthor = ix.relAuthor?.textContent;
  // Byline boxes repeat the byline and date in the content; Readability needs them to find the
  // byline, and loses their class names, so they are found again after it by their text.
  const bylineTexts = new Set(ix.bylines.map((el) => normalizeSpace(el.textContent ?? '')).filter((t) => t.length > 0 && t.length <= 300));
  const visibleByline = ix.visibleByline?.textContent;
  const ogImage = meta('og:image') ?? meta('twitter:image');
  const ogAlt = meta('og:image:alt');

  removeChrome(document.body, ix.chrome);
  // Before Readability, which drops the class names that mark classic WordPress captions.
  captionsAsFigures(document.body, document, ix.captions.filter((c) => !ix.chrome.some((x) => x === c.box)));
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

  // Ordered as the issue of trust goes: structured data and meta tags are written for machines,
  // then the page's visible byline; Readability's byline is that visible byline found inside the
  // article (so it beats a global guess that may hit a sidebar teaser).
  const personCandidates = [
    metas.get('p:dc:creator') ?? metaName('dc.creator', 'DC.creator', 'dcterms.creator'),
    metaName('author'),
    articleAuthor && !/^https?:/i.test(articleAuthor) ? articleAuthor : undefined,
    metaName('parsely-author', 'sailthru.author'),
    // Google's blogs and others open the post with "Posted by Name, Title": the person, where
    // rel=author names the blog's account.
    openingByline(parsed.textContent ?? ''),
    relAuthor,
    parsed.byline,
    visibleByline,
    printed.byline,
  ];
  let authors: RawAuthor[] = ldAuthor.people.filter((p) => splitAuthors(p.name).length);
  for (const c of authors.length ? [] : personCandidates) {
    if (c && splitAuthors(c).length) {
      authors = [{ name: c }];
      break;
    }
  }
  // Dates printed in the byline ("By Nathan Willis March 25, 2015") or as the story's dateline.
  published ??= (parsed.byline ? visibleDate(parsed.byline) : undefined) ?? printed.date;
  if (!authors.length && ldAuthor.orgs.length) authors = ldAuthor.orgs.map((name) => ({ name }));
  // Readability's title weighs JSON-LD headline, Dublin Core, Open Graph and <title> minus the
  // site name; it is right more often than og:title alone (see eval/extract.ts).
  const title = withoutSiteName(parsed.title || meta('og:title') || ldString('headline') || '', document.title);
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
      ...(ogImage && { leadImage: { url: new URL(ogImage, base).href, ...(ogAlt && { alt: ogAlt }) } }),
      ...(locale && { locale }),
    },
  };
  return { format: 'html', items: [item], ...(parsed.siteName && { title: parsed.siteName }), ...(language && { language }) };
}
