// Media RSS (https://www.rssboard.org/media-rss) for Atom entries and RSS items: a media:content
// per figure with its caption, media:thumbnail for the lead image.
// An item-level element applies to every media:content of the item unless the media:content has
// its own (the spec's order: media:content, then media:group, then the item). So each
// media:content carries its own thumbnail, or a reader (SimplePie) gives the second photo the
// lead's. Not media:group: that is for one work in several encodings, and these are different photos.
import type { Article } from '../model/article.ts';
import type { Node } from './xml-tree.ts';

export function mediaNodes(a: Article): Node {
  const out: Node = {};
  const contents = a.figures.map((f) => {
    const n: Node = { _attributes: { url: f.url, medium: 'image' } };
    if (f.alt) n['media:title'] = { _attributes: { type: 'plain' }, _text: f.alt };
    if (f.caption) n['media:description'] = { _attributes: { type: 'plain' }, _text: f.caption };
    n['media:thumbnail'] = { _attributes: { url: f.url } };
    return n;
  });
  if (contents.length) out['media:content'] = contents;
  if (a.image) out['media:thumbnail'] = { _attributes: { url: a.image.url } };
  return out;
}
