// Ways in for people and readers: the OPML list of every feed.
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';
import { writeOpml } from '../../publish/opml.ts';

export async function discoveryRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get('/feeds.opml', async (_req, reply) =>
    reply
      .type('text/x-opml; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(writeOpml(deps.feeds, deps.config.server.baseUrl, new Date())),
  );
}
