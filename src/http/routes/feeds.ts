import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Article } from '../../model/article.ts';
import type { FeedView } from '../../publish/view.ts';
import { feedUpdated } from '../../publish/view.ts';
import Type, { type Static } from 'typebox';
import type { ServeDeps } from '../app.ts';
import { badRequest, notFound } from '../errors.ts';
import { CONTENT_TYPES, feedView, renderFeed, type FeedFormat } from '../../publish/render.ts';
import { topicUrl, websubLinks } from '../../websub/links.ts';
import { decodeCursor, encodeCursor, type Cursor } from '../../store/port.ts';
import { inFeed } from '../../publish/filter.ts';
import { represent, type Representation } from '../../publish/representation.ts';
import type { Scope } from '../../publish/render-cache.ts';
import type { FeedDef, Source } from '../../model/feed.ts';
import { filteredPage } from '../paging.ts';
import { chooseFormat } from '../negotiate.ts';
import { sendRepresentation } from '../conditional.ts';
import { REPRESENTATION_ROUTE } from '../security-headers.ts';

const Query = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1 })),
    after: Type.Optional(Type.String({ maxLength: 200 })),
    before: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: true },
);

const File = Type.Object({ file: Type.String() });

type PageQuery = Static<typeof Query>;
type Links = { query: string; nextQuery: string | null; prevQuery: string | null; firstQuery: string | null };

/** What one feed URL serves: where its articles come from and how its page is described. */
interface FeedTarget {
  /** `/feeds/<id>` or `/tags/<slug>`, without the format. */
  path: string;
  scope: Scope;
  filter: { sourceIds: string[]; tag?: string };
  /** The first page's cache key per format (the page nearly every request asks for). */
  keys: Record<FeedFormat, string>;
  /** The URL of each format's variant, for Content-Location on the negotiated URL. */
  contentLocation: Record<FeedFormat, string>;
  sources: readonly Source[];
  /** The page size when the query names none. */
  limit: number;
  accept: ((a: Article) => boolean) | undefined;
  describe: (page: { articles: Article[] }, links: Links, q: PageQuery) => { view: FeedView; maxTags: number; ok: boolean };
  /** A configured feed's WebSub topic per format (tag feeds are not topics: no hub pings them). */
  topic?: (format: FeedFormat) => string;
}

// `<name>` negotiates the format from Accept; `<name>.atom|.rss|.json` names it.
const FILE = (name: string) => new RegExp(`^(${name})(?:\\.(atom|rss|json))?$`);
const ALL_FORMATS = (f: (format: FeedFormat) => string): Record<FeedFormat, string> => ({ atom: f('atom'), rss: f('rss'), json: f('json') });
/** A page's render-cache key: an explicit ?limit= shows in its links, so it is part of the key. */
const pageKey = (path: string, format: FeedFormat, q: PageQuery) => `${path}.${format}?${q.limit ?? ''}|${q.after ?? ''}|${q.before ?? ''}`;
/** The URLs a feed target answers for, worked out with it. */
const urlsOf = (path: string) => ({ path, keys: ALL_FORMATS((f) => pageKey(path, f, {})), contentLocation: ALL_FORMATS((f) => `${path}.${f}`) });
const FEED_FILE = FILE('[a-z0-9][a-z0-9_-]*');
const TAG_FILE = FILE('[a-z0-9]+(?:-[a-z0-9]+)*');

// Fastify waits for the promise a plugin returns; nothing here awaits, so it is an already resolved one.
export function feedRoutes(app: FastifyInstance, deps: ServeDeps): Promise<void> {
  const { catalog, cache, freshness } = deps;
  // Request types come from the route schemas.
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  // Nearly every request is a poll answered from the cache: what describes a feed URL is made
  // once per definition (a reload makes new ones), not once per request.
  const feedTargets = new WeakMap<FeedDef, FeedTarget>();
  let tagTargets = { sources: catalog.sources(), bySlug: new Map<string, FeedTarget>() };

  // Handlers that are not async: a cached answer goes out without a promise; a render returns one.
  typed.get('/feeds/:file', { schema: { params: File, querystring: Query }, config: REPRESENTATION_ROUTE }, (req, reply) => {
    const m = FEED_FILE.exec(req.params.file);
    if (!m) throw notFound(`no feed ${req.params.file}; feeds are /feeds/<id>.atom, .rss or .json`);
    const feed = catalog.feed(m[1]!);
    if (!feed) throw notFound(`no feed with id "${m[1]}"`);
    let target = feedTargets.get(feed);
    if (!target) feedTargets.set(feed, (target = feedTarget(feed)));
    return sendFeed(req, req.query, reply, m[2] as FeedFormat | undefined, target);
  });

  // Per-tag feeds across every configured feed: where each article's category links point.
  typed.get('/tags/:file', { schema: { params: File, querystring: Query }, config: REPRESENTATION_ROUTE }, (req, reply) => {
    const m = TAG_FILE.exec(req.params.file);
    if (!m) throw notFound(`no tag feed ${req.params.file}; tag feeds are /tags/<slug>.atom, .rss or .json`);
    const slug = m[1]!;
    // Tag targets read every source: a reload that changes the sources makes them anew. Slugs
    // come from URLs, so the map is bounded.
    if (tagTargets.sources !== catalog.sources() || tagTargets.bySlug.size >= 1024) tagTargets = { sources: catalog.sources(), bySlug: new Map() };
    let target = tagTargets.bySlug.get(slug);
    if (!target) tagTargets.bySlug.set(slug, (target = tagTarget(slug)));
    return sendFeed(req, req.query, reply, m[2] as FeedFormat | undefined, target);
  });

  function feedTarget(feed: FeedDef): FeedTarget {
    const accept = feed.include || feed.exclude ? (a: Article) => inFeed(feed, a) : undefined;
    const sources = catalog.sourcesOf(feed.id);
    return {
      ...urlsOf(`/feeds/${feed.id}`),
      scope: { feeds: [feed.id], sources: sources.ids, ...(accept ? { accepts: accept } : {}) },
      filter: { sourceIds: feed.sourceIds },
      sources: sources.list,
      limit: feed.limit,
      accept,
      describe: (_page, links) => ({
        view: feedView(feed, deps.config.server.baseUrl, deps.config.schedule.cron, { ...links, hubs: deps.config.websub.hubs }),
        maxTags: feed.maxTags,
        ok: true,
      }),
      topic: (format) => topicUrl(deps.config.server.baseUrl, feed.id, format),
    };
  }

  function tagTarget(slug: string): FeedTarget {
    return {
      ...urlsOf(`/tags/${slug}`),
      // Every source some feed reads (each once), and a change to which feeds exist changes that.
      scope: { feeds: 'all', sources: null, accepts: (a) => a.tags.some((t) => t.slug === slug) },
      filter: { sourceIds: catalog.sourceIds(), tag: slug },
      sources: catalog.sources(),
      limit: deps.config.feeds.defaultLimit,
      accept: undefined,
      describe: (page, links, q) => {
        const label = page.articles.flatMap((a) => a.tags).find((t) => t.slug === slug)?.label ?? slug;
        const def = { id: `tag-${slug}`, title: label, description: `Articles tagged “${label}” in every feed`, language: undefined };
        return {
          view: feedView(def, deps.config.server.baseUrl, deps.config.schedule.cron, { ...links, path: `/tags/${slug}` }),
          maxTags: 10,
          ok: page.articles.length > 0 || !!q.after || !!q.before,
        };
      },
    };
  }

  /** One page of a feed, from the render cache: rendered (query, links, body, codings) on a miss. */
  function sendFeed(req: FastifyRequest, q: PageQuery, reply: FastifyReply, named: FeedFormat | undefined, target: FeedTarget): undefined | Promise<void> {
    if (q.after && q.before) throw badRequest('give "after" or "before", not both');
    const raw = q.after ?? q.before;
    const cursor = raw ? decodeCursor(raw) : undefined;
    if (cursor === null) throw badRequest(`the "${q.after ? 'after' : 'before'}" cursor is not one this feed produced`);
    const format = named ?? chooseFormat(req.headers.accept);
    const limit = Math.min(q.limit ?? target.limit, deps.config.feeds.maxLimit);
    const key = q.limit === undefined && raw === undefined ? target.keys[format] : pageKey(target.path, format, q);
    const send = (rep: Representation) => {
      const search = named ? -1 : req.url.indexOf('?');
      sendRepresentation(req, reply, rep, {
        cacheControl: freshness.cacheControl(target.sources),
        ...(named ? {} : { vary: 'Accept' as const, contentLocation: search >= 0 ? `${target.contentLocation[format]}${req.url.slice(search)}` : target.contentLocation[format] }),
      });
    };
    const rep = cache.get(key, target.scope, () => renderPage(q, target, format, limit, cursor));
    if (rep instanceof Promise) return rep.then(send);
    send(rep);
    return undefined;
  }

  async function renderPage(q: PageQuery, target: FeedTarget, format: FeedFormat, limit: number, cursor: Cursor | undefined) {
    const { accept } = target;
    const query = { ...target.filter, limit, cursor, direction: q.before ? ('before' as const) : ('after' as const) };
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
      firstQuery: q.after ?? q.before ? pageQuery() : null,
    };
    const { view, maxTags, ok } = target.describe(page, links, q);
    if (!ok) throw notFound(`no article is tagged "${target.filter.tag}"`);
    const body = renderFeed(format, view, page.articles, maxTags);
    // WebSub discovery for readers that see only headers (JSON Feed pollers): hub and topic.
    const websub = target.topic ? websubLinks(target.topic(format), deps.config.websub.hubs) : null;
    const link = websub ? websub.linkHeaders.join(', ') : undefined;
    return { representation: await represent(body, CONTENT_TYPES[format], feedUpdated(page.articles), link), articleIds: page.articles.map((a) => a.id) };
  }
  return Promise.resolve();
}
