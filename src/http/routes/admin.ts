import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';
import { requireBearer } from '../bearer.ts';

export async function adminRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.addHook('onRequest', requireBearer(deps.config.admin.token));

  app.post('/admin/refresh', async () => {
    const cycle = await deps.refresh();
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
}
