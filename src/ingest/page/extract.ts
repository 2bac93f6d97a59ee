// HTML article page -> RawItem: metadata from the page's own signals (JSON-LD, Open Graph,
// article:*, rel=tag, time[datetime]), content from @mozilla/readability on a linkedom DOM.
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { captionsAsFigures, removeChromeFound } from '../content/clean.ts';
import { indexPage } from './page-index.ts';
import { IngestError } from '../errors.ts';
import { normalizeSpace } from '../text.ts';
import { splitAuthors } from '../normalize/normalize.ts';
import type { RawAuthor, RawFeed, RawItem } from '../format/raw.ts';

type Json = Record<string, unknown>;

const ARTICLE_TYPES = /^(?:Article|NewsArticle|BlogPosting|ReportageNewsArticle|AnalysisNewsArticle|OpinionNewsArticle|TechArticle|ScholarlyArticle|Report|LiveBlogPosting|WebPage)$/;

function jsonLdArticle(scripts: string[]): Json | undefined {
  const nodes: Json[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      const o = v as Json;
      nodes.push(o);
      if (o['@graph']) visit(o['@graph']);
    }
  };
  for (const s of scripts) {
    try {
      // Some sites wrap JSON-LD in a CDATA section for XHTML parsers.
      visit(JSON.parse(s.replace(/^\s*(?:\/\/\s*)?<!\[CDATA\[|\]\]>\s*$/g, '')));
    } catch {
      // Broken JSON-LD is common; the other signals still count.
    }
  }
  const typeOf = (o: Json) => ([] as unknown[]).concat(o['@type'] ?? []).map(String);
  return (
    nodes.find((o) => typeOf(o).some((t) => t !== 'WebPage' && ARTICLE_TYPES.test(t))) ??
    nodes.find((o) => typeOf(o).includes('WebPage'))
  );
}

/** JSON-LD author names, people apart from organisations: an organisation is a byline only
 * when nothing names a person. */
function ldAuthors(v: unknown): { people: RawAuthor[]; orgs: string[] } {
  const people: RawAuthor[] = [];
  const orgs: string[] = [];
  for (const a of ([] as unknown[]).concat(v ?? [])) {
    if (typeof a === 'string') people.push({ name: a });
    else if (a && typeof a === 'object' && typeof (a as Json)['name'] === 'string') {
      const types = ([] as unknown[]).concat((a as Json)['@type'] ?? []).map(String);
      const name = (a as Json)['name'] as string;
      const url = typeof (a as Json)['url'] === 'string' ? ((a as Json)['url'] as string) : undefined;
      if (types.some((t) => /Organi[sz]ation|Corporation|NewsMediaOrganization/.test(t))) orgs.push(name);
      else people.push({ name, ...(url && { url }) });
    }
  }
  return { people, orgs };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ZONES: Record<string, string> = {
  UTC: 'Z', GMT: 'Z', Z: 'Z', EST: '-05:00', EDT: '-04:00', CST: '-06:00', CDT: '-05:00', MST: '-07:00', MDT: '-06:00',
  PST: '-08:00', PDT: '-07:00', BST: '+01:00', CET: '+01:00', CEST: '+02:00', MSK: '+03:00', AEST: '+10:00', AEDT: '+11:00', IST: '+05:30',
};
const MONTH_RE = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';
const TIME_RE = '(?:,?\\s*(?:at\\s+)?(\\d{1,2}):(\\d{2})\\s*([ap])?\\.?m?\\.?(?:\\s*([A-Z]{1,4})\\b)?)?';
const VISIBLE_DATES = [
  // March 25, 2015 [3:46 PM EDT]
  { re: new RegExp(`\\b${MONTH_RE}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})${TIME_RE}`, 'i'), order: ['month', 'day', 'year'] },
  // 15 October 2019 [at 09:11]
  { re: new RegExp(`\\b(\\d{1,2})\\s+${MONTH_RE},?\\s+(\\d{4})${TIME_RE}`, 'i'), order: ['day', 'month', 'year'] },
  // 2019-02-15 [08:42]
  { re: new RegExp(`\\b(\\d{4})-(\\d{2})-(\\d{2})${TIME_RE}`, 'i'), order: ['year', 'monthNum', 'day'] },
  // 2/26/2015 7:11 AM PST (US order, as English-language pages print it)
  { re: new RegExp(`\\b(\\d{1,2})/(\\d{1,2})/(\\d{4})${TIME_RE}`, 'i'), order: ['monthNum', 'day', 'year'] },
] as const;

/** A date as a page prints it ("By Nathan Willis March 25, 2015") -> a string parseDate reads;
 * without a printed zone it stays zone-less, to be read in the source's time zone. */
export function visibleDate(text: string): string | undefined {
  for (const { re, order } of VISIBLE_DATES) {
    const m = re.exec(text);
    if (!m) continue;
    const v: Record<string, string> = {};
    order.forEach((k, i) => (v[k] = m[i + 1]!));
    const month = v['monthNum'] ? Number(v['monthNum']) : MONTHS.indexOf(v['month']!.slice(0, 3).toLowerCase()) + 1;
    const day = Number(v['day']);
    if (month < 1 || month > 12 || day < 1 || day > 31) continue;
    let hour = m[4] ? Number(m[4]) : undefined;
    const ampm = m[6]?.toLowerCase();
    if (hour !== undefined && ampm === 'p' && hour < 12) hour += 12;
    if (hour !== undefined && ampm === 'a' && hour === 12) hour = 0;
    const pad = (n: number) => String(n).padStart(2, '0');
    const date = `${v['year']}-${pad(month)}-${pad(day)}`;
    if (hour === undefined) return date;
    const zone = m[7] ? ZONES[m[7].toUpperCase()] : undefined;
    return `${date}T${pad(hour)}:${m[5]}:00${zone ?? ''}`;
  }
  return undefined;
}

type Node = { tagName: string; className?: string; id?: string; textContent: string | null; children: ArrayLike<Node> };
// Never where a byline or date line is: scripts, navigation, forms, citations.
const SKIP_SUBTREES = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'CITE', 'NAV', 'FORM', 'SELECT', 'SVG', 'TEMPLATE', 'IFRAME', 'TABLE']);
const SHORT_TEXT_TAGS = new Set(['P', 'SPAN', 'DIV', 'SMALL', 'LI', 'ADDRESS', 'TIME', 'ABBR', 'FOOTER', 'HEADER', 'EM', 'STRONG', 'A', 'H4', 'H5', 'H6']);
const DATE_CLASS = /date|time|posted|publish|byline|dateline|meta/i;
// Dates that are not the article's: when a cited source was read, comments, replies.
const NOT_ARTICLE_DATE = /access|retriev|comment|reply|expir|event/i;
// A short text that ends in "by" and a capitalised name: "Posted by Alon Zakai.",
// "2/26/2015 7:11 AM PST BY TMZ STAFF" (not "By clicking Submit you agree ...").
const BYLINE_TEXT = /^[^\p{L}]*(?:[Pp]osted |[Ww]ritten |[Rr]eported )?(?:[Bb]y|BY)[\s:]+\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*){0,4}\.?$/u;
// A printed date and time before the byline: "2/26/2015 7:11 AM PST BY ...".
const LEADING_DATE = /^[\d\s/.:,-]+(?:[AaPp]\.?[Mm]\.?)?\s*(?:[A-Z]{2,4}\s+)?(?=[Bb]y\b|BY\b)/;
const POSTED_TEXT = /^[^\p{L}\p{N}]*(?:posted|published|updated|by)\b/iu;

/** What the page prints where a reader looks for the date and author: a date in a
 * date/byline/meta element (else in a "Posted on ..." line), and a "By Name" line. */
export function printedSignals(body: Node | null): { date?: string; byline?: string } {
  const out: { date?: string; byline?: string } = {};
  let postedDate: string | undefined;
  let dateline: string | undefined;
  let visited = 0;
  let paragraphs = 0;
  const walk = (el: Node) => {
    if (visited++ > 5_000 || (out.date && out.byline)) return;
    if (SKIP_SUBTREES.has(el.tagName)) return;
    // Reading an element's text walks its subtree, so only likely boxes are read: a date/byline
    // class with a few children, a leaf-like element (a byline is a line of text), the first
    // paragraphs (a news dateline).
    const n = el.children.length;
    const cls = `${el.className ?? ''} ${el.id ?? ''}`;
    const dateBox = n <= 8 && DATE_CLASS.test(cls) && !NOT_ARTICLE_DATE.test(cls);
    const isP = el.tagName === 'P';
    if (SHORT_TEXT_TAGS.has(el.tagName) && (dateBox || n <= 2 || (isP && paragraphs < 5))) {
      if (isP) paragraphs++;
      const rawText = el.textContent ?? '';
      // Long text is never a byline or date line (a dateline paragraph is checked by its start).
      const text = normalizeSpace(rawText.length > 600 ? rawText.slice(0, 200) : rawText);
      if (rawText.length <= 600 && text.length <= 200) {
        if (!out.date && dateBox) {
          const d = visibleDate(text);
          if (d) out.date = d;
        }
        if (!postedDate && POSTED_TEXT.test(text)) postedDate = visibleDate(text);
        if (!out.byline && text.length <= 120 && BYLINE_TEXT.test(text.replace(LEADING_DATE, ''))) out.byline = text;
      }
      if (!dateline && isP && text.length > 0) dateline = datelineDate(text);
    }
    const children = el.children;
    for (let i = 0; i < children.length; i++) walk(children[i]!);
  };
  if (body) walk(body);
  out.date ??= postedDate ?? dateline;
  return out;
}

function openingByline(text: string): string | undefined {
  const first = normalizeSpace(text.slice(0, 300));
  const m = /^(?:posted|written) by\s+([^\n]{3,200}?)(?=\s{2,}|\.\s|$)/iu.exec(first);
  return m ? m[1] : undefined;
}

/** "Feb. 23, 2015 -- Life-threatening ...": a news story's opening dateline. */
function datelineDate(text: string): string | undefined {
  const head = normalizeSpace(text.slice(0, 120));
  const m = /^(.{0,40}?)\s*(?:--|—|–)\s/.exec(head);
  return m ? visibleDate(m[1]!) : undefined;
}

/** Readability 0.6 strips "Title | Site" and "Title - Site" from <title> but not the en and em
 * dash forms; do the same for those when the title is the document's own <title>. */
function withoutSiteName(title: string, docTitle: string | undefined): string {
  if (!docTitle || normalizeSpace(title) !== normalizeSpace(docTitle)) return title;
  const m = /^(.*\S)\s+[–—]\s+[^–—]+$/.exec(normalizeSpace(title));
  return m && m[1]!.split(' ').length >= 3 ? m[1]! : title;
}

type ContentEl = { innerHTML: string; querySelectorAll(s: string): ArrayLike<{ textContent: string | null; remove(): void }> };

/** The article element Readability returns, without the byline boxes, as HTML. */
function serializeWithoutBylines(article: ContentEl, texts: Set<string>): string {
  if (texts.size) {
    for (const el of Array.from(article.querySelectorAll('p, div, span, em, address, section'))) {
      if (texts.has(normalizeSpace(el.textContent ?? ''))) el.remove();
    }
  }
  return article.innerHTML;
}

export function extractPage(html: string, pageUrl: string): RawFeed {
  const { document } = parseHTML(html);
  const ix = indexPage(document.documentElement as never);
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
    ...(typeof ld?.['keywords'] === 'string' ? (ld['keywords'] as string).split(',') : Array.isArray(ld?.['keywords']) ? (ld['keywords'] as string[]) : []),
  ]
    .map((s) => normalizeSpace(String(s ?? '')))
    .filter(Boolean);
  const ldString = (k: string) => (typeof ld?.[k] === 'string' && (ld[k] as string).trim() ? (ld[k] as string) : undefined);
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
  const language = document.documentElement?.getAttribute('lang')?.trim() || undefined;
  const locale = meta('og:locale');
  const ldAuthor = ldAuthors(ld?.['author']);
  const articleAuthor = metas.get('p:article:author'); // Open Graph is property=, as the protocol says
  const machineAuthor = ldAuthor.people.length > 0 || [metas.get('p:dc:creator'), metaName('author'), articleAuthor].some((a) => a && splitAuthors(a).length);
  // Read before Readability runs: parse() rewrites the document it is given. The walk over the
  // page is the fallback for pages whose metadata names neither date nor author.
  const printed = published && machineAuthor ? {} : printedSignals(document.body as never);
  const relAuthor = ix.relAuthor?.textContent;
  // Byline boxes repeat the byline and date in the content; Readability needs them to find the
  // byline, and loses their class names, so they are found again after it by their text.
  const bylineTexts = new Set(ix.bylines.map((el) => normalizeSpace(el.textContent ?? '')).filter((t) => t.length > 0 && t.length <= 300));
  const visibleByline = ix.visibleByline?.textContent;
  const ogImage = meta('og:image') ?? meta('twitter:image');
  const ogAlt = meta('og:image:alt');

  removeChromeFound(document.body as never, ix.chrome as never);
  // Before Readability, which drops the class names that mark classic WordPress captions.
  captionsAsFigures(document.body as never, document as never, ix.captions.filter((c) => !ix.chrome.some((x) => x === c.box)) as never);
  let parsed: ReturnType<Readability<string>['parse']>;
  try {
    // Readability resolves relative URLs against the document's base.
    Object.defineProperty(document, 'baseURI', { value: base, configurable: true });
    Object.defineProperty(document, 'documentURI', { value: pageUrl, configurable: true });
    // keepClasses: the chrome and byline rules run again on the extracted content, by class.
    // The article comes back as its element, so bylines are removed before it is serialized once.
    const found = new Readability(document as never, { charThreshold: 200, keepClasses: true, serializer: (el) => el as unknown as ContentEl }).parse();
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
    ...(parsed.excerpt && { summaryHtml: parsed.excerpt.replace(/&/g, '&amp;').replace(/</g, '&lt;') }),
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
