// OPML 2.0 (http://opml.org/spec2.opml): every feed, in every format, for a reader to import.
import type { FeedDef } from '../model/feed.ts';
import { escapeAttrKeepingBreaks, xmlSafe } from './escape.ts';
import type { FeedFormat } from './render.ts';

const FORMAT_NAMES: Record<FeedFormat, string> = { atom: 'Atom', rss: 'RSS', json: 'JSON Feed' };

/** XML attribute text: characters XML 1.0 forbids dropped, line breaks kept as data. */
const attr = (s: string) => escapeAttrKeepingBreaks(xmlSafe(s));

export function writeOpml(feeds: FeedDef[], baseUrl: string, now: Date): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    '    <title>feedrelay feeds</title>',
    `    <dateCreated>${now.toUTCString()}</dateCreated>`,
    '    <docs>http://opml.org/spec2.opml</docs>',
    '  </head>',
    '  <body>',
  ];
  for (const f of feeds) {
    // One folder per feed, with an outline per format: a reader subscribes to the one it reads.
    lines.push(`    <outline text="${attr(f.title)}" title="${attr(f.title)}">`);
    for (const format of ['atom', 'rss', 'json'] as const) {
      const name = `${f.title} (${FORMAT_NAMES[format]})`;
      lines.push(
        `      <outline type="rss" version="${format === 'rss' ? 'RSS2' : format === 'atom' ? 'ATOM' : 'JSONFEED'}" text="${attr(name)}" title="${attr(name)}" description="${attr(f.description)}"` +
          `${f.language ? ` language="${attr(f.language)}"` : ''} xmlUrl="${attr(`${baseUrl}/feeds/${f.id}.${format}`)}" htmlUrl="${attr(`${baseUrl}/`)}"/>`,
      );
    }
    lines.push('    </outline>');
  }
  lines.push('  </body>', '</opml>', '');
  return lines.join('\n');
}
