// Retention: each source's articles older than `days` go, except the newest `limit` of every feed
// that reads the source, so no feed ever shrinks below its length.
import type { Logger } from 'pino';
import type { FeedSet } from '../config/feeds.ts';
import type { Store } from '../store/port.ts';

export interface PruneResult {
  cutoff: string;
  deleted: number;
  bySource: Array<{ sourceId: string; keep: number; deleted: number }>;
  durationMs: number;
}

export async function prune(
  store: Store,
  defs: FeedSet,
  days: number,
  opts: { log: Logger; now?: Date; onSource?: (sourceId: string, done: number, total: number) => void },
): Promise<PruneResult> {
  const t0 = performance.now();
  const now = opts.now ?? new Date();
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
  const bySource: PruneResult['bySource'] = [];
  if (days <= 0) return { cutoff, deleted: 0, bySource, durationMs: 0 };
  // A feed with several sources shows its `limit` newest across them; each of those is within
  // its own source's `limit` newest, so keeping that many per source keeps every feed whole.
  const keepOf = new Map<string, number>();
  for (const f of defs.feeds) for (const id of f.sourceIds) keepOf.set(id, Math.max(keepOf.get(id) ?? 0, f.limit));
  let done = 0;
  for (const s of defs.sources) {
    const keep = keepOf.get(s.id) ?? 0;
    const deleted = await store.pruneSource(s.id, cutoff, keep);
    bySource.push({ sourceId: s.id, keep, deleted });
    opts.onSource?.(s.id, ++done, defs.sources.length);
  }
  const deleted = bySource.reduce((n, s) => n + s.deleted, 0);
  const durationMs = Math.round(performance.now() - t0);
  opts.log.info({ cutoff, days, deleted, sources: bySource.length, durationMs }, 'retention: pruned old articles');
  return { cutoff, deleted, bySource, durationMs };
}
