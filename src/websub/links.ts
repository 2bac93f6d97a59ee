// WebSub discovery (W3C WebSub §4): what a feed response carries so subscribers find the hubs.
// Pure: the feed routes and writers call it and put each part where its format wants it.
import type { FeedDef } from '../model/feed.ts';

export const FORMATS = ['atom', 'rss', 'json'] as const;
export type TopicFormat = (typeof FORMATS)[number];

export interface WebSubLinks {
  /** The topic: the feed's canonical URL in one format (no paging query). */
  self: string;
  hubs: string[];
  /** Values for `Link` response headers, one per hub and one for self. */
  linkHeaders: string[];
  /** Atom `<link>` elements, or RSS `<atom:link>` elements, in this order. */
  xmlLinks: Array<{ rel: 'hub' | 'self'; href: string }>;
  /** JSON Feed 1.1 `hubs`. */
  jsonHubs: Array<{ type: 'WebSub'; url: string }>;
}

/** The topic URL of a configured feed in one format: what hubs are pinged with. */
export function topicUrl(baseUrl: string, feedId: string, format: TopicFormat): string {
  return `${baseUrl}/feeds/${feedId}.${format}`;
}

/** Null when no hub is configured: then feeds carry nothing WebSub. */
export function websubLinks(selfUrl: string, hubs: readonly string[]): WebSubLinks | null {
  if (hubs.length === 0) return null;
  // RFC 8288: the target in angle brackets; a '>' cannot appear in a URL we built, but a hub's
  // configured URL is checked against anything that would end the bracket early.
  const target = (u: string) => `<${u.replace(/[<>\s]/g, encodeURIComponent)}>`;
  return {
    self: selfUrl,
    hubs: [...hubs],
    linkHeaders: [...hubs.map((h) => `${target(h)}; rel="hub"`), `${target(selfUrl)}; rel="self"`],
    xmlLinks: [...hubs.map((h) => ({ rel: 'hub' as const, href: h })), { rel: 'self' as const, href: selfUrl }],
    jsonHubs: hubs.map((url) => ({ type: 'WebSub' as const, url })),
  };
}

/** Topics a cycle changed: every format of every feed that reads a source with new or updated
 * articles. A feed none of whose sources changed is never in the list. */
export function changedTopics(
  results: ReadonlyArray<{ sourceId: string; new: number; updated: number }>,
  feeds: ReadonlyArray<Pick<FeedDef, 'id' | 'sourceIds'>>,
  baseUrl: string,
): string[] {
  const moved = new Set(results.filter((r) => r.new + r.updated > 0).map((r) => r.sourceId));
  return feeds
    .filter((f) => f.sourceIds.some((id) => moved.has(id)))
    .flatMap((f) => FORMATS.map((fmt) => topicUrl(baseUrl, f.id, fmt)));
}
