// Media RSS (https://www.rssboard.org/media-rss) for Atom entries and RSS items: a media:content
// per figure with its caption, media:thumbnail for the lead image.
import type { Article } from '../model/article.ts';
import type { Node } from './xml-tree.ts';

export function mediaNodes(a: Article): Node {
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
