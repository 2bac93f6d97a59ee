// The one place that wraps the `feed` library. It builds the Atom and RSS documents; this
// wrapper fixes what it gets wrong for us and adds what it lacks, on xml-js's object tree:
//  - titles as plain text (feed writes them as HTML in CDATA, so "<b>" in a title became markup)
//  - Media RSS (media:content per figure with its caption, media:thumbnail for the lead image)
//  - dc:creator for the byline in RSS (RSS <author> must be an e-mail address)
//  - attribute values re-escaped, characters illegal in XML 1.0 dropped
// Each fix is pinned by test/publish/feed-writer.test.ts.
// The content (nearly all of a feed's bytes) goes into the tree after the round trip: feed's
// js2xml and xml-js's character-by-character parser took four fifths of a render on it.
import { Feed, type Item } from 'feed';
import convert from 'xml-js';
import type { Article } from '../model/article.ts';
import { entryId, feedUpdated, xmlSafe, type FeedView } from './view.ts';

type Node = Record<string, unknown> & { _attributes?: Record<string, unknown> };

const NS = {
  atom: 'http://www.w3.org/2005/Atom',
  media: 'http://search.yahoo.com/mrss/',
  dc: 'http://purl.org/dc/elements/1.1/',
  content: 'http://purl.org/rss/1.0/modules/content/',
};

const clean = <T>(v: T): T => {
  if (typeof v === 'string') return xmlSafe(v) as T;
  if (Array.isArray(v)) return v.map(clean) as T;
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clean(x)])) as T;
  }
  return v;
};

/** What feed is given for an article's content: a short stand-in, present exactly when content is. */
const contentMark = (a: Article, i: number) => (xmlSafe(a.contentHtml) ? `c${i}` : '');

function build(view: FeedView, articles: Article[], format: 'atom' | 'rss'): Feed {
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
      published: new Date(a.publishedAt),
      description: noCdataEnd(a.summary),
      content: a.contentHtml,
      category: a.tags.map((t) => ({ name: t.label, term: t.slug, scheme: v.tagUrl(t.slug, 'atom'), domain: v.tagUrl(t.slug, 'rss') })),
      ...(format === 'atom' && a.authors.length > 0 && { author: a.authors.map((p) => ({ name: p.name, ...(p.url && { link: p.url }) })) }),
    };
    feed.addItem(item);
  });
  return feed;
}

const asArray = (v: unknown): Node[] => (v === undefined ? [] : Array.isArray(v) ? (v as Node[]) : [v as Node]);

function mediaNodes(a: Article): Node {
  const out: Node = {};
  const contents = a.figures.map((f) => {
    const n: Node = { _attributes: { url: f.url, medium: 'image' } };
    if (f.alt) n['media:title'] = { _attributes: { type: 'plain' }, _text: f.alt };
    if (f.caption) n['media:description'] = { _attributes: { type: 'plain' }, _text: f.caption };
    return n;
  });
  if (contents.length) out['media:content'] = contents;
  if (a.image) out['media:thumbnail'] = { _attributes: { url: a.image.url } };
  return out;
}

const noCdataEnd = (html: string) => html.replace(/]]>/g, ']]&gt;');

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** "]]>" cannot appear inside a CDATA section: split it across two. */
const cdata = (text: string) => `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

/**
 * The compact tree back to XML. Not xml-js's js2xml: it un-escapes "&amp;" before escaping, so a
 * title that says "&amp;" came out as "&", and it splits only the first "]]>" of a CDATA section
 * (found by the property test in test/publish/hostile-property.test.ts).
 */
function serialize(doc: Node): string {
  const out: string[] = [];
  const decl = doc['_declaration'] as Node | undefined;
  if (decl) out.push(`<?xml${attrs(decl['_attributes'] as Record<string, unknown> | undefined)}?>`);
  for (const [name, value] of Object.entries(doc)) if (!name.startsWith('_')) element(name, value, 0, out);
  return out.join('\n');
}

function attrs(a: Record<string, unknown> | undefined): string {
  return a ? Object.entries(a).map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`).join('') : '';
}

function element(name: string, value: unknown, depth: number, out: string[]): void {
  if (Array.isArray(value)) {
    for (const v of value) element(name, v, depth, out);
    return;
  }
  const pad = '  '.repeat(depth);
  const node = (value ?? {}) as Node;
  const open = `${pad}<${name}${attrs(node['_attributes'] as Record<string, unknown> | undefined)}`;
  const texts = ([] as unknown[]).concat(node['_text'] ?? []).map((t) => escapeText(xmlSafe(String(t))));
  const cdatas = ([] as unknown[]).concat(node['_cdata'] ?? []).map((t) => cdata(xmlSafe(String(t))));
  const children = Object.entries(node).filter(([k]) => !k.startsWith('_'));
  if (children.length === 0) {
    const inner = [...texts, ...cdatas].join('');
    out.push(inner ? `${open}>${inner}</${name}>` : `${open}/>`);
    return;
  }
  out.push(`${open}>${[...texts, ...cdatas].join('')}`);
  for (const [k, v] of children) element(k, v, depth + 1, out);
  out.push(`${pad}</${name}>`);
}

function rewrite(
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

export function writeAtom(view: FeedView, articles: Article[]): string {
  const xml = build(view, articles, 'atom').atom1();
  return rewrite(
    xml,
    articles,
    'content',
    (entry, a) => {
      entry['title'] = { _text: a.title };
      // The summary is plain text: as type="html" a "<b>" in it would become markup.
      if (entry['summary'] !== undefined) entry['summary'] = { _attributes: { type: 'text' }, _text: a.summary };
      if (a.language && a.language !== view.language) entry._attributes = { ...entry._attributes, 'xml:lang': a.language };
      // Put Media RSS after the standard elements, as readers expect.
      Object.assign(entry, mediaNodes(a));
    },
    (doc) => {
      const feed = doc['feed'] as Node;
      feed._attributes = { ...feed._attributes, 'xmlns:media': NS.media, ...(view.language && { 'xml:lang': view.language }) };
      // RFC 4287 4.1.1: a feed has an author unless every entry has one; an entry whose source
      // named nobody is credited to the feed.
      if (articles.some((a) => a.authors.length === 0)) {
        // Feed metadata comes before the entries: rebuild the element with author first.
        const { entry, ...head } = feed;
        for (const k of Object.keys(feed)) delete feed[k];
        Object.assign(feed, head, { author: { name: { _text: view.title } } }, entry === undefined ? {} : { entry });
      }
      const links = asArray(feed['link']);
      if (view.firstUrl) links.push({ _attributes: { rel: 'first', href: view.firstUrl.atom } });
      if (view.prevUrl) links.push({ _attributes: { rel: 'previous', href: view.prevUrl.atom } });
      if (view.nextUrl) links.push({ _attributes: { rel: 'next', href: view.nextUrl.atom } });
      // WebSub discovery (§4): the hubs beside the feed's rel="self".
      for (const hub of view.hubs ?? []) links.push({ _attributes: { rel: 'hub', href: hub } });
      feed['link'] = links;
      return feed;
    },
    (feed) => feed['entry'],
  );
}

export function writeRss(view: FeedView, articles: Article[]): string {
  const xml = build(view, articles, 'rss').rss2();
  return rewrite(
    xml,
    articles,
    'content:encoded',
    (item, a) => {
      item['title'] = { _text: a.title };
      // description is HTML by RSS convention: the plain-text summary goes in escaped.
      if (item['description'] !== undefined) item['description'] = { _cdata: escapeText(a.summary) };
      delete item['author'];
      delete item['enclosure'];
      if (a.byline) item['dc:creator'] = { _text: a.byline };
      Object.assign(item, mediaNodes(a));
    },
    (doc) => {
      const rss = doc['rss'] as Node;
      rss._attributes = { ...rss._attributes, 'xmlns:atom': NS.atom, 'xmlns:dc': NS.dc, 'xmlns:content': NS.content, 'xmlns:media': NS.media };
      const channel = rss['channel'] as Node;
      const paging = (['first', 'previous', 'next'] as const).flatMap((rel) => {
        const u = rel === 'first' ? view.firstUrl : rel === 'previous' ? view.prevUrl : view.nextUrl;
        return u ? [{ _attributes: { href: u.rss, rel, type: 'application/rss+xml' } }] : [];
      });
      const hubs = (view.hubs ?? []).map((hub) => ({ _attributes: { href: hub, rel: 'hub' } }));
      if (paging.length || hubs.length) channel['atom:link'] = [...asArray(channel['atom:link']), ...paging, ...hubs];
      return channel;
    },
    (channel) => channel['item'],
  );
}
