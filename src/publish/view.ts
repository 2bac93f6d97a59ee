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

/** Characters XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
const ILLEGAL_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlSafe(s: string): string {
  return s.replace(ILLEGAL_XML, '');
}

/** Plain-ish cron schedules to minutes between runs; anything fancier counts as hourly. */
export function cronIntervalMinutes(expr: string): number {
  const f = expr.trim().split(/\s+/);
  const fields = f.length === 6 ? f.slice(1) : f;
  const [min = '', hour = ''] = fields;
  const step = (field: string) => (/^\*\/(\d+)$/.exec(field) ? Number(/^\*\/(\d+)$/.exec(field)![1]) : field === '*' ? 1 : null);
  if (hour === '*' && step(min)) return step(min)!;
  if (/^\d+$/.test(min) && step(hour)) return step(hour)! * 60;
  if (/^\d+$/.test(min) && /^\d+$/.test(hour)) return 24 * 60;
  return 60;
}
