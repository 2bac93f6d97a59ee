// Feed autodiscovery: what an HTML page offers. A site's address is how people know a blog, so a
// source URL that answers with a page is read for the feeds it declares (<link rel="alternate">,
// the convention every reader follows) and for whether it is itself one article. Pure: the
// pipeline fetches, this only reads.
import { parseDocument, type DomElement } from '../dom.ts';
import { platformRules } from '../rules/rules.ts';

export type FeedType = 'rss' | 'atom' | 'jsonfeed' | 'unknown';

export interface FeedLink {
  url: string;
  type: FeedType;
  title?: string;
  /** A comments, tag, category or author feed rather than the site's own. */
  secondary: boolean;
}

export type PageKind = 'article' | 'listing' | 'unknown';

export interface PageOffer {
  /** Declared feeds in document order, resolved against the page (and its <base href>). */
  feeds: FeedLink[];
  /** What the page says it is: one article, an index of posts, or nothing either way. */
  kind: PageKind;
  title?: string;
}

const rules = () => platformRules().discovery;

export function readOffer(html: string, pageUrl: string): PageOffer {
  const document = parseDocument(html).documentElement;
  const baseHref = document.querySelector('base[href]')?.getAttribute('href');
  const base = resolve(baseHref ?? '', pageUrl) ?? pageUrl;
  const feeds: FeedLink[] = [];
  for (const link of Array.from(document.querySelectorAll('link[rel][href]'))) {
    const rel = (link.getAttribute('rel') ?? '').toLowerCase().split(/\s+/);
    if (!rel.includes('alternate')) continue;
    const type = rules().types[(link.getAttribute('type') ?? '').toLowerCase().split(';')[0]!.trim()];
    if (!type) continue;
    const url = resolve(link.getAttribute('href') ?? '', base);
    if (!url || !/^https?:/.test(url) || feeds.some((f) => f.url === url)) continue;
    const title = link.getAttribute('title')?.trim() || undefined;
    feeds.push({ url, type, ...(title && { title }), secondary: isSecondary(url, title, pageUrl) });
  }
  const title = document.querySelector('title')?.textContent?.trim() || undefined;
  return { feeds, kind: pageKind(document, feeds, pageUrl), ...(title && { title }) };
}

/** Whether a page given as a source is read as one article or as a site whose feed is wanted. A
 * page that says it is an article is one; a page that says it lists posts, or that says nothing
 * and sits at a site's root or under one plain word (example.org/, example.org/blog), is a site.
 * Anything else is read as the article page it most likely is, as before autodiscovery. */
export function readAs(offer: PageOffer, pageUrl: string): 'article' | 'site' {
  if (offer.kind === 'article') return 'article';
  if (offer.kind === 'listing') return 'site';
  let u: URL;
  try {
    u = new URL(pageUrl);
  } catch {
    return 'article';
  }
  // A query names one item (?p=12, ?newsid=…); a slug or an id is a post's, a bare word a section's.
  if (u.search) return 'article';
  const segments = u.pathname.split('/').filter(Boolean).map((seg) => {
    try {
      return decodeURIComponent(seg);
    } catch {
      return seg;
    }
  });
  return segments.length === 0 || (segments.length === 1 && /^\p{L}{1,24}$/u.test(segments[0]!)) ? 'site' : 'article';
}

/** The feed a subscriber means: the preferred format among the site's own feeds, else the first
 * of them in the order the page declares; a comments or tag feed only when nothing else is. */
export function chooseFeed(feeds: FeedLink[], prefer?: 'rss' | 'atom' | 'jsonfeed'): FeedLink | undefined {
  const main = feeds.filter((f) => !f.secondary);
  const pool = main.length > 0 ? main : feeds;
  return (prefer && pool.find((f) => f.type === prefer)) || pool[0];
}

/** The conventional feed addresses to try, in order, for a site that declares none. */
export function conventionalFeedUrls(pageUrl: string): string[] {
  const u = new URL(pageUrl);
  const roots = new Set([u.origin]);
  // A blog under a path (example.org/blog/) serves its feed under that path too.
  const dir = u.pathname.replace(/\/[^/]*$/, '');
  if (dir && dir !== '/') roots.add(u.origin + dir);
  return [...roots].flatMap((r) => rules().conventionalPaths.map((p) => r + p));
}

function isSecondary(url: string, title: string | undefined, pageUrl: string): boolean {
  if (title && rules().secondaryTitle.test(title)) return true;
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return false;
  }
  if (rules().secondaryPath.test(path)) return true;
  // A feed below the page's own address is that page's comments feed (WordPress: <post>/feed/).
  return isOwnSubFeed(url, pageUrl);
}

function isOwnSubFeed(url: string, pageUrl: string): boolean {
  try {
    const page = new URL(pageUrl);
    const feed = new URL(url);
    const dir = page.pathname.endsWith('/') ? page.pathname : `${page.pathname}/`;
    return dir !== '/' && feed.origin === page.origin && feed.pathname.startsWith(dir);
  } catch {
    return false;
  }
}

function pageKind(document: DomElement, feeds: FeedLink[], pageUrl: string): PageKind {
  const ogType = document.querySelector('meta[property="og:type" i]')?.getAttribute('content')?.trim().toLowerCase();
  if (ogType === 'article' || ogType?.startsWith('article.')) return 'article';
  if (document.querySelector('meta[property="article:published_time" i]')) return 'article';
  const ld = jsonLdTypes(document);
  if (ld.some((t) => rules().articleTypes.has(t))) return 'article';
  const bodyClasses = (document.querySelector('body')?.getAttribute('class') ?? '').split(/\s+/);
  if (bodyClasses.some((c) => rules().articleBodyClasses.has(c))) return 'article';
  if (feeds.some((f) => isOwnSubFeed(f.url, pageUrl))) return 'article';
  if (bodyClasses.some((c) => rules().listingBodyClasses.has(c))) return 'listing';
  if (ld.some((t) => t === 'CollectionPage' || t === 'Blog' || t === 'ItemList')) return 'listing';
  return 'unknown';
}

function jsonLdTypes(document: DomElement): string[] {
  const out: string[] = [];
  const visit = (node: unknown, depth: number): void => {
    if (depth > 3 || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n, depth + 1);
      return;
    }
    const o = node as Record<string, unknown>;
    const t = o['@type'];
    for (const v of Array.isArray(t) ? t : [t]) if (typeof v === 'string') out.push(v.replace(/^https?:\/\/schema\.org\//, ''));
    if (o['@graph']) visit(o['@graph'], depth + 1);
  };
  for (const s of Array.from(document.querySelectorAll('script[type="application/ld+json" i]'))) {
    try {
      visit(JSON.parse(s.textContent ?? ''), 0);
    } catch {
      // A broken JSON-LD block says nothing; the other signals still count.
    }
  }
  return out;
}

function resolve(href: string, base: string): string | undefined {
  try {
    return new URL(href.trim(), base).href;
  } catch {
    return undefined;
  }
}
