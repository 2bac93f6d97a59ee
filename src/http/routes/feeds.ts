import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { AppDeps } from '../app.ts';
import { badRequest, notFound } from '../errors.ts';
import { CONTENT_TYPES, feedView, renderFeed, type FeedFormat } from '../../publish/render.ts';
import { decodeCursor, encodeCursor } from '../../store/port.ts';

const Query = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1 })),
    after: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: true },
);

export async function feedRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const byId = new Map(deps.feeds.map((f) => [f.id, f]));
  app.get<{ Params: { file: string }; Querystring: { limit?: number; after?: string } }>(
    '/feeds/:file',
    { schema: { querystring: Query } },
    async (req, reply) => {
      const m = /^([a-z0-9][a-z0-9_-]*)\.(atom|rss|json)$/.exec(req.params.file);
      if (!m) throw notFound(`no feed ${req.params.file}; feeds are /feeds/<id>.atom, .rss or .json`);
      const feed = byId.get(m[1]!);
      if (!feed) throw notFound(`no feed with id "${m[1]}"`);
      const format = m[2] as FeedFormat;
      const limit = Math.min(req.query.limit ?? feed.limit, deps.config.feeds.maxLimit);
      const cursor = req.query.after ? decodeCursor(req.query.after) : undefined;
      if (cursor === null) throw badRequest('the "after" cursor is not one this feed produced');
      const page = await deps.store.listArticles({ sourceIds: feed.sourceIds, limit, cursor });
      const pageQuery = (after: string | undefined) => {
        const q = new URLSearchParams();
        if (req.query.limit !== undefined) q.set('limit', String(limit));
        if (after) q.set('after', after);
        return q.toString();
      };
      const view = feedView(feed, deps.config.server.baseUrl, deps.config.schedule.cron, {
        query: pageQuery(req.query.after),
        nextQuery: page.next ? pageQuery(encodeCursor(page.next)) : null,
      });
      return reply.type(CONTENT_TYPES[format]).header('cache-control', 'public, max-age=60').send(renderFeed(format, view, page.articles, feed.maxTags));
    },
  );
}
