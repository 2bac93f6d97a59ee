// One entry point for the three feed formats.
import type { Article } from '../model/article.ts';
import type { FeedDef } from '../model/feed.ts';
import { writeAtom } from './atom.ts';
import { cronIntervalMinutes } from './cron-interval.ts';
import { writeRss } from './rss.ts';
import { writeJsonFeed } from './json-feed.ts';
import { uuidUrn, type FeedView } from './view.ts';

export type FeedFormat = 'atom' | 'rss' | 'json';
export const FORMATS: FeedFormat[] = ['atom', 'rss', 'json'];

export const CONTENT_TYPES: Record<FeedFormat, string> = {
  atom: 'application/atom+xml; charset=utf-8',
  rss: 'application/rss+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

export function renderFeed(format: FeedFormat, given: FeedView, all: Article[], maxTags = 10): string {
  const articles = all.map((a) => (a.tags.length > maxTags ? { ...a, tags: a.tags.slice(0, maxTags) } : a));
  const language = given.language ?? agreedLanguage(articles);
  const view = language === given.language ? given : { ...given, language };
  switch (format) {
    case 'atom':
      return writeAtom(view, articles);
    case 'rss':
      return writeRss(view, articles);
    case 'json':
      return writeJsonFeed(view, articles);
  }
}

/**
 * The language every article states, for a feed whose definition names none (RSS <language>,
 * Atom xml:lang, JSON Feed language): their shared primary subtag when only regions differ
 * ("en-GB" and "en-US" make "en"); none when one article names no language or another one.
 */
function agreedLanguage(articles: readonly Article[]): string | null {
  const first = articles[0]?.language;
  if (!first) return null;
  if (articles.every((a) => a.language === first)) return first;
  const primary = (tag: string) => tag.split('-')[0]!.toLowerCase();
  const p = primary(first);
  return articles.every((a) => a.language !== null && primary(a.language) === p) ? p : null;
}

/** `query` is this page's query string; `nextQuery` the next page's, when there is one. */
export function feedView(
  feed: Pick<FeedDef, 'id' | 'title' | 'description' | 'language'>,
  baseUrl: string,
  cron: string,
  opts: { query?: string; nextQuery?: string | null; prevQuery?: string | null; firstQuery?: string | null; path?: string; hubs?: readonly string[] } = {},
): FeedView {
  // A tag feed lives at /tags/<slug>; a configured feed at /feeds/<id>.
  const path = opts.path ?? `/feeds/${feed.id}`;
  const self = (f: FeedFormat) => `${baseUrl}${path}.${f}${opts.query ? `?${opts.query}` : ''}`;
  const at = (q: string) => (f: FeedFormat) => `${baseUrl}${path}.${f}${q ? `?${q}` : ''}`;
  const urls = (q: string | null | undefined) => (q === null || q === undefined ? undefined : { atom: at(q)('atom'), rss: at(q)('rss'), json: at(q)('json') });
  return {
    id: uuidUrn(opts.path ? `path:${opts.path}` : `feed:${feed.id}`),
    title: feed.title,
    description: feed.description,
    language: feed.language ?? null,
    homeUrl: `${baseUrl}/`,
    selfUrl: { atom: self('atom'), rss: self('rss'), json: self('json') },
    ttlMinutes: cronIntervalMinutes(cron),
    tagUrl: (slug, f) => `${baseUrl}/tags/${slug}.${f}`,
    nextUrl: urls(opts.nextQuery),
    prevUrl: urls(opts.prevQuery),
    firstUrl: urls(opts.firstQuery),
    ...(opts.hubs && opts.hubs.length > 0 && { hubs: opts.hubs }),
  };
}
