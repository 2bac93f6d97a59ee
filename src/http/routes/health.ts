import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';

// Fastify waits for the promise a plugin returns; nothing here awaits, so it is an already resolved one.
export function healthRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  // Probes run every few seconds: keep them out of the info log.
  app.get('/healthz', { logLevel: 'warn' }, () => Promise.resolve({ status: 'ok' }));
  app.get('/readyz', { logLevel: 'warn' }, async (_req, reply) => {
    const checks: Record<string, boolean> = {};
    try {
      await deps.store.ping();
      checks['store'] = true;
      const { current, expected } = await deps.store.schema();
      checks['migrations'] = current === expected;
    } catch {
      checks['store'] = false;
      checks['migrations'] = false;
    }
    Object.assign(checks, deps.readiness?.() ?? {});
    const notReady = Object.entries(checks).filter(([, ok]) => !ok).map(([k]) => k);
    return reply.code(notReady.length ? 503 : 200).send({ status: notReady.length ? 'not_ready' : 'ready', checks, ...(notReady.length && { notReady }) });
  });
  return Promise.resolve();
}
