import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Article } from '../../model/article.ts';
import type { FeedView } from '../../publish/view.ts';
import Type from 'typebox';
import type { AppDeps } from '../app.ts';
import { badRequest, notFound } from '../errors.ts';
import { CONTENT_TYPES, feedView, renderFeed, type FeedFormat } from '../../publish/render.ts';
import { decodeCursor, encodeCursor } from '../../store/port.ts';
import { inFeed } from '../../publish/filter.ts';
import { filteredPage } from '../paging.ts';

const Query = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1 })),
    after: Type.Optional(Type.String({ maxLength: 200 })),
    before: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: true },
);

type PageQuery = { limit?: number; after?: string; before?: string };
type Links = { query: string; nextQuery: string | null; prevQuery: string | null; firstQuery: string | null };

export async function feedRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const byId = new Map(deps.feeds.map((f) => [f.id, f]));
  app.get<{ Params: { file: string }; Querystring: PageQuery }>(
    '/feeds/:file',
    { schema: { querystring: Query } },
    async (req, reply) => {
      const m = /^([a-z0-9][a-z0-9_-]*)\.(atom|rss|json)$/.exec(req.params.file);
      if (!m) throw notFound(`no feed ${req.params.file}; feeds are /feeds/<id>.atom, .rss or .json`);
      const feed = byId.get(m[1]!);
      if (!feed) throw notFound(`no feed with id "${m[1]}"`);
      const format = m[2] as FeedFormat;
      const limit = Math.min(req.query.limit ?? feed.limit, deps.config.feeds.maxLimit);
      const accept = feed.include || feed.exclude ? (a: Article) => inFeed(feed, a) : undefined;
      return sendPage(req.query, limit, { sourceIds: feed.sourceIds }, format, reply, accept, (_page, links) => ({
        view: feedView(feed, deps.config.server.baseUrl, deps.config.schedule.cron, links),
        maxTags: feed.maxTags,
        ok: true,
      }));
    },
  );

  // Per-tag feeds across every configured feed: where each article's category links point.
  // Every source some feed reads, each once (loadFeeds already deduplicated them).
  const allSources = deps.sources.map((s) => s.id);
  app.get<{ Params: { file: string }; Querystring: PageQuery }>(
    '/tags/:file',
    { schema: { querystring: Query } },
    async (req, reply) => {
      const m = /^([a-z0-9]+(?:-[a-z0-9]+)*)\.(atom|rss|json)$/.exec(req.params.file);
      if (!m) throw notFound(`no tag feed ${req.params.file}; tag feeds are /tags/<slug>.atom, .rss or .json`);
      const slug = m[1]!;
      const format = m[2] as FeedFormat;
      const limit = Math.min(req.query.limit ?? deps.config.feeds.defaultLimit, deps.config.feeds.maxLimit);
      return sendPage(req.query, limit, { sourceIds: allSources, tag: slug }, format, reply, undefined, (page, links) => {
        const label = page.articles.flatMap((a) => a.tags).find((t) => t.slug === slug)?.label ?? slug;
        const def = { id: `tag-${slug}`, title: `${label}`, description: `Articles tagged “${label}” in every feed`, language: undefined };
        return { view: feedView(def, deps.config.server.baseUrl, deps.config.schedule.cron, { ...links, path: `/tags/${slug}` }), maxTags: 10, ok: page.articles.length > 0 || !!req.query.after || !!req.query.before };
      });
    },
  );

  /** One page of a feed: the cursor checked, the page read, the next page's link built. */
  async function sendPage(
    q: PageQuery,
    limit: number,
    filter: { sourceIds: string[]; tag?: string },
    format: FeedFormat,
    reply: FastifyReply,
    accept: ((a: Article) => boolean) | undefined,
    describe: (page: { articles: Article[] }, links: Links) => { view: FeedView; maxTags: number; ok: boolean },
  ) {
    if (q.after && q.before) throw badRequest('give "after" or "before", not both');
    const raw = q.after ?? q.before;
    const cursor = raw ? decodeCursor(raw) : undefined;
    if (cursor === null) throw badRequest(`the "${q.after ? 'after' : 'before'}" cursor is not one this feed produced`);
    const query = { ...filter, limit, cursor, direction: q.before ? ('before' as const) : ('after' as const) };
    const page = accept ? await filteredPage(deps.store, query, accept) : await deps.store.listArticles(query);
    // RFC 5005 paged feeds: next (older), previous (newer), first (the newest page).
    const pageQuery = (key?: 'after' | 'before', c?: string) => {
      const p = new URLSearchParams();
      if (q.limit !== undefined) p.set('limit', String(limit));
      if (key && c) p.set(key, c);
      return p.toString();
    };
    const links: Links = {
      query: q.after ? pageQuery('after', q.after) : q.before ? pageQuery('before', q.before) : pageQuery(),
      nextQuery: page.next ? pageQuery('after', encodeCursor(page.next)) : null,
      prevQuery: page.prev ? pageQuery('before', encodeCursor(page.prev)) : null,
      firstQuery: raw ? pageQuery() : null,
    };
    const { view, maxTags, ok } = describe(page, links);
    if (!ok) throw notFound(`no article is tagged "${filter.tag}"`);
    return reply.type(CONTENT_TYPES[format]).header('cache-control', 'public, max-age=60').send(renderFeed(format, view, page.articles, maxTags));
  }
}
