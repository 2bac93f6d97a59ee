// Feed text -> RawFeed: the adapter for the detected format. Each maps its format into the one raw
// item shape (raw.ts); normalize does the rest. HTML pages have their own step (page/).
import { IngestError } from '../errors.ts';
import type { Format } from './detect.ts';
import { parseJsonFeed } from './json-feed.ts';
import type { RawFeed } from './raw.ts';
import { parseXml } from './xml-feed.ts';

/** `documentUrl` is where the text came from: xml:base and relative links resolve against it. */
export async function parseFeed(text: string, format: Format, documentUrl?: string): Promise<RawFeed> {
  switch (format) {
    case 'rss':
    case 'atom':
    case 'rdf':
      return parseXml(text, format, documentUrl);
    case 'jsonfeed':
      return parseJsonFeed(text);
    default:
      throw new IngestError('parse', 'unsupported_format', `not a feed (${format})`);
  }
}
