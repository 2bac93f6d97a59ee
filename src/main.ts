// Composition root: the only module that wires adapters together. `node src/main.ts` serves.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { loadConfig, ConfigError } from './config/load.ts';
import { loadFeeds, FeedDefinitionError } from './config/feeds.ts';
import type { Config } from './config/schema.ts';
import { createLogger } from './log.ts';
import { openStore } from './store/open.ts';
import { StoreError, type Store } from './store/port.ts';
import { createFetcher, type Fetcher } from './ingest/fetch.ts';
import { CycleRunner } from './schedule/runner.ts';
import { Scheduler } from './schedule/scheduler.ts';
import { buildApp } from './http/app.ts';
import { clusterDispatch, localDispatch, type Dispatch } from './cluster/dispatch.ts';
import { FetchQueue } from './cluster/fetch-queue.ts';
import { openChangeFeed, type ChangeFeed } from './cluster/changes.ts';
import type { FeedDef, Source } from './model/feed.ts';

export interface Service {
  config: Config;
  logger: Logger;
  feeds: FeedDef[];
  sources: Source[];
  store: Store;
  fetcher: Fetcher;
  runner: CycleRunner;
  scheduler: Scheduler;
  /** Where due sources go: run here, or enqueued for every replica (cluster mode). */
  dispatch: Dispatch;
  /** Cluster mode only: the shared fetch queue this replica works. */
  queue: FetchQueue | null;
  /** Cluster mode only: which articles any replica stored; the render cache subscribes to drop stale renders. */
  changes: ChangeFeed | null;
  app: FastifyInstance;
  /** Stops taking work, lets fetches in flight finish (up to `deadlineMs`), closes the store. */
  stop(deadlineMs?: number): Promise<void>;
}

export interface ServiceOptions {
  /** Share the fetches with other replicas through pg-boss (PostgreSQL store only). */
  cluster?: boolean;
}

export const isPostgres = (url: string) => /^postgres(?:ql)?:\/\//.test(url);

export async function createService(config: Config, logger: Logger = createLogger(config.log), opts: ServiceOptions = {}): Promise<Service> {
  const { feeds, sources } = loadFeeds(config.feeds.dir, { fileRoot: config.fetch.fileRoot, defaultLimit: config.feeds.defaultLimit });
  const store = await openStore(config.store.url);
  const fetcher = createFetcher(config.fetch);
  const runner = new CycleRunner({ store, fetcher, log: logger }, config.schedule.concurrency);
  const byId = new Map(sources.map((s) => [s.id, s]));
  const queue =
    opts.cluster && isPostgres(config.store.url)
      ? await FetchQueue.open(config.store.url, config.cluster, {
          source: (id) => byId.get(id),
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
  const dispatch = queue ? clusterDispatch(queue, logger) : localDispatch(runner, logger);
  const scheduler = new Scheduler(dispatch, logger);
  const refresh = () => dispatch(sources, { due: new Date(), force: true, reason: 'refresh' });
  const app = await buildApp({ config, store, feeds, sources, runner, refresh, logger, readiness: () => ({ scheduler: scheduler.running }) });
  let stopped = false;
  return {
    config,
    logger,
    feeds,
    sources,
    store,
    fetcher,
    runner,
    scheduler,
    dispatch,
    queue,
    changes,
    app,
    async stop(deadlineMs = config.server.shutdownTimeoutMs) {
      if (stopped) return;
      stopped = true;
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
      await changes?.close();
      await store.close();
      logger.info('stopped');
    },
  };
}

/** Starts serving: listen, one ingest cycle, then the schedule. */
export async function serve(env: NodeJS.ProcessEnv = process.env): Promise<Service> {
  const config = loadConfig({ env });
  const logger = createLogger(config.log);
  const service = await createService(config, logger, { cluster: isPostgres(config.store.url) });
  await service.app.listen({ host: config.server.host, port: config.server.port });
  logger.info({ baseUrl: config.server.baseUrl, feeds: service.feeds.map((f) => f.id), sources: service.sources.length, store: config.store.url.split(':')[0] }, 'feedrelay listening');
  service.scheduler.start(service.sources, config.schedule.cron);
  if (config.schedule.runAtStart) {
    void service.dispatch(service.sources, { due: new Date(), reason: 'start' }).catch((err: unknown) => logger.error({ err }, 'startup cycle failed'));
  }
  await service.queue?.work();
  return service;
}

/** Turns a startup failure into one line on stderr and an exit code. */
export function reportStartupError(err: unknown): never {
  if (err instanceof ConfigError || err instanceof FeedDefinitionError || err instanceof StoreError) {
    process.stderr.write(`feedrelay: ${err.message}\n`);
    process.exit(2);
  }
  const e = err as NodeJS.ErrnoException;
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
}

if (import.meta.main) {
  serve()
    .then(handleSignals)
    .catch(reportStartupError);
}
