// RSS 2.0, built by the `feed` library and fixed up in feed-library.ts.
import type { Article } from '../model/article.ts';
import { escapeText } from './escape.ts';
import { build, NS, rewrite } from './feed-library.ts';
import { mediaNodes } from './media-rss.ts';
import type { FeedView } from './view.ts';
import { asArray, type Node } from './xml-tree.ts';

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
      // feed falls back to the updated time for pubDate; an undated item has none.
      if (!a.publishedAtStated) delete item['pubDate'];
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
