// The one place that wraps the `feed` library, for Atom (atom.ts) and RSS (rss.ts). It builds the
// document; this wrapper fixes what it gets wrong for us and adds what it lacks, on xml-js's tree:
//  - titles as plain text (feed writes them as HTML in CDATA, so "<b>" in a title became markup)
//  - Media RSS (media-rss.ts)
//  - dc:creator for the byline in RSS (RSS <author> must be an e-mail address)
//  - attribute values re-escaped, characters illegal in XML 1.0 dropped
// Each fix is pinned by test/publish/feed-library.test.ts.
// The content (nearly all of a feed's bytes) goes into the tree after the round trip: feed's
// js2xml and xml-js's character-by-character parser took four fifths of a render on it.
import { Feed, type Item } from 'feed';
import convert from 'xml-js';
import type { Article } from '../model/article.ts';
import { noCdataEnd, xmlSafe } from './escape.ts';
import { entryId, feedUpdated, type FeedView } from './view.ts';
import { asArray, serialize, type Node } from './xml-tree.ts';

export const NS = {
  atom: 'http://www.w3.org/2005/Atom',
  media: 'http://search.yahoo.com/mrss/',
  dc: 'http://purl.org/dc/elements/1.1/',
  content: 'http://purl.org/rss/1.0/modules/content/',
};

/** Every string in `v`, deep, without the characters XML 1.0 forbids. */
export const clean = <T>(v: T): T => {
  if (typeof v === 'string') return xmlSafe(v) as T;
  if (Array.isArray(v)) return v.map(clean) as T;
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clean(x)])) as T;
  }
  return v;
};

/** What feed is given for an article's content: a short stand-in, present exactly when content is. */
const contentMark = (a: Article, i: number) => (xmlSafe(a.contentHtml) ? `c${i}` : '');

export function build(view: FeedView, articles: Article[], format: 'atom' | 'rss'): Feed {
  const v = clean(view);
  const feed = new Feed({
    id: v.id,
    title: v.title,
    description: v.description,
    link: v.homeUrl,
    ...(v.language && { language: v.language }),
    updated: feedUpdated(articles),
    generator: 'feedrelay',
    ttl: v.ttlMinutes,
    feedLinks: { atom: v.selfUrl.atom, rss: v.selfUrl.rss, json: v.selfUrl.json },
    feed: format === 'atom' ? v.selfUrl.atom : v.selfUrl.rss,
  });
  articles.forEach((raw, i) => {
    const a = clean({ ...raw, contentHtml: contentMark(raw, i) });
    const item: Item = {
      id: entryId(a),
      guid: entryId(a),
      // feed wraps these in CDATA without splitting "]]>"; in HTML "]]&gt;" reads the same. Title
      // and summary are written again from the article after parsing.
      title: noCdataEnd(a.title),
      link: a.url,
      date: new Date(a.updatedAt),
      // Optional in both formats: left out rather than the time first seen presented as published.
      ...(a.publishedAtStated && { published: new Date(a.publishedAt) }),
      description: noCdataEnd(a.summary),
      content: a.contentHtml,
      category: a.tags.map((t) => ({ name: t.label, term: t.slug, scheme: v.tagUrl(t.slug, 'atom'), domain: v.tagUrl(t.slug, 'rss') })),
      ...(format === 'atom' && a.authors.length > 0 && { author: a.authors.map((p) => ({ name: p.name, ...(p.url && { link: p.url }) })) }),
    };
    feed.addItem(item);
  });
  return feed;
}

/**
 * feed's XML parsed to a tree, each entry's content put in place of its stand-in, `fix` applied
 * to each entry (with its article, cleaned) and `root` to the document, then written out again.
 */
export function rewrite(
  xml: string,
  articles: Article[],
  contentElement: string,
  fix: (entry: Node, a: Article) => void,
  root: (doc: Node) => Node,
  entries: (r: Node) => unknown,
): string {
  const doc = convert.xml2js(xml, { compact: true }) as Node;
  const r = root(doc);
  asArray(entries(r)).forEach((e, i) => {
    const raw = articles[i]!;
    // The content in place of its stand-in; the serializer cleans and CDATA-wraps it.
    const content = e[contentElement] as Node | undefined;
    if (content) content['_cdata'] = noCdataEnd(xmlSafe(raw.contentHtml));
    fix(e, clean({ ...raw, contentHtml: '' }));
  });
  return serialize(doc);
}
