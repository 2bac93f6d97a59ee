// Content HTML -> plain text with paragraph breaks (contentText, word counts), and the story's own
// words without captions and tables (what summaries are made from), in one walk.
import { isElement, TEXT_NODE, type DomElement, type DomNode } from '../dom.ts';
import { normalizeSpace } from '../text.ts';

const BLOCK = new Set([
  'P', 'DIV', 'SECTION', 'ARTICLE', 'ASIDE', 'HEADER', 'FOOTER', 'BLOCKQUOTE', 'PRE', 'UL', 'OL', 'LI', 'DL', 'DT', 'DD',
  'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'FIGURE', 'FIGCAPTION', 'TABLE', 'TR', 'BR', 'HR', 'DETAILS', 'SUMMARY',
]);

const NO_TEXT = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE']);
// Not the story's own words: left out of the text summaries are made from.
const NOT_STORY = new Set(['FIGCAPTION', 'TABLE']);

const paragraphs = (parts: string[]) =>
  parts
    .join('')
    .split(/\n+/)
    .map((l) => normalizeSpace(l))
    .filter(Boolean)
    .join('\n\n');

export function textsOf(root: DomElement): { text: string; story: string } {
  const all: string[] = [];
  const story: string[] = [];
  const walk = (node: DomNode, inStory: boolean) => {
    if (node.nodeType === TEXT_NODE) {
      const t = node.textContent ?? '';
      all.push(t);
      if (inStory) story.push(t);
      return;
    }
    if (!isElement(node)) return;
    if (NO_TEXT.has(node.tagName)) return;
    const block = BLOCK.has(node.tagName);
    const childInStory = inStory && !NOT_STORY.has(node.tagName);
    if (block) {
      all.push('\n');
      if (inStory) story.push('\n');
    }
    const nodes = node.childNodes;
    for (let i = 0; i < nodes.length; i++) walk(nodes[i]!, childInStory);
    if (block) {
      all.push('\n');
      if (inStory) story.push('\n');
    }
  };
  walk(root, true);
  return { text: paragraphs(all), story: paragraphs(story) };
}
