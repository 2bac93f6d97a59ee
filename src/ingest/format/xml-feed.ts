// The XML feed adapter: RSS 0.90-2.0, RSS 1.0 (RDF), Atom 1.0 and 0.3 through rss-parser, into
// RawItem. What a strict parser refuses and feedparser reads is repaired first (xml-repair.ts);
// xml:base is applied from a second reading when the document uses it (xml-base.ts).
import Parser from 'rss-parser';
import { repairXml } from './xml-repair.ts';
import { xmlBases } from './xml-base.ts';
import { IngestError } from '../errors.ts';
import type { Format } from './detect.ts';
import type { RawAuthor, RawFeed, RawItem, RawMedia } from './raw.ts';

type X = Record<string, unknown>;

// rss-parser skips these namespaces by default; keepArray keeps every repeated element and its attributes.
const parser = new Parser<X, X>({
  customFields: {
    feed: ['language', 'dc:language'],
    item: [
      ['media:content', 'mediaContent', { keepArray: true }],
      ['media:thumbnail', 'mediaThumbnail', { keepArray: true }],
      ['media:group', 'mediaGroup', { keepArray: true }],
      ['media:description', 'mediaDescription'],
      ['category', 'rawCategories', { keepArray: true }],
      ['author', 'rawAuthors', { keepArray: true }],
      ['dc:creator', 'dcCreators', { keepArray: true }],
      ['enclosure', 'rawEnclosures', { keepArray: true }],
      ['link', 'rawLinks', { keepArray: true }],
      'published',
      'updated',
      // Atom 0.3 (http://purl.org/atom/ns#) dates
      'issued',
      'modified',
      'created',
      ['dc:modified', 'dcModified'],
      ['atom:updated', 'atomUpdated'],
    ],
  },
  xml2js: { strict: true },
});

const text = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && typeof (v as X)['_'] === 'string') return (v as X)['_'] as string;
  return undefined;
};
// xml2js puts an element's attributes, always strings, under `$`.
const attrs = (v: unknown): Record<string, string | undefined> => (v && typeof v === 'object' ? ((v as X)['$'] as Record<string, string> | undefined) : undefined) || {};
const first = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);
const num = (v: unknown): number | undefined => {
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : undefined;
};
const nonEmpty = (s: string | undefined): string | undefined => (s && s.trim() ? s.trim() : undefined);

function mediaFrom(node: unknown, thumbnail: boolean): RawMedia | null {
  const a = attrs(node);
  const url = nonEmpty(text(a['url']));
  if (!url) return null;
  const n = (node ?? {}) as X;
  const title = nonEmpty(text(first(n['media:title'])));
  const description = nonEmpty(text(first(n['media:description'])));
  const width = num(a['width']);
  const height = num(a['height']);
  return {
    url,
    ...(a['medium'] !== undefined && { medium: a['medium'] }),
    ...(a['type'] !== undefined && { type: a['type'] }),
    ...(title && { title }),
    ...(description && { description }),
    ...(width && { width }),
    ...(height && { height }),
    ...(thumbnail && { thumbnail: true }),
  };
}

function collectMedia(item: X): RawMedia[] {
  const out: RawMedia[] = [];
  const push = (m: RawMedia | null) => m && out.push(m);
  for (const group of (item['mediaGroup'] as unknown[] | undefined) ?? []) {
    const g = group as X;
    for (const c of (g['media:content'] as unknown[] | undefined) ?? []) {
      const m = mediaFrom(c, false);
      // A group's description/title apply to its contents when they carry none of their own.
      if (m && !m.description) {
        const d = nonEmpty(text(first(g['media:description'])));
        if (d) m.description = d;
      }
      push(m);
    }
    for (const t of (g['media:thumbnail'] as unknown[] | undefined) ?? []) push(mediaFrom(t, true));
  }
  for (const c of (item['mediaContent'] as unknown[] | undefined) ?? []) push(mediaFrom(c, false));
  for (const t of (item['mediaThumbnail'] as unknown[] | undefined) ?? []) push(mediaFrom(t, true));
  for (const e of (item['rawEnclosures'] as unknown[] | undefined) ?? []) {
    const a = attrs(e);
    const url = nonEmpty(text(a['url']) ?? text(a['href']));
    if (url) out.push({ url, ...(a['type'] !== undefined && { type: a['type'] }) });
  }
  // Atom enclosures are links with rel="enclosure".
  for (const l of (item['rawLinks'] as unknown[] | undefined) ?? []) {
    const a = attrs(l);
    if (a['rel'] === 'enclosure' && typeof a['href'] === 'string') {
      out.push({ url: a['href'], ...(a['type'] !== undefined && { type: a['type'] }) });
    }
  }
  return out;
}

function collectAuthors(item: X): RawAuthor[] {
  const out: RawAuthor[] = [];
  for (const c of (item['dcCreators'] as unknown[] | undefined) ?? []) {
    const name = nonEmpty(text(c));
    if (name) out.push({ name });
  }
  for (const a of (item['rawAuthors'] as unknown[] | undefined) ?? []) {
    if (typeof a === 'string' || text(a) !== undefined && !(a as X)['name']) {
      const name = nonEmpty(text(a));
      if (name) out.push({ name }); // RSS <author>: usually "email (Name)", cleaned in normalize
    } else {
      const n = a as X;
      const name = nonEmpty(text(first(n['name'])));
      const uri = nonEmpty(text(first(n['uri'])));
      if (name) out.push({ name, ...(uri && { url: uri }) });
    }
  }
  if (out.length === 0) {
    const creator = nonEmpty(text(item['creator']));
    if (creator) out.push({ name: creator });
  }
  return out;
}

function collectCategories(item: X): string[] {
  const out: string[] = [];
  for (const c of (item['rawCategories'] as unknown[] | undefined) ?? []) {
    const a = attrs(c);
    // Atom: label is for people, term is the machine value; RSS: the element text.
    const label = nonEmpty(text(a['label'])) ?? nonEmpty(text(a['term'])) ?? nonEmpty(text(c));
    if (label) out.push(label);
  }
  return out;
}

function fromXmlItem(item: X, format: Format): RawItem {
  const contentEncoded = text(item['content:encoded']);
  const isAtom = format === 'atom';
  const summary = isAtom ? text(item['summary']) : text(item['content']);
  const content = isAtom ? text(item['content']) : contentEncoded;
  const guid = nonEmpty(text(item['guid'])) ?? nonEmpty(text(item['id'])) ?? nonEmpty(text(item['rdf:about']));
  const published = nonEmpty(text(item['published'])) ?? nonEmpty(text(item['pubDate'])) ?? nonEmpty(text(item['date'])) ?? nonEmpty(text(item['issued'])) ?? nonEmpty(text(item['created']));
  const updated = nonEmpty(text(item['updated'])) ?? nonEmpty(text(item['atomUpdated'])) ?? nonEmpty(text(item['dcModified'])) ?? nonEmpty(text(item['modified']));
  const raw: RawItem = {
    authors: collectAuthors(item),
    categories: collectCategories(item),
    media: collectMedia(item),
  };
  // A link escaped twice (&amp;amp; in the XML) still means "&", as a browser would follow it.
  const link = nonEmpty(text(item['link']))?.replaceAll('&amp;', '&');
  const title = text(item['title']);
  const language = nonEmpty(text(item['language']));
  if (guid) raw.guid = guid;
  if (link) raw.link = link;
  if (title !== undefined) raw.title = title;
  if (published) raw.published = published;
  if (updated && updated !== published) raw.updated = updated;
  else if (isAtom && updated && !published) raw.published = updated;
  if (summary && summary.trim()) raw.summaryHtml = summary;
  if (content && content.trim()) raw.contentHtml = content;
  if (language) raw.language = language;
  return raw;
}

export async function parseXml(text_: string, format: Format, documentUrl?: string): Promise<RawFeed> {
  const xml = repairXml(text_);
  let feed: X & { items?: X[] };
  try {
    feed = await parser.parseString(xml);
  } catch (err) {
    const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    throw new IngestError('parse', 'malformed', `not a well-formed ${format} feed: ${msg}`, { cause: err });
  }
  const language = nonEmpty(text(feed['language'])) ?? nonEmpty(text(feed['dc:language']));
  const out: RawFeed = { format: format as RawFeed['format'], items: (feed.items ?? []).map((i) => fromXmlItem(i, format)) };
  const bases = documentUrl ? xmlBases(xml, documentUrl) : undefined;
  if (bases && bases.items.length === out.items.length) {
    out.items.forEach((item, i) => {
      const b = bases.items[i]!;
      if (b.link) item.link = b.link;
      item.base = b.content;
    });
  }
  const title = nonEmpty(text(feed['title']));
  const link = bases?.link ?? nonEmpty(text(feed['link']));
  if (title) out.title = title;
  if (link) out.link = link;
  if (language) out.language = language;
  return out;
}
