// Ways in for people and readers: the HTML index at / and the OPML list of every feed.
import type { FastifyInstance } from 'fastify';
import type { ServeDeps } from '../app.ts';
import { writeOpml } from '../../publish/opml.ts';
import { renderIndex } from '../../publish/html-index.ts';
import { feedUpdated } from '../../publish/view.ts';
import { represent } from '../../publish/representation.ts';
import { sendRepresentation } from '../conditional.ts';
import { REPRESENTATION_ROUTE } from '../security-headers.ts';

const RECENT = 24;

// Fastify waits for the promise a plugin returns; nothing here awaits, so it is an already resolved one.
export function discoveryRoutes(app: FastifyInstance, deps: ServeDeps): Promise<void> {
  const { catalog, cache } = deps;
  app.get('/', { config: REPRESENTATION_ROUTE }, async (req, reply) => {
    // Lists every feed and the newest articles of every source.
    const rep = await cache.get('/', { feeds: 'all', sources: null }, async () => {
      const { articles } = await deps.store.listArticles({ sourceIds: catalog.sourceIds(), limit: RECENT });
      const html = renderIndex({ baseUrl: deps.config.server.baseUrl, feeds: catalog.feeds(), articles });
      return { representation: await represent(html, 'text/html; charset=utf-8', feedUpdated(articles)), articleIds: articles.map((a) => a.id) };
    });
    return sendRepresentation(req, reply, rep, { cacheControl: 'public, max-age=60' });
  });
  app.get('/feeds.opml', { config: REPRESENTATION_ROUTE }, async (req, reply) => {
    // Made from the feed definitions alone: it changes when they do.
    const rep = await cache.get('/feeds.opml', { feeds: 'all', sources: new Set() }, async () => {
      const now = new Date();
      return { representation: await represent(writeOpml(catalog.feeds(), deps.config.server.baseUrl, now), 'text/x-opml; charset=utf-8', now), articleIds: [] };
    });
    return sendRepresentation(req, reply, rep, { cacheControl: 'public, max-age=300' });
  });
  return Promise.resolve();
}
