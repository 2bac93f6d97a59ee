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

/** Text lengths of an element and of the links in it. */
function linkShare(el: DomElement): { text: number; links: number } {
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

/** Medium and others open the content with the title again; true when it was removed. */
export function removeRepeatedTitle(body: DomElement, title: string | undefined): boolean {
  if (!title) return false;
  const first = body.children[0];
  if (!first || !/^H[1-4]$/.test(first.tagName) || normalizeSpace(first.textContent ?? '').toLowerCase() !== normalizeSpace(title).toLowerCase()) return false;
  first.remove();
  return true;
}

/** The words of a class list or id: "relatedArticlesTextItem pb-2" -> related, articles, text, item, pb, 2. */
function nameWords(name: string): string[] {
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
      if (named(child) && normalizeSpace(child.textContent ?? '').length <= (limit ??= normalizeSpace(body.textContent ?? '').length / 3)) child.remove();
      else walk(child);
    }
  };
  walk(body);
}

/**
 * A paragraph that is one link and nothing else, set between the story's paragraphs ("<p><a>Another
 * headline</a></p>", "<p><a>See the offers on …</a></p>"): a pointer to another story or a
 * promotion, not the story's words. Short links ("here", a name) and long ones (a cited paper) may be
 * the story's.
 */
export function removeLinkParagraphs(body: DomElement): void {
  for (const p of Array.from(body.querySelectorAll('p'))) {
    const links = p.querySelectorAll('a[href]');
    if (links.length !== 1 || p.querySelector('img, picture, video, iframe')) continue;
    const href = links[0]!.getAttribute('href') ?? '';
    if (href.startsWith('#')) continue;
    const { text, links: linked } = linkShare(p);
    if (text >= 30 && text <= 160 && linked >= 0.95 * text && /\s\S+\s/.test(normalizeSpace(links[0]!.textContent ?? ''))) p.remove();
  }
}
