// Composition root: the only module that wires adapters together. `node src/main.ts` serves.
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { loadConfig, ConfigError } from './config/load.ts';
import { loadFeeds, readFeeds, FeedDefinitionError } from './config/feeds.ts';
import { FeedRegistry, type ReloadResult } from './config/registry.ts';
import { watchFeeds } from './config/watch.ts';
import type { Config } from './config/schema.ts';
import { createLogger } from './log.ts';
import { openStore } from './store/open.ts';
import { StoreError, type Store } from './store/port.ts';
import { createFetcher, type Fetcher } from './ingest/fetch/fetcher.ts';
import { platformRules, RulesError } from './ingest/rules/rules.ts';
import { CycleRunner } from './schedule/runner.ts';
import { Scheduler } from './schedule/scheduler.ts';
import { buildApp } from './http/app.ts';
import { createMetrics, type Metrics } from './metrics/metrics.ts';
import { prune, type PruneResult } from './retention/prune.ts';
import { WebSubPublisher } from './websub/publisher.ts';
import { changedTopics } from './websub/links.ts';
import { clusterDispatch, localDispatch, type Dispatch } from './cluster/dispatch.ts';
import { FetchQueue } from './cluster/fetch-queue.ts';
import { openChangeFeed, type ChangeFeed } from './cluster/changes.ts';
import type { FeedDef, Source } from './model/feed.ts';

export interface Service {
  config: Config;
  logger: Logger;
  /** The definitions in force now (they change on reload). */
  readonly feeds: FeedDef[];
  readonly sources: Source[];
  registry: FeedRegistry;
  store: Store;
  fetcher: Fetcher;
  runner: CycleRunner;
  scheduler: Scheduler;
  metrics: Metrics;
  websub: WebSubPublisher;
  /** Where due sources go: run here, or enqueued for every replica (cluster mode). */
  dispatch: Dispatch;
  /** Cluster mode only: the shared fetch queue this replica works. */
  queue: FetchQueue | null;
  /** Cluster mode only: which articles any replica stored; the render cache subscribes to drop stale renders. */
  changes: ChangeFeed | null;
  app: FastifyInstance;
  /** Re-reads the feed definitions; a broken file keeps the last good ones. */
  reload(reason: string): ReloadResult;
  /** Retention now: each source's articles older than retention.days, past every feed's limit. */
  prune(onSource?: (sourceId: string, done: number, total: number) => void): Promise<PruneResult>;
  /** The schedule, the daily prune and the feeds-directory watch (what `serve` runs). */
  startBackground(): void;
  /** Stops taking work, lets fetches in flight finish (up to `deadlineMs`), closes the store. */
  stop(deadlineMs?: number): Promise<void>;
}

export interface ServiceOptions {
  /** Share the fetches with other replicas through pg-boss (PostgreSQL store only). */
  cluster?: boolean;
}

export const isPostgres = (url: string) => /^postgres(?:ql)?:\/\//.test(url);

export async function createService(config: Config, logger: Logger = createLogger(config.log), opts: ServiceOptions = {}): Promise<Service> {
  platformRules(); // a bad platform rule stops startup here, before anything is opened
  const feedOpts = { fileRoot: config.fetch.fileRoot, defaultLimit: config.feeds.defaultLimit };
  const registry = new FeedRegistry(loadFeeds(config.feeds.dir, feedOpts), () => readFeeds(config.feeds.dir, feedOpts), logger);
  const store = await openStore(config.store.url);
  const fetcher = createFetcher(config.fetch);
  const runner = new CycleRunner({ store, fetcher, log: logger }, config.schedule.concurrency);
  const metrics = createMetrics();
  metrics.setArticleCount(() => store.countArticles());
  runner.onCycle((cycle) => { metrics.observeCycle(cycle); });
  const websub = new WebSubPublisher({
    hubs: config.websub.hubs,
    retries: config.websub.retries,
    timeoutMs: config.websub.timeoutMs,
    userAgent: config.fetch.userAgent,
    log: logger,
    onPing: (outcome) => { metrics.observeWebSub(outcome); },
  });
  const sourceById = (id: string) => registry.current().sources.find((s) => s.id === id);
  const queue =
    opts.cluster && isPostgres(config.store.url)
      ? await FetchQueue.open(config.store.url, config.cluster, {
          source: sourceById,
          state: (id) => store.getSourceState(id),
          ingest: async (source, force) => (await runner.run([source], { force })).sources[0],
          log: logger,
        }).catch(async (err: unknown) => {
          await store.close();
          throw new StoreError(`cluster: cannot open the job queue: ${(err as Error).message}`, { cause: err });
        })
      : null;
  const changes = queue
    ? await openChangeFeed(config.store.url, { checkMs: config.cluster.changeCheckMs, log: logger }).catch(async (err: unknown) => {
        await queue.stop(0);
        await store.close();
        throw new StoreError(`cluster: cannot listen for changes: ${(err as Error).message}`, { cause: err });
      })
    : null;
  if (websub.enabled && queue) {
    // In a cluster a ping is a job written in the same transaction as the articles it announces:
    // it exists exactly when they were committed, and any replica sends it, retried by pg-boss
    // with backoff and dead-lettered when the hub never takes it.
    await queue.defineTask('websub', async (data) => websub.pingOnce(data['topics'] as string[]));
    store.onWrite(async (trx, changes) => {
      const moved = [...new Set(changes.map((c) => c.sourceId))].map((sourceId) => ({ sourceId, new: 1, updated: 0 }));
      const topics = changedTopics(moved, registry.current().feeds, config.server.baseUrl);
      if (topics.length > 0) await queue.enqueueTaskWithin(trx, 'websub', { topics });
    });
  } else if (websub.enabled) {
    // Alone, the runner reports a cycle after every source's writes are committed.
    runner.onCycle((cycle) => {
      const topics = changedTopics(cycle.sources, registry.current().feeds, config.server.baseUrl);
      if (topics.length > 0) websub.publish(topics);
    });
  }
  const dispatch = queue ? clusterDispatch(queue, logger) : localDispatch(runner, logger);
  const scheduler = new Scheduler(dispatch, logger);
  registry.onChange(({ next, prev }) => {
    if (!scheduler.running) return;
    void scheduler.restart(next.sources, config.schedule.cron);
    // A source new to the definitions is fetched now rather than at the next tick.
    const known = new Set(prev.sources.map((s) => s.id));
    const added = next.sources.filter((s) => !known.has(s.id));
    if (added.length > 0) void dispatch(added, { due: new Date(), reason: 'refresh' });
  });
  const refresh = () => dispatch(registry.current().sources, { due: new Date(), force: true, reason: 'refresh' });
  const app = await buildApp({ config, store, ...registry.current(), registry, refresh, logger, metrics, readiness: () => ({ scheduler: scheduler.running }) });
  metrics.setRenderCacheStats(() => app.renderCache.stats());
  // Another replica's writes reach this one's render cache through the store's NOTIFY, which names
  // only the articles: which feeds list them is not said, so every render goes (renders are cheap;
  // a replica's own writes are also dropped precisely through the store's listener).
  changes?.subscribe(() => { app.renderCache.invalidateAll(); });
  let watcher: { close(): void } | undefined;
  let stopped = false;
  const service: Service = {
    config,
    logger,
    get feeds() {
      return registry.current().feeds;
    },
    get sources() {
      return registry.current().sources;
    },
    registry,
    store,
    fetcher,
    runner,
    scheduler,
    metrics,
    websub,
    dispatch,
    queue,
    changes,
    app,
    reload: (reason) => registry.reload(reason),
    async prune(onSource) {
      const r = await prune(store, registry.current(), config.retention.days, { log: logger, ...(onSource && { onSource }) });
      metrics.observePrune(r.deleted, r.durationMs / 1000);
      return r;
    },
    startBackground() {
      scheduler.start(registry.current().sources, config.schedule.cron);
      // In a cluster the daily prune is one job per fire, run by whichever replica takes it.
      if (config.retention.days > 0) scheduler.every(config.retention.cron, 'retention', (due) => (queue ? queue.runOnce('retention', due) : service.prune()));
      if (config.feeds.watch) watcher = watchFeeds(config.feeds.dir, registry, logger);
    },
    async stop(deadlineMs = config.server.shutdownTimeoutMs) {
      if (stopped) return;
      stopped = true;
      watcher?.close();
      await scheduler.stop();
      const startedStop = Date.now();
      // Takes no more jobs; those in hand finish by the deadline or are handed back to the queue.
      await queue?.stop(deadlineMs);
      deadlineMs = Math.max(0, deadlineMs - (Date.now() - startedStop));
      runner.stop();
      await app.close();
      const within = (ms: number) =>
        Promise.race([runner.idle().then(() => true), new Promise<false>((r) => setTimeout(r, ms, false).unref())]);
      if (await within(deadlineMs)) {
        await fetcher.close().catch(() => undefined);
      } else {
        logger.warn({ deadlineMs }, 'fetches still running at the shutdown deadline; aborting them');
        await fetcher.destroy().catch(() => undefined);
        // Aborted fetches record their failure; a write already under way finishes first.
        await within(2000);
      }
      await websub.close();
      await changes?.close();
      await store.close();
      logger.info('stopped');
    },
  };
  return service;
}

/** Starts serving: listen, one ingest cycle, then the schedule. */
export async function serve(env: NodeJS.ProcessEnv = process.env): Promise<Service> {
  const config = loadConfig({ env });
  const logger = createLogger(config.log);
  logger.debug({ config }, 'effective config'); // secrets in it are redacted (log.ts)
  const service = await createService(config, logger, { cluster: isPostgres(config.store.url) });
  await service.app.listen({ host: config.server.host, port: config.server.port });
  const { port } = service.app.server.address() as AddressInfo;
  logger.info({ port, baseUrl: config.server.baseUrl, feeds: service.feeds.map((f) => f.id), sources: service.sources.length, store: config.store.url.split(':')[0] }, 'feedrelay listening');
  service.startBackground();
  if (config.schedule.runAtStart) {
    void service.dispatch(service.sources, { due: new Date(), reason: 'start' }).catch((err: unknown) => { logger.error({ err }, 'startup cycle failed'); });
  }
  await service.queue?.defineTask('retention', () => service.prune());
  await service.queue?.work();
  return service;
}

/** Turns a startup failure into one line on stderr and an exit code. */
export function reportStartupError(err: unknown): never {
  if (err instanceof ConfigError || err instanceof FeedDefinitionError || err instanceof StoreError || err instanceof RulesError) {
    process.stderr.write(`feedrelay: ${err.message}\n`);
    process.exit(2);
  }
  const e = err as NodeJS.ErrnoException | null | undefined; // anything can be thrown
  if (e?.code === 'EADDRINUSE' || e?.code === 'EACCES') {
    process.stderr.write(`feedrelay: cannot listen: ${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`feedrelay: ${e?.stack ?? String(err)}\n`);
  process.exit(1);
}

export function handleSignals(service: Service): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      service.logger.warn({ signal }, 'second signal; exiting now');
      process.exit(1);
    }
    stopping = true;
    service.logger.info({ signal }, 'shutting down');
    service
      .stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        service.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // The conventional "read your configuration again": here, the feed definitions.
  process.on('SIGHUP', () => {
    if (!stopping) service.reload('SIGHUP');
  });
}

if (import.meta.main) {
  serve()
    .then(handleSignals)
    .catch(reportStartupError);
}
