// A feed definition's include/exclude rules, applied to stored articles.
import type { Article } from '../model/article.ts';
import type { FeedDef, FeedFilter } from '../model/feed.ts';

// Patterns run on at most this much text: bounded work per article whatever upstream sent.
const MAX_TEXT = 100_000;

function hits(f: FeedFilter, a: Article): boolean {
  if (f.tags.length && a.tags.some((t) => f.tags.includes(t.slug))) return true;
  return f.match !== undefined && f.match.test(`${a.title}\n${a.contentText.slice(0, MAX_TEXT)}`);
}

/** In the feed: passes `include` when there is one (any of its tags, or its pattern), and
 * does not hit `exclude`. */
export function inFeed(def: Pick<FeedDef, 'include' | 'exclude'>, a: Article): boolean {
  if (def.include && !hits(def.include, a)) return false;
  return !(def.exclude && hits(def.exclude, a));
}
