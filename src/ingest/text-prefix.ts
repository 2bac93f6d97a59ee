// The start of an element's text, for rules that only ever look at short texts: linkedom's
// textContent joins the text of the whole subtree, so a rule that meets a wrapper (a "post-meta"
// box around the story) would read the whole story to learn that it is long.
import { ELEMENT_NODE, TEXT_NODE, type DomNode } from './dom.ts';

const CDATA_SECTION_NODE = 4;

/** The element's textContent when it is at most `limit` characters long; else a prefix of it
 * longer than `limit` (the text nodes up to the one that passes the limit). */
export function textUpTo(el: DomNode, limit: number): string {
  let text = '';
  // Document order, as textContent reads it: text and CDATA nodes, not comments.
  const walk = (node: DomNode): boolean => {
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === TEXT_NODE || c.nodeType === CDATA_SECTION_NODE) {
        text += c.textContent ?? '';
        if (text.length > limit) return true;
      } else if (c.nodeType === ELEMENT_NODE && walk(c)) return true;
    }
    return false;
  };
  walk(el);
  return text;
}
