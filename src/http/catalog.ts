// The feed definitions the routes serve, read on every request rather than captured at
// registration, so a reload can swap them: replace() says which feeds changed, and whoever keeps
// renders of them (the render cache) drops those.
import type { FeedDef, Source } from '../model/feed.ts';

export type CatalogListener = (changedFeedIds: string[]) => void;

// A definition's fingerprint: RegExp rules by their source text, the sources by what decides
// their schedule and what they fetch.
function fingerprint(feed: FeedDef, sources: ReadonlyMap<string, Source>): string {
  const srcs = feed.sourceIds.map((id) => sources.get(id));
  return JSON.stringify([feed, srcs], (_k, v: unknown) => (v instanceof RegExp ? `/${v.source}/${v.flags}` : v));
}

export class FeedCatalog {
  #feeds = new Map<string, FeedDef>();
  #list: FeedDef[] = [];
  #sources: Source[] = [];
  #sourceIds: string[] = [];
  #sourcesOf = new Map<string, { list: Source[]; ids: ReadonlySet<string> }>();
  #prints = new Map<string, string>();
  readonly #listeners = new Set<CatalogListener>();

  constructor(feeds: FeedDef[], sources: Source[]) {
    this.#load(feeds, sources);
  }

  feed(id: string): FeedDef | undefined {
    return this.#feeds.get(id);
  }

  feeds(): FeedDef[] {
    return this.#list;
  }

  /** Every source some feed reads, each once. */
  sources(): Source[] {
    return this.#sources;
  }

  sourceIds(): string[] {
    return this.#sourceIds;
  }

  /** The sources feed `id` reads (empty for an unknown feed). */
  sourcesOf(id: string): { list: Source[]; ids: ReadonlySet<string> } {
    return this.#sourcesOf.get(id) ?? { list: [], ids: new Set() };
  }

  onChange(listener: CatalogListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Swaps in new definitions; listeners hear the ids of feeds added, removed or changed. */
  replace(feeds: FeedDef[], sources: Source[]): string[] {
    const before = this.#prints;
    this.#load(feeds, sources);
    const changed = [...new Set([...before.keys(), ...this.#prints.keys()])].filter((id) => before.get(id) !== this.#prints.get(id));
    if (changed.length > 0) for (const l of this.#listeners) l(changed);
    return changed;
  }

  #load(feeds: FeedDef[], sources: Source[]): void {
    const byId = new Map(sources.map((s) => [s.id, s]));
    this.#feeds = new Map(feeds.map((f) => [f.id, f]));
    this.#list = feeds;
    this.#sources = sources;
    this.#sourceIds = sources.map((s) => s.id);
    this.#sourcesOf = new Map(
      feeds.map((f) => [f.id, { list: f.sourceIds.map((id) => byId.get(id)).filter((s): s is Source => !!s), ids: new Set(f.sourceIds) }]),
    );
    this.#prints = new Map(feeds.map((f) => [f.id, fingerprint(f, byId)]));
  }
}
