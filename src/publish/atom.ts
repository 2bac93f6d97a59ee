// Atom 1.0 (RFC 4287), built by the `feed` library and fixed up in feed-library.ts.
import type { Article } from '../model/article.ts';
import { build, NS, rewrite } from './feed-library.ts';
import { mediaNodes } from './media-rss.ts';
import type { FeedView } from './view.ts';
import { asArray, type Node } from './xml-tree.ts';

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
      let feed = doc['feed'] as Node;
      feed._attributes = { ...feed._attributes, 'xmlns:media': NS.media, ...(view.language && { 'xml:lang': view.language }) };
      // RFC 4287 4.1.1: a feed has an author unless every entry has one; an entry whose source
      // named nobody is credited to the feed.
      if (articles.some((a) => a.authors.length === 0)) {
        // Feed metadata comes before the entries: rebuild the element with author first.
        const { entry, ...head } = feed;
        feed = { ...head, author: { name: { _text: view.title } }, ...(entry === undefined ? {} : { entry }) };
        doc['feed'] = feed;
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
