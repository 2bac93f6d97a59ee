// The Fastify app factory: everything but listen(), so tests drive it through inject().
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import type { FeedDef, Source } from '../model/feed.ts';
import type { Store } from '../store/port.ts';
import type { CycleRunner } from '../schedule/runner.ts';
import type { DispatchResult } from '../cluster/dispatch.ts';
import { installErrorHandling } from './errors.ts';
import { feedRoutes } from './routes/feeds.ts';
import { articleRoutes } from './routes/articles.ts';
import { adminRoutes } from './routes/admin.ts';
import { healthRoutes } from './routes/health.ts';
import { discoveryRoutes } from './routes/discovery.ts';

export interface AppDeps {
  config: Config;
  store: Store;
  feeds: FeedDef[];
  sources: Source[];
  runner: CycleRunner;
  /** POST /admin/refresh: every source, run here or enqueued for the cluster. Without it, run here. */
  refresh?: () => Promise<DispatchResult>;
  logger: Logger;
  /** What /readyz reports besides the store: e.g. whether the scheduler runs. */
  readiness?: () => Record<string, boolean>;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    trustProxy: deps.config.server.trustProxy,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    bodyLimit: 64 * 1024,
  });
  installErrorHandling(app);
  await app.register(healthRoutes, deps);
  await app.register(discoveryRoutes, deps);
  await app.register(feedRoutes, deps);
  await app.register(articleRoutes, deps);
  if (deps.config.admin.token) await app.register(adminRoutes, deps);
  return app;
}
