// Rendered documents kept in memory until what they show changes: feed readers poll far more
// often than sources change, so a request should cost a lookup, not a query and a render.
//
// Each entry remembers its scope: the feed definition(s) it was made from, the sources whose
// articles it can list, an optional rule narrowing those (a tag, a feed's include/exclude), and
// the ids of the articles it shows. A store change drops exactly the entries it can touch; a
// changed feed definition drops that feed's entries. Memory is bounded; least recently used goes first.
import type { Article } from '../model/article.ts';
import type { ArticleChange } from '../model/article-change.ts';
import type { Representation } from './representation.ts';

export interface Scope {
  /** The feed definitions the document was made from; 'all' for documents listing every feed. */
  feeds: readonly string[] | 'all';
  /** Sources whose articles may appear; null for every source. */
  sources: ReadonlySet<string> | null;
  /** Narrows which of those articles may appear (a tag feed, a feed's include/exclude rules). */
  accepts?: (a: Article) => boolean;
}

export interface Rendered {
  representation: Representation;
  /** Ids of the articles the document shows: a change to any of them drops it. */
  articleIds: readonly string[];
}

export interface CacheStats {
  /** Documents rendered (misses that built one; waiters on the same build are not counted). */
  renders: number;
  hits: number;
  misses: number;
  /** Requests that waited on a render another request had started. */
  coalesced: number;
  /** Entries dropped to stay under maxBytes. */
  evictions: number;
  /** Entries dropped because what they show changed. */
  invalidations: number;
  entries: number;
  bytes: number;
  maxBytes: number;
}

interface Entry {
  rep: Representation;
  scope: Scope;
  ids: ReadonlySet<string>;
}

interface Pending {
  scope: Scope;
  promise: Promise<Representation>;
  /** Set when a change that may touch it arrived during the build: served once, not kept. */
  stale: boolean;
  /** Changes seen during the build, checked against the articles it turned out to show. */
  changes: ArticleChange[];
}

const touchesScope = (scope: Scope, c: ArticleChange) =>
  (scope.sources === null || scope.sources.has(c.sourceId)) && (!scope.accepts || scope.accepts(c.article));

const touches = (scope: Scope, ids: ReadonlySet<string>, c: ArticleChange) => ids.has(c.article.id) || touchesScope(scope, c);

const ofFeed = (scope: Scope, feedId: string) => scope.feeds === 'all' || scope.feeds.includes(feedId);

export class RenderCache {
  readonly #maxBytes: number;
  // A Map iterates in insertion order: re-inserting on every hit keeps the least recent first.
  readonly #entries = new Map<string, Entry>();
  readonly #pending = new Map<string, Pending>();
  #bytes = 0;
  readonly #counts = { renders: 0, hits: 0, misses: 0, coalesced: 0, evictions: 0, invalidations: 0 };

  constructor(opts: { maxBytes: number }) {
    this.#maxBytes = opts.maxBytes;
  }

  /**
   * The document under `key`, rendered by `build` when missing. Concurrent callers for a missing
   * key share one build; a build that fails is not kept, so the next request tries again.
   */
  get(key: string, scope: Scope, build: () => Promise<Rendered>): Representation | Promise<Representation> {
    const hit = this.#entries.get(key);
    // A hit answers synchronously: no promise on the path nearly every request takes.
    if (hit) {
      this.#counts.hits++;
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit.rep;
    }
    const pending = this.#pending.get(key);
    if (pending) {
      this.#counts.coalesced++;
      return pending.promise;
    }
    this.#counts.misses++;
    const p: Pending = { scope, stale: false, changes: [], promise: undefined as unknown as Promise<Representation> };
    p.promise = (async () => {
      try {
        const { representation, articleIds } = await build();
        this.#counts.renders++;
        const ids = new Set(articleIds);
        if (!p.stale && !p.changes.some((c) => touches(scope, ids, c))) this.#store(key, { rep: representation, scope, ids });
        return representation;
      } finally {
        if (this.#pending.get(key) === p) this.#pending.delete(key);
      }
    })();
    this.#pending.set(key, p);
    return p.promise;
  }

  /** Drops every entry the changes can touch (the store's change notification feeds this). */
  articlesChanged(changes: readonly ArticleChange[]): void {
    for (const [key, e] of this.#entries) if (changes.some((c) => touches(e.scope, e.ids, c))) this.#drop(key, e);
    for (const [key, p] of this.#pending) {
      p.changes.push(...changes);
      if (changes.some((c) => touchesScope(p.scope, c))) this.#forget(key, p);
    }
  }

  /** Drops everything made from feed `id`'s definition (and the documents listing every feed). */
  invalidateFeed(id: string): void {
    for (const [key, e] of this.#entries) if (ofFeed(e.scope, id)) this.#drop(key, e);
    for (const [key, p] of this.#pending) if (ofFeed(p.scope, id)) this.#forget(key, p);
  }

  invalidateAll(): void {
    for (const [key, e] of this.#entries) this.#drop(key, e);
    for (const [key, p] of this.#pending) this.#forget(key, p);
  }

  stats(): CacheStats {
    return { ...this.#counts, entries: this.#entries.size, bytes: this.#bytes, maxBytes: this.#maxBytes };
  }

  #store(key: string, e: Entry): void {
    const old = this.#entries.get(key);
    if (old) this.#drop(key, old, false);
    // One document larger than the whole budget is served but never kept.
    if (e.rep.bytes > this.#maxBytes) return;
    this.#entries.set(key, e);
    this.#bytes += e.rep.bytes;
    for (const [k, lru] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#drop(k, lru, false);
      this.#counts.evictions++;
    }
  }

  #drop(key: string, e: Entry, counted = true): void {
    this.#entries.delete(key);
    this.#bytes -= e.rep.bytes;
    if (counted) this.#counts.invalidations++;
  }

  /** A build under way that a change touched: its waiters get it, later requests build afresh. */
  #forget(key: string, p: Pending): void {
    p.stale = true;
    this.#pending.delete(key);
  }
}
