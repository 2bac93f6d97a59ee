// source -> fetch -> decode -> detect -> parse/extract -> normalize -> store, for one source and
// for a whole cycle. A failing item is logged with its URL and skipped; a failing source is
// recorded on its state and never touches what is already stored.
import type { Logger } from 'pino';
import type { Source } from '../../model/feed.ts';
import type { SourceResult } from '../../model/cycle.ts';
// Callers that took the result types from here still can; they live in model/cycle.ts.
export type { CycleResult, SourceResult } from '../../model/cycle.ts';
import type { Store, UpsertItem } from '../../store/port.ts';
import type { Fetcher } from '../fetch/fetcher.ts';
import { decode } from '../format/decode.ts';
import { detectFormat } from '../format/detect.ts';
import { parseFeed } from '../format/parse-feed.ts';
import { extractPage } from '../page/extract.ts';
import { normalize } from '../normalize/normalize.ts';
import { asIngestError, IngestError, inStep, inStepAsync } from '../errors.ts';
import type { RawFeed, RawItem } from '../format/raw.ts';
import { excerptWords, mergePage, wantsPage } from './full-text.ts';
import { backoffMs, freshState } from './source-state.ts';
import { fetchSourceDocument, startUrl } from './site-address.ts';
// Callers that took backoffMs from here still can; it lives in source-state.ts.
export { backoffMs } from './source-state.ts';
import { articleId } from '../normalize/identity.ts';
import { parseDate } from '../normalize/dates.ts';
import { ACCEPT_PAGE } from '../fetch/fetcher.ts';

export interface PipelineDeps {
  store: Store;
  fetcher: Fetcher;
  log: Logger;
  now?: () => Date;
  /** Longest wait between attempts at a failing source. */
  maxBackoffMs?: number;
  random?: () => number;
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
      if (!item.link) continue; // wantsPage() took only items with a link
      const url = new URL(item.link, source.url).href;
      const stored = await inStepAsync('store', () => deps.store.getArticle(articleId(source.id, url, item.guid)));
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
        const { text } = inStep('decode', () => decode(res.body, res.contentType));
        const page = inStep('extract', () => extractPage(text, res.url)).items[0];
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
  let state = (await inStepAsync('store', () => deps.store.getSourceState(source.id))) ?? freshState(source);
  if (state.url !== source.url) state = freshState(source); // the definition now points elsewhere
  const from = startUrl(source, state, started);
  const fetchUrl = from.url;
  const result: SourceResult = { sourceId: source.id, url: fetchUrl, outcome: 'ok', seen: 0, new: 0, updated: 0, failed: 0, httpStatus: null, bytes: 0, durationMs: 0 };
  const log = deps.log.child({ source: source.id, url: fetchUrl });

  if (!opts.force && state.nextAttemptAt && state.nextAttemptAt > started.toISOString()) {
    result.outcome = 'skipped';
    log.debug({ nextAttemptAt: state.nextAttemptAt }, 'source backing off; skipped');
    return result;
  }
  state.lastAttemptAt = started.toISOString();
  try {
    const { res, decoded } = await fetchSourceDocument(source, state, from, { fetcher: deps.fetcher, log }, started);
    result.url = state.discoveredAt !== null && state.effectiveUrl ? state.effectiveUrl : fetchUrl;
    result.httpStatus = res.status;
    result.bytes = res.body.length;
    if (res.movedTo && res.movedTo !== state.effectiveUrl) {
      log.info({ movedTo: res.movedTo }, 'source moved permanently; fetching the new URL from now on');
      state.effectiveUrl = res.movedTo;
    }
    state.etag = res.etag ?? (res.notModified ? state.etag : null);
    state.lastModified = res.lastModified ?? (res.notModified ? state.lastModified : null);
    if (res.notModified) {
      result.outcome = 'not_modified';
    } else {
      const { text } = decoded ?? inStep('decode', () => decode(res.body, res.contentType));
      if (!text.trim()) throw new IngestError('parse', 'empty', `empty document from ${res.url}`);
      const format = inStep('detect', () => detectFormat(text, res.contentType));
      let feed: RawFeed;
      if (format === 'html') feed = inStep('extract', () => extractPage(text, res.url));
      else if (format === 'unknown') throw new IngestError('detect', 'unsupported_format', `${res.url} is neither a feed nor an HTML page (${res.contentType ?? 'no Content-Type'})`);
      else feed = await inStepAsync('parse', () => parseFeed(text, format, res.url));
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
            siteUrl: feed.link,
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
      const up = await inStepAsync('store', () => deps.store.upsertArticles(batch, started));
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
  // A store that cannot save the state fails the source with step store (the runner reports it).
  await inStepAsync('store', () => deps.store.saveSourceState(state));
  const line = { status: result.httpStatus, bytes: result.bytes, durationMs: result.durationMs, seen: result.seen, new: result.new, updated: result.updated, failedItems: result.failed };
  if (result.error) log.error({ ...line, errorClass: result.error.class, err: result.error.message, nextAttemptAt: state.nextAttemptAt }, 'source fetch failed');
  else log.info({ ...line, outcome: result.outcome }, 'source fetched');
  return result;
}
