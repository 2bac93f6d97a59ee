// The Fastify app factory: everything but listen(), so tests drive it through inject().
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import type { FeedDef, Source } from '../model/feed.ts';
import type { Store } from '../store/port.ts';
import type { CycleRunner } from '../schedule/runner.ts';
import type { FeedRegistry } from '../config/registry.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { installErrorHandling } from './errors.ts';
import { installObservability, requestId } from './observe.ts';
import { installProtection } from './protect.ts';
import { feedRoutes } from './routes/feeds.ts';
import { articleRoutes } from './routes/articles.ts';
import { adminRoutes } from './routes/admin.ts';
import { healthRoutes } from './routes/health.ts';
import { discoveryRoutes } from './routes/discovery.ts';

export interface AppDeps {
  config: Config;
  store: Store;
  /** The definitions at startup. Routes that must follow reloads read `registry.current()`. */
  feeds: FeedDef[];
  sources: Source[];
  registry: FeedRegistry;
  runner: CycleRunner;
  logger: Logger;
  metrics?: Metrics;
  /** What /readyz reports besides the store: e.g. whether the scheduler runs. */
  readiness?: () => Record<string, boolean>;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    trustProxy: deps.config.server.trustProxy,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    bodyLimit: 64 * 1024,
    // observe.ts writes one line per request, with the route pattern fastify's own line lacks.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestId,
  });
  installErrorHandling(app);
  installObservability(app, deps);
  await installProtection(app, deps.config);
  await app.register(healthRoutes, deps);
  await app.register(discoveryRoutes, deps);
  await app.register(feedRoutes, deps);
  await app.register(articleRoutes, deps);
  if (deps.config.admin.token) await app.register(adminRoutes, deps);
  return app;
}
