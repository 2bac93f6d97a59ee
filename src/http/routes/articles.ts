import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { AppDeps } from '../app.ts';
import { badRequest, notFound } from '../errors.ts';
import { ArticleSchema, type Article } from '../../model/article.ts';
import { decodeCursor, encodeCursor } from '../../store/port.ts';
import { inFeed } from '../../publish/filter.ts';
import { filteredPage } from '../paging.ts';

const ListQuery = Type.Object(
  {
    feed: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

const ListReply = Type.Object({ articles: Type.Array(ArticleSchema), next: Type.Union([Type.String(), Type.Null()]) });

export async function articleRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const byId = new Map(deps.feeds.map((f) => [f.id, f]));
  // Every source some feed reads, each once (loadFeeds already deduplicated them).
  const allSources = deps.sources.map((s) => s.id);

  app.get<{ Params: { id: string } }>(
    '/articles/:id',
    { schema: { params: Type.Object({ id: Type.String({ maxLength: 64 }) }), response: { 200: ArticleSchema } } },
    async (req) => {
      const article = /^[a-z0-9]{16,64}$/.test(req.params.id) ? await deps.store.getArticle(req.params.id) : undefined;
      if (!article) throw notFound(`no article with id "${req.params.id}"`);
      return article;
    },
  );

  app.get<{ Querystring: { feed?: string; limit?: number; cursor?: string } }>(
    '/articles',
    { schema: { querystring: ListQuery, response: { 200: ListReply } } },
    async (req) => {
      let sourceIds = allSources;
      let limit = deps.config.feeds.defaultLimit;
      let accept: ((a: Article) => boolean) | undefined;
      if (req.query.feed !== undefined) {
        const feed = byId.get(req.query.feed);
        if (!feed) throw notFound(`no feed with id "${req.query.feed}"`);
        sourceIds = feed.sourceIds;
        limit = feed.limit;
        // The same articles as the feed's Atom, RSS and JSON Feed: its rules apply here too.
        if (feed.include || feed.exclude) accept = (a) => inFeed(feed, a);
      }
      limit = Math.min(req.query.limit ?? limit, deps.config.feeds.maxLimit);
      const cursor = req.query.cursor ? decodeCursor(req.query.cursor) : undefined;
      if (cursor === null) throw badRequest('the cursor is not one this API produced');
      const page = accept ? await filteredPage(deps.store, { sourceIds, limit, cursor }, accept) : await deps.store.listArticles({ sourceIds, limit, cursor });
      return { articles: page.articles, next: page.next ? encodeCursor(page.next) : null };
    },
  );
}
