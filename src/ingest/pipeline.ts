// source -> fetch -> decode -> detect -> parse/extract -> normalize -> store, for one source and
// for a whole cycle. A failing item is logged with its URL and skipped; a failing source is
// recorded on its state and never touches what is already stored.
import type { Logger } from 'pino';
import type { Source } from '../model/feed.ts';
import type { SourceState, Store, UpsertItem } from '../store/port.ts';
import type { Fetcher } from './fetch.ts';
import { decode } from './decode.ts';
import { detectFormat } from './detect.ts';
import { parseFeed } from './parse-feed.ts';
import { extractPage } from './extract-page.ts';
import { normalize } from './normalize.ts';
import { asIngestError, IngestError } from './errors.ts';
import type { RawFeed, RawItem } from './raw.ts';
import { excerptWords, mergePage, wantsPage } from './full-text.ts';
import { articleId, parseDate } from './normalize.ts';
import { ACCEPT_PAGE } from './fetch.ts';
import { readPageSource } from './resolve-site.ts';

export interface PipelineDeps {
  store: Store;
  fetcher: Fetcher;
  log: Logger;
  now?: () => Date;
  /** Longest wait between attempts at a failing source. */
  maxBackoffMs?: number;
  random?: () => number;
}

export interface SourceResult {
  sourceId: string;
  url: string;
  outcome: 'ok' | 'not_modified' | 'failed' | 'skipped';
  seen: number;
  new: number;
  updated: number;
  failed: number;
  httpStatus: number | null;
  bytes: number;
  durationMs: number;
  error?: { class: string; message: string };
}

export interface CycleResult {
  startedAt: string;
  durationMs: number;
  sources: SourceResult[];
}

const BASE_BACKOFF_MS = 60_000;
/** How often a site address is read again for the feed it declares. */
const REDISCOVER_MS = 86_400_000;

/** Exponential backoff with full jitter on the upper half, capped. */
export function backoffMs(failures: number, capMs: number, random = Math.random): number {
  const exp = Math.min(capMs, BASE_BACKOFF_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

function freshState(source: Source): SourceState {
  return {
    id: source.id,
    url: source.url,
    effectiveUrl: null,
    etag: null,
    lastModified: null,
    lastAttemptAt: null,
    lastSuccessAt: null,
    lastStatus: null,
    consecutiveFailures: 0,
    lastErrorClass: null,
    lastErrorMessage: null,
    nextAttemptAt: null,
    discoveredAt: null,
  };
}

const PAGE_CONCURRENCY = 2;

/**
 * Items that carry only an excerpt, completed from their pages (source option fullText). A page
 * is fetched once: an article already stored from its page is left alone until the feed says it
 * changed. A page that fails keeps the excerpt, and the reason is logged with its URL.
 * Returns the items to normalize; items skipped as already complete are left out.
 */
async function completeFromPages(items: RawItem[], source: Source, deps: PipelineDeps, log: Logger): Promise<RawItem[]> {
  const mode = source.fullText ?? 'auto';
  const out: Array<RawItem | null> = [...items];
  const todo = items.map((item, i) => ({ item, i })).filter(({ item }) => wantsPage(item, mode));
  const worker = async () => {
    for (let next = todo.shift(); next; next = todo.shift()) {
      const { item, i } = next;
      const url = new URL(item.link!, source.url).href;
      const stored = await deps.store.getArticle(articleId(source.id, url, item.guid));
      const feedDate = parseDate(item.updated ?? item.published, source.timezone);
      // Another source owns this article's content: upserting the item only lists it here.
      if (stored && stored.sourceId !== source.id) continue;
      const unchanged = stored && (!feedDate || feedDate.toISOString() <= stored.updatedAt);
      // In auto mode a stored article no longer than the excerpt is one whose page failed: retry it.
      if (unchanged && (mode === 'always' || stored.wordCount > excerptWords(item))) {
        out[i] = null;
        continue;
      }
      try {
        const res = await deps.fetcher.fetch({ url, accept: ACCEPT_PAGE });
        const { text } = decode(res.body, res.contentType);
        const page = extractPage(text, res.url).items[0];
        if (page) out[i] = mergePage(item, page);
      } catch (err) {
        log.warn({ item: url, err: asIngestError(err, 'fetch').message }, 'full text: page not used; keeping the excerpt');
      }
    }
  };
  await Promise.all(Array.from({ length: PAGE_CONCURRENCY }, worker));
  return out.filter((x): x is RawItem => x !== null);
}

export async function ingestSource(source: Source, deps: PipelineDeps, opts: { force?: boolean } = {}): Promise<SourceResult> {
  const now = deps.now ?? (() => new Date());
  const started = now();
  const t0 = performance.now();
  let state = (await deps.store.getSourceState(source.id)) ?? freshState(source);
  if (state.url !== source.url) state = freshState(source); // the definition now points elsewhere
  // A site address is read again daily, and after any failure, so a changed declaration moves it.
  const rediscover = state.discoveredAt !== null && (Date.parse(state.discoveredAt) + REDISCOVER_MS <= started.getTime() || state.lastErrorClass !== null);
  const fetchUrl = rediscover ? source.url : (state.effectiveUrl ?? source.url);
  const result: SourceResult = { sourceId: source.id, url: fetchUrl, outcome: 'ok', seen: 0, new: 0, updated: 0, failed: 0, httpStatus: null, bytes: 0, durationMs: 0 };
  const log = deps.log.child({ source: source.id, url: fetchUrl });

  if (!opts.force && state.nextAttemptAt && state.nextAttemptAt > started.toISOString()) {
    result.outcome = 'skipped';
    log.debug({ nextAttemptAt: state.nextAttemptAt }, 'source backing off; skipped');
    return result;
  }
  state.lastAttemptAt = started.toISOString();
  try {
    // The feed's validators are not the page's: the page is asked for whole.
    let res = await deps.fetcher.fetch({ url: fetchUrl, etag: rediscover ? null : state.etag, lastModified: rediscover ? null : state.lastModified });
    let decoded = res.notModified ? undefined : decode(res.body, res.contentType);
    if (decoded && detectFormat(decoded.text, res.contentType) === 'html') {
      const reading = await readPageSource(decoded.text, res.url, deps.fetcher, source.format);
      if (reading.as === 'feed') {
        const feedUrl = reading.feed.url;
        if (state.discoveredAt === null || state.effectiveUrl !== feedUrl) {
          log.info({ feed: feedUrl, declared: reading.declared }, 'a site address: following the feed it offers');
          state.etag = null;
          state.lastModified = null;
        }
        state.effectiveUrl = feedUrl;
        state.discoveredAt = started.toISOString();
        result.url = feedUrl;
        res = reading.response ?? (await deps.fetcher.fetch({ url: feedUrl, etag: state.etag, lastModified: state.lastModified }));
        decoded = res.notModified ? undefined : decode(res.body, res.contentType);
        if (decoded && detectFormat(decoded.text, res.contentType) === 'html') {
          throw new IngestError('detect', 'unsupported_format', `${feedUrl}, the feed ${source.url} offers, answers with an HTML page, not a feed`);
        }
      }
    }
    result.httpStatus = res.status;
    result.bytes = res.body.length;
    if (res.movedTo && res.movedTo !== state.effectiveUrl && !rediscover) {
      log.info({ movedTo: res.movedTo }, 'source moved permanently; fetching the new URL from now on');
      state.effectiveUrl = res.movedTo;
    }
    state.etag = res.etag ?? (res.notModified ? state.etag : null);
    state.lastModified = res.lastModified ?? (res.notModified ? state.lastModified : null);
    if (res.notModified) {
      result.outcome = 'not_modified';
    } else {
      const { text } = decoded ?? decode(res.body, res.contentType);
      if (!text.trim()) throw new IngestError('parse', 'empty', `empty document from ${res.url}`);
      const format = detectFormat(text, res.contentType);
      let feed: RawFeed;
      if (format === 'html') feed = extractPage(text, res.url);
      else if (format === 'unknown') throw new IngestError('detect', 'unsupported_format', `${res.url} is neither a feed nor an HTML page (${res.contentType ?? 'no Content-Type'})`);
      else feed = await parseFeed(text, format);
      const batch: UpsertItem[] = [];
      const base = res.url.startsWith('file:') ? (feed.link ?? res.url) : res.url;
      const items = format === 'html' ? feed.items : await completeFromPages(feed.items, source, deps, log);
      result.seen += feed.items.length - items.length;
      for (const item of items) {
        result.seen++;
        try {
          const n = normalize(item, {
            sourceId: source.id,
            baseUrl: feed.link && item.link && !/^https?:/i.test(item.link) ? feed.link : base,
            now: started,
            feedLanguage: feed.language,
            tagRules: source.tagRules,
            timezone: source.timezone,
          });
          if (n.clampedFrom) log.warn({ item: n.article.url, date: n.clampedFrom }, 'item dated in the future; clamped to now');
          batch.push({ article: n.article, dated: n.dated });
        } catch (err) {
          result.failed++;
          log.warn({ item: item.link ?? item.guid, err: asIngestError(err, 'normalize').message }, 'item skipped');
        }
      }
      const up = await deps.store.upsertArticles(batch, started);
      result.new = up.inserted;
      result.updated = up.updated;
    }
    state.lastStatus = res.status;
    state.lastSuccessAt = started.toISOString();
    state.consecutiveFailures = 0;
    state.lastErrorClass = null;
    state.lastErrorMessage = null;
    state.nextAttemptAt = null;
  } catch (err) {
    const e = asIngestError(err, 'fetch');
    result.outcome = 'failed';
    result.error = { class: e.errorClass, message: e.message };
    state.lastStatus = e.status ?? null;
    state.consecutiveFailures += 1;
    state.lastErrorClass = e.errorClass;
    state.lastErrorMessage = e.message;
    const wait = Math.max(backoffMs(state.consecutiveFailures, deps.maxBackoffMs ?? 86_400_000, deps.random), (e.retryAfter ?? 0) * 1000);
    state.nextAttemptAt = new Date(started.getTime() + wait).toISOString();
  }
  result.durationMs = Math.round(performance.now() - t0);
  await deps.store.saveSourceState(state);
  const line = { status: result.httpStatus, bytes: result.bytes, durationMs: result.durationMs, seen: result.seen, new: result.new, updated: result.updated, failedItems: result.failed };
  if (result.error) log.error({ ...line, errorClass: result.error.class, err: result.error.message, nextAttemptAt: state.nextAttemptAt }, 'source fetch failed');
  else log.info({ ...line, outcome: result.outcome }, 'source fetched');
  return result;
}
