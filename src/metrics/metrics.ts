// Every figure feedrelay exports to Prometheus, in one registry per service (tests run several
// services in one process). Label values are bounded: source ids come from the feed definitions,
// routes are route patterns, outcomes and changes are fixed words.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CycleResult } from '../model/cycle.ts';

/** What a render cache reports; counters only grow, `bytes` is what it holds now. */
export interface RenderCacheStats {
  renders: number;
  hits: number;
  misses: number;
  evictions: number;
  bytes: number;
}

export interface Metrics {
  readonly registry: Registry;
  observeCycle(cycle: CycleResult): void;
  observeRequest(route: string, method: string, status: number, seconds: number): void;
  observePrune(deleted: number, seconds: number): void;
  observeWebSub(outcome: 'sent' | 'retried' | 'failed'): void;
  /** The render cache (wired by the composition root) reports through this callback at scrape. */
  setRenderCacheStats(stats: () => RenderCacheStats): void;
  setArticleCount(count: () => Promise<number>): void;
  text(): Promise<string>;
  readonly contentType: string;
}

const FETCH_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const HTTP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export function createMetrics(opts: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaults !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const fetches = new Counter({ name: 'feedrelay_fetches_total', help: 'Source fetches by source and outcome (ok, not_modified, failed, skipped while backing off).', labelNames: ['source', 'outcome'], registers });
  const fetchSeconds = new Histogram({ name: 'feedrelay_fetch_duration_seconds', help: 'Time to fetch and ingest one source (skipped sources excluded).', labelNames: ['outcome'], buckets: FETCH_BUCKETS, registers });
  const fetchedBytes = new Counter({ name: 'feedrelay_fetched_bytes_total', help: 'Bytes of feed bodies received from sources.', labelNames: ['source'], registers });
  const items = new Counter({ name: 'feedrelay_items_total', help: 'Articles stored as new or updated, summed over cycles.', labelNames: ['change'], registers });
  const cycleItems = new Gauge({ name: 'feedrelay_cycle_items', help: 'Articles new and updated in the last cycle.', labelNames: ['change'], registers });
  const cycles = new Counter({ name: 'feedrelay_cycles_total', help: 'Ingest cycles finished.', registers });
  const cycleSeconds = new Histogram({ name: 'feedrelay_cycle_duration_seconds', help: 'Time an ingest cycle took, all its sources together.', buckets: [0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600], registers });
  const lastSuccess = new Gauge({ name: 'feedrelay_cycle_last_success_timestamp_seconds', help: 'When the last cycle finished in which no attempted source failed, or at least one succeeded (Unix time).', registers });
  const pruned = new Counter({ name: 'feedrelay_articles_pruned_total', help: 'Articles deleted by retention.', registers });
  const pruneSeconds = new Gauge({ name: 'feedrelay_prune_last_duration_seconds', help: 'How long the last retention run took.', registers });
  const websub = new Counter({ name: 'feedrelay_websub_pings_total', help: 'WebSub publish pings to hubs by outcome (sent, retried, failed after the last retry).', labelNames: ['outcome'], registers });
  const requests = new Counter({ name: 'feedrelay_http_requests_total', help: 'HTTP requests by route pattern, method and status.', labelNames: ['route', 'method', 'status'], registers });
  const requestSeconds = new Histogram({ name: 'feedrelay_http_request_duration_seconds', help: 'HTTP response time by route pattern.', labelNames: ['route', 'method'], buckets: HTTP_BUCKETS, registers });
  const notModified = new Counter({ name: 'feedrelay_http_not_modified_total', help: '304 Not Modified answers by route pattern.', labelNames: ['route'], registers });

  let articleCount: (() => Promise<number>) | undefined;
  new Gauge({
    name: 'feedrelay_articles_stored',
    help: 'Articles in the store now.',
    registers,
    async collect() {
      if (articleCount) this.set(await articleCount());
    },
  });

  // The cache keeps its own running totals; at each scrape the counters catch up by the difference.
  let cacheStats: (() => RenderCacheStats) | undefined;
  const seen = { renders: 0, hits: 0, misses: 0, evictions: 0 };
  const cacheCounter = (key: keyof typeof seen, name: string, help: string) =>
    new Counter({
      name,
      help,
      registers,
      collect() {
        if (!cacheStats) return;
        const now = cacheStats()[key];
        if (now > seen[key]) this.inc(now - seen[key]);
        seen[key] = now;
      },
    });
  cacheCounter('renders', 'feedrelay_renders_total', 'Feed documents rendered (cache misses that produced a body).');
  cacheCounter('hits', 'feedrelay_render_cache_hits_total', 'Feed requests answered from the render cache.');
  cacheCounter('misses', 'feedrelay_render_cache_misses_total', 'Feed requests the render cache could not answer.');
  cacheCounter('evictions', 'feedrelay_render_cache_evictions_total', 'Renders dropped from the cache to stay within its size.');
  new Gauge({
    name: 'feedrelay_render_cache_bytes',
    help: 'Bytes the render cache holds now.',
    registers,
    collect() {
      if (cacheStats) this.set(cacheStats().bytes);
    },
  });

  return {
    registry,
    contentType: registry.contentType,
    observeCycle(cycle) {
      let news = 0;
      let updates = 0;
      let attempted = 0;
      let failed = 0;
      for (const s of cycle.sources) {
        fetches.inc({ source: s.sourceId, outcome: s.outcome });
        news += s.new;
        updates += s.updated;
        if (s.outcome === 'skipped') continue;
        attempted++;
        if (s.outcome === 'failed') failed++;
        fetchSeconds.observe({ outcome: s.outcome }, s.durationMs / 1000);
        if (s.bytes > 0) fetchedBytes.inc({ source: s.sourceId }, s.bytes);
      }
      items.inc({ change: 'new' }, news);
      items.inc({ change: 'updated' }, updates);
      cycleItems.set({ change: 'new' }, news);
      cycleItems.set({ change: 'updated' }, updates);
      cycles.inc();
      cycleSeconds.observe(cycle.durationMs / 1000);
      if (attempted === 0 || failed < attempted) lastSuccess.set(Date.now() / 1000);
    },
    observeRequest(route, method, status, seconds) {
      requests.inc({ route, method, status: String(status) });
      requestSeconds.observe({ route, method }, seconds);
      if (status === 304) notModified.inc({ route });
    },
    observePrune(deleted, seconds) {
      pruned.inc(deleted);
      pruneSeconds.set(seconds);
    },
    observeWebSub(outcome) {
      websub.inc({ outcome });
    },
    setRenderCacheStats(stats) {
      cacheStats = stats;
    },
    setArticleCount(count) {
      articleCount = count;
    },
    text: () => registry.metrics(),
  };
}
