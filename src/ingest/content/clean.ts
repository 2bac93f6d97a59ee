// Upstream article HTML -> clean content, its plain text and its figures. Runs on a DOM
// (linkedom) because chrome removal, lazy images and caption binding all need structure.
import type { Image } from '../../model/article.ts';
import { parseFragment } from '../dom.ts';
import { normalizeSpace } from '../text.ts';
import { captionsAsFigures, expandCaptionShortcodes } from './captions.ts';
import { removeBoilerplate, removeBoilerplateBoxes, removeBylineBoxes, removeLinkParagraphs, removeChrome, removeRepeatedTitle, removeTrailingHeadings } from './chrome.ts';
import { collectFigures, useNoscriptFallbacks } from './images.ts';
import { textsOf } from './plain-text.ts';
import { sanitize } from './sanitize.ts';

export interface CleanContent {
  html: string;
  /** Keys (imageKey) of other URLs of the figures' images: the full-size file a figure links to. */
  aliases: string[];
  text: string;
  /** The text without captions and tables: what a summary is made from. */
  storyText: string;
  figures: Image[];
  /** The content opened with the title as a heading, which was removed. */
  repeatedTitle: boolean;
}

export interface CleanOptions {
  /** The content is what extraction took out of a fetched page (RawItem.page), not what a feed
   * published: only there do a site's pointers to its other stories sit among the paragraphs. */
  page?: boolean;
}

/** The DOM steps, in order; `repeatedTitle` says the title heading was removed. */
function cleanDom(upstreamHtml: string, baseUrl: string, title: string | undefined, options: CleanOptions = {}) {
  const document = parseFragment(expandCaptionShortcodes(upstreamHtml));
  const body = document.body;
  removeChrome(body);
  removeBylineBoxes(body);
  removeBoilerplate(body);
  removeBoilerplateBoxes(body);
  if (options.page) removeLinkParagraphs(body, baseUrl);
  const repeatedTitle = removeRepeatedTitle(body, title);
  removeTrailingHeadings(body);
  captionsAsFigures(body, document);
  useNoscriptFallbacks(body);
  const { figures, aliases } = collectFigures(body, document, baseUrl);
  // Paragraphs and boxes left empty by a removed image or an unwrapped shortcode.
  for (const p of Array.from(body.querySelectorAll('p, div, span'))) if (!normalizeSpace(p.textContent ?? '') && !p.querySelector('img, video, audio, iframe, picture')) p.remove();
  // Figures emptied of their images (pixels, avatars) leave nothing a reader wants.
  for (const fig of Array.from(body.querySelectorAll('figure'))) if (!fig.querySelector('img, video, audio, iframe, table, pre')) fig.remove();
  const { text, story } = textsOf(body);
  return { body, figures, aliases, text, story, repeatedTitle };
}

/** The item's content, cleaned and sanitized: run once per item. */
export function cleanContent(upstreamHtml: string, baseUrl: string, title?: string, options?: CleanOptions): CleanContent {
  const { body, figures, aliases, text, story, repeatedTitle } = cleanDom(upstreamHtml, baseUrl, title, options);
  return { html: sanitize(body.innerHTML, baseUrl).trim(), aliases, text, storyText: story, figures, repeatedTitle };
}

/** The story text of a summary that is not the content: the same steps, nothing serialized. */
export function summaryText(upstreamHtml: string, baseUrl: string): string {
  return cleanDom(upstreamHtml, baseUrl, undefined).story;
}
