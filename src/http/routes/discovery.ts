// Ways in for people and readers: the HTML index at / and the OPML list of every feed.
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';
import { writeOpml } from '../../publish/opml.ts';
import { renderIndex } from '../../publish/html-index.ts';

const RECENT = 24;

export async function discoveryRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  // Every source some feed reads, each once (loadFeeds already deduplicated them).
  const allSources = deps.sources.map((s) => s.id);
  app.get('/', async (_req, reply) => {
    const { articles } = await deps.store.listArticles({ sourceIds: allSources, limit: RECENT });
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'public, max-age=60')
      .send(renderIndex({ baseUrl: deps.config.server.baseUrl, feeds: deps.feeds, articles }));
  });
  app.get('/feeds.opml', async (_req, reply) =>
    reply
      .type('text/x-opml; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(writeOpml(deps.feeds, deps.config.server.baseUrl, new Date())),
  );
}
