import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';
import { requireBearer } from '../bearer.ts';

// Fastify waits for the promise a plugin returns; nothing here awaits, so it is an already resolved one.
export function adminRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.addHook('onRequest', requireBearer(deps.config.admin.token));

  app.post('/admin/refresh', async () => {
    const cycle = await deps.refresh();
    // In a cluster the answer is what was queued; the fetches happen on whichever replica takes them.
    if (cycle.mode === 'cluster') return cycle;
    return {
      startedAt: cycle.startedAt,
      durationMs: cycle.durationMs,
      sources: cycle.sources.map((s) => ({
        id: s.sourceId,
        url: s.url,
        outcome: s.outcome,
        seen: s.seen,
        new: s.new,
        updated: s.updated,
        failed: s.failed,
        ...(s.error && { error: s.error }),
      })),
    };
  });

  app.post('/admin/reload', async (_req, reply) => {
    const r = deps.registry.reload('POST /admin/reload');
    return reply.code(r.ok ? 200 : 422).send(r);
  });

  app.get('/admin/sources', async () => ({ sources: await deps.store.listSourceStates() }));
  return Promise.resolve();
}
