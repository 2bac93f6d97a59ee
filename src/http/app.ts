// The Fastify app factory: everything but listen(), so tests drive it through inject().
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import type { FeedDef, Source } from '../model/feed.ts';
import type { Store } from '../store/port.ts';
import type { FeedRegistry } from '../config/registry.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { DispatchResult } from '../cluster/dispatch.ts';
import { installErrorHandling } from './errors.ts';
import { installObservability, requestId } from './observe.ts';
import { installProtection } from './protect.ts';
import { requestLogger } from './request-logger.ts';
import { feedRoutes } from './routes/feeds.ts';
import { articleRoutes } from './routes/articles.ts';
import { adminRoutes } from './routes/admin.ts';
import { healthRoutes } from './routes/health.ts';
import { discoveryRoutes } from './routes/discovery.ts';
import { FeedCatalog } from './catalog.ts';
import { RenderCache } from '../publish/render-cache.ts';
import { Freshness } from '../publish/freshness.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Rendered feeds, pages and index: invalidateFeed(id), invalidateAll(), stats(). */
    renderCache: RenderCache;
    /** The feed definitions served; replace() swaps them and drops the renders of those that changed. */
    feedCatalog: FeedCatalog;
  }
}

export interface AppDeps {
  config: Config;
  store: Store;
  /** The definitions at startup. Routes that must follow reloads read `registry.current()`. */
  feeds: FeedDef[];
  sources: Source[];
  registry: FeedRegistry;
  /** POST /admin/refresh: every source, run here or enqueued for the cluster; the root wires it. */
  refresh: () => Promise<DispatchResult>;
  logger: Logger;
  metrics?: Metrics;
  /** What /readyz reports besides the store: e.g. whether the scheduler runs. */
  readiness?: () => Record<string, boolean>;
}

/** What the serving routes read: the definitions through the catalog, documents through the cache. */
export interface ServeDeps extends AppDeps {
  catalog: FeedCatalog;
  cache: RenderCache;
  freshness: Freshness;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  // Typed as fastify's logger, so the instance is the plain FastifyInstance the routes take.
  const loggerInstance: FastifyBaseLogger = deps.logger;
  const app: FastifyInstance = Fastify({
    loggerInstance,
    trustProxy: deps.config.server.trustProxy,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    bodyLimit: 64 * 1024,
    // observe.ts writes one line per request, with the route pattern fastify's own line lacks.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestId,
    childLoggerFactory: requestLogger,
  });
  installErrorHandling(app);
  installObservability(app, deps);
  await installProtection(app, deps.config);
  const catalog = new FeedCatalog(deps.feeds, deps.sources);
  const cache = new RenderCache({ maxBytes: deps.config.serve.cacheMaxBytes });
  const serve: ServeDeps = { ...deps, catalog, cache, freshness: new Freshness(deps.config.schedule.cron) };
  const unwatch = deps.store.onArticlesChanged((changes) => {
    cache.articlesChanged(changes);
  });
  const unlisten = catalog.onChange((ids) => {
    for (const id of ids) cache.invalidateFeed(id);
  });
  // A reload swaps the definitions the routes read; the catalog drops the renders that changed.
  const unreload = deps.registry.onChange(({ next }) => catalog.replace(next.feeds, next.sources));
  app.addHook('onClose', (_instance, done) => {
    unwatch();
    unlisten();
    unreload();
    done();
  });
  app.decorate('renderCache', cache);
  app.decorate('feedCatalog', catalog);
  await app.register(healthRoutes, deps);
  await app.register(discoveryRoutes, serve);
  // Scripts on any origin may poll feeds and articles, and read the validators and paging links.
  await app.register(async (open) => {
    await open.register(cors, { origin: '*', methods: ['GET', 'HEAD'], exposedHeaders: ['ETag', 'Last-Modified', 'Link'], maxAge: 86400 });
    await open.register(feedRoutes, serve);
    await open.register(articleRoutes, serve);
  });
  if (deps.config.admin.token) await app.register(adminRoutes, deps);
  return app;
}
