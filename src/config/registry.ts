// The feed definitions in force, swappable at run time: SIGHUP and changes in the feeds directory
// reload them; a broken file leaves the last good set in force. Readers ask `current()` per use
// instead of keeping the arrays they were given at startup.
import type { Logger } from 'pino';
import type { FeedDef } from '../model/feed.ts';
import type { FeedProblem, FeedReport, FeedSet } from './feeds.ts';

export interface FeedChange {
  next: FeedSet;
  prev: FeedSet;
  /** Feed ids added, removed, or whose definition (or one of whose sources) changed. */
  changed: string[];
}

export interface ReloadResult {
  ok: boolean;
  problems: FeedProblem[];
  changed: string[];
}

/** A definition as comparable text: RegExps by their source and flags. */
function fingerprint(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v instanceof RegExp ? `/${v.source}/${v.flags}` : v));
}

function changedFeeds(prev: FeedSet, next: FeedSet): string[] {
  const src = (set: FeedSet) => new Map(set.sources.map((s) => [s.id, fingerprint(s)]));
  const prevSources = src(prev);
  const nextSources = src(next);
  const sourceMoved = (id: string) => prevSources.get(id) !== nextSources.get(id);
  const print = (f: FeedDef) => fingerprint(f);
  const before = new Map(prev.feeds.map((f) => [f.id, f]));
  const after = new Map(next.feeds.map((f) => [f.id, f]));
  const out = new Set<string>();
  for (const [id, f] of after) {
    const old = before.get(id);
    if (!old || print(old) !== print(f) || f.sourceIds.some(sourceMoved)) out.add(id);
  }
  for (const id of before.keys()) if (!after.has(id)) out.add(id);
  return [...out].sort();
}

export class FeedRegistry {
  #current: FeedSet;
  readonly #read: () => FeedReport;
  readonly #log: Logger;
  #listeners: Array<(change: FeedChange) => void> = [];

  constructor(initial: FeedSet, read: () => FeedReport, log: Logger) {
    this.#current = initial;
    this.#read = read;
    this.#log = log;
  }

  current(): FeedSet {
    return this.#current;
  }

  /** Returns the function that stops the listening (an app closed before the registry). */
  onChange(listener: (change: FeedChange) => void): () => void {
    this.#listeners.push(listener);
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  /** Reads the directory again; swaps the set in only when every file is good. */
  reload(reason: string): ReloadResult {
    let report: FeedReport;
    try {
      report = this.#read();
    } catch (err) {
      report = { feeds: [], sources: [], problems: [{ file: '(feeds directory)', message: err instanceof Error ? err.message : String(err) }] };
    }
    if (report.problems.length > 0) {
      for (const p of report.problems) this.#log.error({ reason, file: p.file, problem: p.message }, 'feed definitions not reloaded; the last good ones stay in force');
      return { ok: false, problems: report.problems, changed: [] };
    }
    const prev = this.#current;
    const next: FeedSet = { feeds: report.feeds, sources: report.sources };
    const changed = changedFeeds(prev, next);
    if (changed.length === 0) {
      this.#log.info({ reason }, 'feed definitions reloaded; nothing changed');
      return { ok: true, problems: [], changed };
    }
    this.#current = next;
    this.#log.info({ reason, changed, feeds: next.feeds.length, sources: next.sources.length }, 'feed definitions reloaded');
    for (const listener of this.#listeners) {
      try {
        listener({ next, prev, changed });
      } catch (err) {
        this.#log.error({ err }, 'feed definitions listener failed');
      }
    }
    return { ok: true, problems: [], changed };
  }
}
