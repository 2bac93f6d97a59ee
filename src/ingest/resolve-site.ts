// A site's address -> the feed it means. The page's declared feeds first; where it declares none,
// the conventional feed paths, each asked through the same fetcher (limits, address guard, per-host
// politeness) and accepted only when what answers is a feed by its content.
import type { Fetcher, FetchResult } from './fetch.ts';
import { ACCEPT_FEED } from './fetch.ts';
import { decode } from './decode.ts';
import { detectFormat } from './detect.ts';
import { IngestError } from './errors.ts';
import { chooseFeed, conventionalFeedUrls, readAs, readOffer, type FeedLink, type PageOffer } from './discover.ts';

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
