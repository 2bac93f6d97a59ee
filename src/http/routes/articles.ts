import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { ServeDeps } from '../app.ts';
import { badRequest, notFound } from '../errors.ts';
import { ArticleSchema, type Article } from '../../model/article.ts';
import { decodeCursor, encodeCursor } from '../../store/port.ts';
import { inFeed } from '../../publish/filter.ts';
import { feedUpdated } from '../../publish/view.ts';
import { represent } from '../../publish/representation.ts';
import type { Scope } from '../../publish/render-cache.ts';
import { filteredPage } from '../paging.ts';
import { sendRepresentation } from '../conditional.ts';
import { REPRESENTATION_ROUTE } from '../security-headers.ts';

const ListQuery = Type.Object(
  {
    feed: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

const ListReply = Type.Object({ articles: Type.Array(ArticleSchema), next: Type.Union([Type.String(), Type.Null()]) });

// Fastify waits for the promise a plugin returns; nothing here awaits, so it is an already resolved one.
export function articleRoutes(app: FastifyInstance, deps: ServeDeps): Promise<void> {
  const { catalog, cache, freshness } = deps;
  // Request and reply types come from the route schemas.
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  typed.get(
    '/articles/:id',
    { schema: { params: Type.Object({ id: Type.String({ maxLength: 64 }) }), response: { 200: ArticleSchema } } },
    async (req) => {
      const article = /^[a-z0-9]{16,64}$/.test(req.params.id) ? await deps.store.getArticle(req.params.id) : undefined;
      if (!article) throw notFound(`no article with id "${req.params.id}"`);
      return article;
    },
  );

  typed.get(
    '/articles',
    { schema: { querystring: ListQuery, response: { 200: ListReply } }, config: REPRESENTATION_ROUTE },
    async (req, reply) => {
      let sourceIds = catalog.sourceIds();
      let sources = catalog.sources();
      let limit = deps.config.feeds.defaultLimit;
      let accept: ((a: Article) => boolean) | undefined;
      let scope: Scope = { feeds: 'all', sources: null };
      if (req.query.feed !== undefined) {
        const feed = catalog.feed(req.query.feed);
        if (!feed) throw notFound(`no feed with id "${req.query.feed}"`);
        sourceIds = feed.sourceIds;
        sources = catalog.sourcesOf(feed.id).list;
        limit = feed.limit;
        // The same articles as the feed's Atom, RSS and JSON Feed: its rules apply here too.
        if (feed.include || feed.exclude) accept = (a) => inFeed(feed, a);
        scope = { feeds: [feed.id], sources: catalog.sourcesOf(feed.id).ids, ...(accept ? { accepts: accept } : {}) };
      }
      limit = Math.min(req.query.limit ?? limit, deps.config.feeds.maxLimit);
      const cursor = req.query.cursor ? decodeCursor(req.query.cursor) : undefined;
      if (cursor === null) throw badRequest('the cursor is not one this API produced');
      const key = `/articles?${req.query.feed ?? ''}|${limit}|${req.query.cursor ?? ''}`;
      const rep = await cache.get(key, scope, async () => {
        const page = accept ? await filteredPage(deps.store, { sourceIds, limit, cursor }, accept) : await deps.store.listArticles({ sourceIds, limit, cursor });
        const next = page.next ? encodeCursor(page.next) : null;
        // The same bytes the route's response schema would write.
        const json = reply.serializeInput({ articles: page.articles, next }, '200') as string;
        const nextUrl = next ? `${deps.config.server.baseUrl}/articles?${new URLSearchParams({ ...(req.query.feed ? { feed: req.query.feed } : {}), ...(req.query.limit ? { limit: String(limit) } : {}), cursor: next }).toString()}` : null;
        return {
          representation: await represent(json, 'application/json; charset=utf-8', feedUpdated(page.articles), nextUrl ? `<${nextUrl}>; rel="next"` : undefined),
          articleIds: page.articles.map((a) => a.id),
        };
      });
      return sendRepresentation(req, reply, rep, { cacheControl: freshness.cacheControl(sources) });
    },
  );
  return Promise.resolve();
}
