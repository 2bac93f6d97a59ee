// A source's document, and a site's address -> the feed it means. The page's declared feeds first; where it declares none,
// the conventional feed paths, each asked through the same fetcher (limits, address guard, per-host
// politeness) and accepted only when what answers is a feed by its content.
import type { Logger } from 'pino';
import type { Source } from '../../model/feed.ts';
import type { SourceState } from '../../store/port.ts';
import type { Fetcher, FetchResult } from '../fetch/fetcher.ts';
import { ACCEPT_FEED } from '../fetch/fetcher.ts';
import { decode, type Decoded } from '../format/decode.ts';
import { detectFormat } from '../format/detect.ts';
import { IngestError, inStep, inStepAsync } from '../errors.ts';
import { chooseFeed, conventionalFeedUrls, readAs, readOffer, type FeedLink, type PageOffer } from '../page/discover.ts';

export type FeedPreference = 'rss' | 'atom' | 'jsonfeed';

export type PageReading =
  | { as: 'article' }
  | { as: 'feed'; feed: FeedLink; offer: PageOffer; declared: boolean; /** The feed's answer, where probing already fetched it. */ response?: FetchResult };

const FEED_FORMATS = new Set(['rss', 'atom', 'rdf', 'jsonfeed']);

/** The first conventional address that answers with a feed, with that answer; or undefined. */
export async function probeConventional(pageUrl: string, fetcher: Fetcher): Promise<{ feed: FeedLink; response: FetchResult } | undefined> {
  for (const url of conventionalFeedUrls(pageUrl)) {
    try {
      const res = await fetcher.fetch({ url, accept: ACCEPT_FEED });
      const { text } = decode(res.body, res.contentType);
      const format = detectFormat(text, res.contentType);
      if (FEED_FORMATS.has(format)) return { feed: { url: res.url, type: format === 'rdf' ? 'rss' : (format as FeedLink['type']), secondary: false }, response: res };
    } catch {
      // Not there (404, not a feed, refused): the next convention.
    }
  }
  return undefined;
}

/**
 * How a source whose address answered with an HTML page is read: as the one article it is, or
 * through the feed the site means. A site that offers no feed is an error that says so.
 */
export async function readPageSource(html: string, pageUrl: string, fetcher: Fetcher, prefer?: FeedPreference): Promise<PageReading> {
  const offer = readOffer(html, pageUrl);
  if (readAs(offer, pageUrl) === 'article') return { as: 'article' };
  const declared = chooseFeed(offer.feeds, prefer);
  if (declared) return { as: 'feed', feed: declared, offer, declared: true };
  const found = await probeConventional(pageUrl, fetcher);
  if (found) return { as: 'feed', ...found, offer, declared: false };
  throw new IngestError(
    'detect',
    'no_feed',
    `a home page with no feed: ${pageUrl} declares no <link rel="alternate"> feed and none of ${conventionalFeedUrls(pageUrl).map((u) => new URL(u).pathname).join(', ')} answers with one`,
  );
}

/** How often a site address is read again for the feed it declares. */
const REDISCOVER_MS = 86_400_000;

/** Where this attempt starts: a site address is read again daily, and after any failure, so a
 * changed declaration moves the source; otherwise where the source lives now. */
export function startUrl(source: Source, state: SourceState, now: Date): { url: string; rediscover: boolean } {
  const rediscover = state.discoveredAt !== null && (Date.parse(state.discoveredAt) + REDISCOVER_MS <= now.getTime() || state.lastErrorClass !== null);
  return { url: rediscover ? source.url : (state.effectiveUrl ?? source.url), rediscover };
}

/**
 * Fetches the source's document. An HTML page that is a site's address is followed to its feed,
 * which from then on is where the source lives (state.effectiveUrl, discoveredAt); an article
 * page comes back as it is. `decoded` is the body's text where it was already read.
 */
export async function fetchSourceDocument(
  source: Source,
  state: SourceState,
  from: { url: string; rediscover: boolean },
  deps: { fetcher: Fetcher; log: Logger },
  now: Date,
): Promise<{ res: FetchResult; decoded: Decoded | undefined }> {
  // The feed's validators are not the page's: the page is asked for whole.
  let res = await deps.fetcher.fetch({ url: from.url, etag: from.rediscover ? null : state.etag, lastModified: from.rediscover ? null : state.lastModified });
  let decoded = res.notModified ? undefined : inStep('decode', () => decode(res.body, res.contentType));
  if (!decoded) return { res, decoded };
  const page = decoded;
  if (inStep('detect', () => detectFormat(page.text, res.contentType)) !== 'html') return { res, decoded };
  const reading = await inStepAsync('detect', () => readPageSource(page.text, res.url, deps.fetcher, source.format));
  if (reading.as === 'article') return { res, decoded };
  const feedUrl = reading.feed.url;
  if (state.discoveredAt === null || state.effectiveUrl !== feedUrl) {
    deps.log.info({ feed: feedUrl, declared: reading.declared }, 'a site address: following the feed it offers');
    state.etag = null;
    state.lastModified = null;
  }
  state.effectiveUrl = feedUrl;
  state.discoveredAt = now.toISOString();
  res = reading.response ?? (await deps.fetcher.fetch({ url: feedUrl, etag: state.etag, lastModified: state.lastModified }));
  decoded = res.notModified ? undefined : inStep('decode', () => decode(res.body, res.contentType));
  if (decoded && inStep('detect', () => detectFormat(decoded.text, res.contentType)) === 'html') {
    throw new IngestError('detect', 'unsupported_format', `${feedUrl}, the feed ${source.url} offers, answers with an HTML page, not a feed`);
  }
  return { res, decoded };
}
