// HTML article page -> RawItem: metadata from the page's own signals (JSON-LD, Open Graph,
// article:*, rel=tag, time[datetime]), content from @mozilla/readability on a linkedom DOM.
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { removeChrome } from './content.ts';
import { IngestError } from './errors.ts';
import { normalizeSpace } from './text.ts';
import type { RawFeed, RawItem } from './raw.ts';

type Doc = ReturnType<typeof parseHTML>['document'];
type Json = Record<string, unknown>;

const ARTICLE_TYPES = /^(?:Article|NewsArticle|BlogPosting|ReportageNewsArticle|AnalysisNewsArticle|OpinionNewsArticle|TechArticle|ScholarlyArticle|Report|LiveBlogPosting|WebPage)$/;

function jsonLdArticle(doc: Doc): Json | undefined {
  const nodes: Json[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      const o = v as Json;
      nodes.push(o);
      if (o['@graph']) visit(o['@graph']);
    }
  };
  for (const s of Array.from(doc.querySelectorAll('script[type="application/ld+json"]'))) {
    try {
      visit(JSON.parse((s as { textContent: string }).textContent ?? ''));
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

function ldNames(v: unknown): string[] {
  return ([] as unknown[]).concat(v ?? []).flatMap((a) => {
    if (typeof a === 'string') return [a];
    if (a && typeof a === 'object' && typeof (a as Json)['name'] === 'string') {
      // An organisation is a byline only when no person is named.
      return [(a as Json)['name'] as string];
    }
    return [];
  });
}

export function extractPage(html: string, pageUrl: string): RawFeed {
  const { document } = parseHTML(html);
  const attr = (sel: string, name = 'content') => {
    const v = document.querySelector(sel)?.getAttribute(name);
    return v && v.trim() ? v.trim() : undefined;
  };
  let base = pageUrl;
  try {
    const b = attr('base[href]', 'href');
    if (b) base = new URL(b, pageUrl).href;
  } catch {
    /* a broken <base> is ignored */
  }
  const ld = jsonLdArticle(document);
  const canonical = attr('link[rel="canonical"]', 'href') ?? attr('meta[property="og:url"]');
  const metaAuthor = attr('meta[name="author"]');
  const articleAuthor = attr('meta[property="article:author"]');
  const relAuthor = document.querySelector('a[rel~="author"]')?.textContent;
  const visibleByline = document.querySelector('.byline .author, .byline .fn, [itemprop="author"] [itemprop="name"], .author-name, .byline')?.textContent;
  const categories = [
    ...Array.from(document.querySelectorAll('a[rel~="tag"]')).map((a) => (a as { textContent: string }).textContent),
    ...Array.from(document.querySelectorAll('meta[property="article:tag"]')).map((m) => (m as { getAttribute(n: string): string }).getAttribute('content')),
    ...(typeof ld?.['keywords'] === 'string' ? (ld['keywords'] as string).split(',') : Array.isArray(ld?.['keywords']) ? (ld['keywords'] as string[]) : []),
  ]
    .map((s) => normalizeSpace(String(s ?? '')))
    .filter(Boolean);
  const time = attr('article time[datetime], time.published[datetime], time[datetime]', 'datetime');
  const published = (typeof ld?.['datePublished'] === 'string' ? (ld['datePublished'] as string) : undefined) ?? attr('meta[property="article:published_time"]') ?? attr('meta[itemprop="datePublished"]') ?? time;
  const updated = (typeof ld?.['dateModified'] === 'string' ? (ld['dateModified'] as string) : undefined) ?? attr('meta[property="article:modified_time"]');
  const language = document.documentElement?.getAttribute('lang') ?? attr('meta[property="og:locale"]');
  const ogImage = attr('meta[property="og:image"]') ?? attr('meta[name="twitter:image"]');
  const ogAlt = attr('meta[property="og:image:alt"]');

  removeChrome(document.body as never);
  let parsed: ReturnType<Readability<string>['parse']>;
  try {
    // Readability resolves relative URLs against the document's base.
    Object.defineProperty(document, 'baseURI', { value: base, configurable: true });
    Object.defineProperty(document, 'documentURI', { value: pageUrl, configurable: true });
    parsed = new Readability(document as never, { charThreshold: 200 }).parse();
  } catch (err) {
    throw new IngestError('extract', 'malformed', `Readability failed on ${pageUrl}: ${(err as Error).message}`, { cause: err });
  }
  if (!parsed || !parsed.content) throw new IngestError('extract', 'empty', `no article found in ${pageUrl}`);

  const authorNames = [
    ...ldNames(ld?.['author']),
    metaAuthor,
    articleAuthor && !/^https?:/i.test(articleAuthor) ? articleAuthor : undefined,
    relAuthor,
    visibleByline,
    parsed.byline,
  ]
    .map((s) => (s ? normalizeSpace(s) : ''))
    .filter(Boolean);
  const title = attr('meta[property="og:title"]') ?? (typeof ld?.['headline'] === 'string' ? (ld['headline'] as string) : undefined) ?? parsed.title ?? '';
  const item: RawItem = {
    link: canonical ? new URL(canonical, base).href : pageUrl,
    title,
    authors: authorNames.length ? [{ name: authorNames[0]! }] : [],
    categories,
    media: [],
    contentHtml: parsed.content,
    ...(parsed.excerpt && { summaryHtml: parsed.excerpt.replace(/&/g, '&amp;').replace(/</g, '&lt;') }),
    ...(published && { published }),
    ...(updated && { updated }),
    ...(language && { language }),
    ...(ogImage && { page: { leadImage: { url: new URL(ogImage, base).href, ...(ogAlt && { alt: ogAlt }) } } }),
  };
  return { format: 'html', items: [item], ...(parsed.siteName && { title: parsed.siteName }), ...(language && { language }) };
}
