// What every renderer needs to know about the feed it renders, besides its articles.
import { createHash } from 'node:crypto';
import type { Article } from '../model/article.ts';

export interface FeedView {
  /** Stable URI identifying the feed (Atom feed id). */
  id: string;
  title: string;
  description: string;
  language: string | null;
  homeUrl: string;
  selfUrl: { atom: string; rss: string; json: string };
  /** Minutes a reader may cache the feed (RSS ttl). */
  ttlMinutes: number;
  /** The tag feed a category points to, per format. */
  tagUrl: (slug: string, format: 'atom' | 'rss' | 'json') => string;
  /** Next page of this feed, per format, when there are more articles. */
  nextUrl?: { atom: string; rss: string; json: string } | undefined;
  /** RFC 5005: the newer page, and the newest (set only on pages after the first). */
  prevUrl?: { atom: string; rss: string; json: string } | undefined;
  firstUrl?: { atom: string; rss: string; json: string } | undefined;
  /** WebSub hubs that are pinged when this feed changes (configured feeds only, not tag feeds). */
  hubs?: readonly string[] | undefined;
}

/** A name-based (v5) UUID URN: entry and feed ids that never change, whatever the base URL. */
export function uuidUrn(name: string): string {
  const h = createHash('sha1').update('feedrelay:').update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `urn:uuid:${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export const entryId = (a: Article): string => uuidUrn(`article:${a.id}`);

/** The newest change among the articles: the feed's own updated time. */
export function feedUpdated(articles: Article[]): Date {
  const newest = articles.reduce<string>((m, a) => (a.updatedAt > m ? a.updatedAt : m), '');
  return newest ? new Date(newest) : new Date(0);
}
