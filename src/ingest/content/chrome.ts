// What is on the page or in the feed content but is not the post: platform chrome, byline boxes,
// the paragraphs platforms append to every post, the title repeated as the first heading.
import type { DomElement } from '../dom.ts';
import { platformRules } from '../rules/rules.ts';
import { normalizeSpace } from '../text.ts';
import { matcherFor, matchesSimple, removeMatching } from './selectors.ts';

/** True when the element is site chrome by a bare tag, #id or .class rule (no DOM query). */
export function isSimpleChrome(el: DomElement): boolean {
  return matchesSimple(matcherFor(platformRules().chrome), el);
}

/** Removes site chrome; `found` is what a walk already found by isSimpleChrome (outermost first). */
export function removeChrome(root: DomElement, found?: DomElement[]): void {
  removeMatching(root, platformRules().chrome, found, isPageForm);
}

/** ASP.NET WebForms and others wrap the whole page in one form: that form is the page, not a
 * search box or a comment form. */
function isPageForm(el: DomElement): boolean {
  return el.tagName === 'FORM' && (!!el.querySelector('h1, h2, article') || el.querySelectorAll('p').length >= 3);
}

/** Byline boxes repeat the byline and date the Article carries on its own. */
export function removeBylineBoxes(root: DomElement): void {
  removeMatching(root, platformRules().bylines);
}

let combined: { rules: RegExp[]; re: RegExp } | undefined;
/** The boilerplate rules as one expression: one test per paragraph instead of one per rule. */
function boilerplateRe(): RegExp {
  const rules = platformRules().boilerplateParagraphs;
  if (combined?.rules !== rules) combined = { rules, re: new RegExp(rules.map((r) => `(?:${r.source})`).join('|'), 'i') };
  return combined.re;
}

/** True when a paragraph's text is one the rules name boilerplate (a cookie notice, a sign-up line). */
export function isBoilerplateText(text: string): boolean {
  return boilerplateRe().test(text);
}

/** Text lengths of an element and of the links in it. */
export function linkShare(el: DomElement): { text: number; links: number } {
  const text = normalizeSpace(el.textContent ?? '').length;
  let links = 0;
  for (const a of Array.from(el.querySelectorAll('a[href]'))) links += normalizeSpace(a.textContent ?? '').length;
  return { text, links };
}

/** A list or paragraph that is links and nothing else: a list of other stories. */
function isLinkBlock(el: DomElement): boolean {
  if (!/^(?:UL|OL|P|DIV)$/.test(el.tagName)) return false;
  const { text, links } = linkShare(el);
  return text > 0 && links >= 0.8 * text;
}

/** Paragraphs platforms append to every post ("… was originally published in … on Medium"). */
export function removeBoilerplate(body: DomElement): void {
  const boilerplate = boilerplateRe();
  for (const p of Array.from(body.querySelectorAll('p, li, h2, h3, h4, h5, h6'))) {
    const raw = p.textContent ?? '';
    // Long text that opens with a label is a paragraph of the story.
    if (raw.length > 2000) continue;
    const text = normalizeSpace(raw);
    if (text.length > 400 || !boilerplate.test(text)) continue;
    const prev = p.previousElementSibling;
    if (prev?.tagName === 'HR') prev.remove();
    // A related-stories heading ("Weiterlesen:", "<p><strong>Related:</strong></p>") takes the
    // links it introduces with it: the lists and link-only paragraphs after it.
    if (text.length <= 80 && p.tagName !== 'LI') for (let next = p.nextElementSibling; next && isLinkBlock(next); next = p.nextElementSibling) next.remove();
    p.remove();
  }
}

const TRAILING = 'h2, h3, h4, h5, h6, img, picture, video, audio, iframe, table, pre';

/**
 * A heading that ends the content introduces nothing: it is the title of a box whose list was
 * removed or never extracted ("Auch auf gofeminin.de", "Verwandte Themen", "Most Popular",
 * "Explore topics"). Removed, again while another such heading is then last; a heading with a
 * picture, a table or text after it stays, and so does a content that is nothing but a heading
 * and one in a list item or a table cell.
 */
export function removeTrailingHeadings(body: DomElement): void {
  for (;;) {
    const last = Array.from(body.querySelectorAll(TRAILING)).pop();
    if (!last || !/^H[2-6]$/.test(last.tagName) || !normalizeSpace(last.textContent ?? '') || !nothingAfter(last, body)) return;
    if (normalizeSpace(last.textContent ?? '') === normalizeSpace(body.textContent ?? '')) return;
    // In a list item or a table cell it is that item's title (a how-to's last step, "Step 5:
    // Serve"), one of a series, not a box's: the box titles the rule is for stand on their own.
    if (last.closest('li, td, th, dt, dd')) return;
    last.remove();
  }
}

/** True when no text follows the element inside root (the media after it were looked for already). */
function nothingAfter(el: DomElement, root: DomElement): boolean {
  for (let at: DomElement | null = el; at && at !== root; at = at.parentElement) {
    for (let next = at.nextSibling; next; next = next.nextSibling) if (normalizeSpace(next.textContent ?? '')) return false;
  }
  return true;
}

/** Medium and others open the content with the title again; true when it was removed. */
export function removeRepeatedTitle(body: DomElement, title: string | undefined): boolean {
  if (!title) return false;
  const first = body.children[0];
  if (!first || !/^H[1-4]$/.test(first.tagName) || normalizeSpace(first.textContent ?? '').toLowerCase() !== normalizeSpace(title).toLowerCase()) return false;
  first.remove();
  return true;
}

/** The words of a class list or id: "relatedArticlesTextItem pb-2" -> related, articles, text, item, pb, 2. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_-]+/);
}

/**
 * Boxes the page names as not the story (related-story lists, teasers, tables of contents,
 * newsletter boxes, disclaimers: the rules' "boilerplateBoxes"), found by the words of their class
 * and id, which Readability keeps. A box holding most of the content is the story, whatever its
 * name says ("entry-content no-share").
 */
let boxWords: { words: Set<string>; re: RegExp } | undefined;
/** One test per name before it is split into words: most names hold none of the words. */
function boxWordsRe(words: Set<string>): RegExp {
  if (boxWords?.words !== words) boxWords = { words, re: new RegExp(Array.from(words).join('|'), 'i') };
  return boxWords.re;
}

/**
 * What a related list, teaser box or newsletter box is made of: links, headings, a signup form. A
 * paragraph is never one, whatever its class: CMSs name the story's lead "teaser" or "intro".
 */
function isBox(el: DomElement): boolean {
  return el.tagName !== 'P' && !!el.querySelector('a[href], h1, h2, h3, h4, h5, h6, form, input, button');
}

export function removeBoilerplateBoxes(body: DomElement): void {
  const words = platformRules().boilerplateBoxes;
  if (!words.size) return;
  const re = boxWordsRe(words);
  let limit: number | undefined;
  const named = (el: DomElement) => {
    const cls = el.getAttribute('class');
    const id = el.getAttribute('id');
    const name = cls && id ? `${cls} ${id}` : cls || id;
    return !!name && re.test(name) && nameWords(name).some((w) => words.has(w));
  };
  const walk = (el: DomElement) => {
    const children = el.children;
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      if (named(child) && isBox(child) && normalizeSpace(child.textContent ?? '').length <= (limit ??= normalizeSpace(body.textContent ?? '').length / 3)) child.remove();
      else walk(child);
    }
  };
  walk(body);
}

/** The host without "www.": www.example.org and example.org are one site. */
function siteHost(url: URL): string {
  return url.hostname.replace(/^www\./i, '').toLowerCase();
}

/** A document, not a page: a cited report or dataset is the story's source, not another story. */
const FILE_LINK = /\.(?:pdf|docx?|xlsx?|pptx?|odt|ods|csv|zip|epub|mp3|mp4)(?:[?#]|$)/i;

/** The story's own prose: a paragraph of sentences, not a link or a label. */
function isProse(el: DomElement | null): boolean {
  if (el?.tagName !== 'P') return false;
  const { text, links } = linkShare(el);
  return text >= 80 && links < 0.5 * text;
}

/**
 * A paragraph that is one link to another page of the same site and nothing else, set between two
 * paragraphs of the story's prose ("<p><a>Another headline</a></p>", "<p><a>See the offers on
 * …</a></p>"): the site's pointer to another story or a promotion, dropped into a page's story.
 * Only pages: a feed item's content is what its author wrote. Short links ("here", a name), links
 * to other sites or to documents (a cited paper, a report) are the story's, and so is a post made
 * of such paragraphs (links of the week): they are kept when they are more than a few or a good
 * part of the text.
 */
export function removeLinkParagraphs(body: DomElement, baseUrl: string): void {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    return;
  }
  const host = siteHost(base);
  const found: DomElement[] = [];
  let linkText = 0;
  for (const p of Array.from(body.querySelectorAll('p'))) {
    // Cheap first: most paragraphs hold no element, or more than one.
    const a = p.firstElementChild;
    if (a?.tagName !== 'A' || a.nextElementSibling) continue;
    const href = a.getAttribute('href') ?? '';
    if (!href || href.startsWith('#') || FILE_LINK.test(href)) continue;
    let target: URL;
    try {
      target = new URL(href, base);
    } catch {
      continue;
    }
    if (!/^https?:$/.test(target.protocol) || siteHost(target) !== host) continue;
    const text = normalizeSpace(p.textContent ?? '');
    const linked = normalizeSpace(a.textContent ?? '');
    if (text.length < 30 || text.length > 160 || linked.length < 0.95 * text.length || !/\s\S+\s/.test(linked)) continue;
    if (a.querySelector('img, picture, video, iframe') || !isProse(p.previousElementSibling) || !isProse(p.nextElementSibling)) continue;
    found.push(p);
    linkText += text.length;
  }
  if (!found.length || found.length > 2 || linkText > 0.2 * normalizeSpace(body.textContent ?? '').length) return;
  for (const p of found) p.remove();
}
