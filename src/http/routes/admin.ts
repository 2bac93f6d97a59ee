import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';
import { unauthorized } from '../errors.ts';

/** Compares digests so the time taken says nothing about the token. */
function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export async function adminRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.addHook('onRequest', async (req) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!m || !sameToken(m[1]!, deps.config.admin.token)) throw unauthorized();
  });

  app.post('/admin/refresh', async () => {
    const cycle = deps.refresh ? await deps.refresh() : { mode: 'local' as const, ...(await deps.runner.run(deps.sources, { force: true })) };
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

  app.get('/admin/sources', async () => ({ sources: await deps.store.listSourceStates() }));
}
