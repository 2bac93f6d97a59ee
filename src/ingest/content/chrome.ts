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
  removeMatching(root, platformRules().chrome, found);
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
    // A related-stories heading takes its list with it.
    if (/^H\d$/.test(p.tagName) && p.parentElement) {
      const siblings = Array.from(p.parentElement.children);
      const next = siblings[siblings.indexOf(p) + 1];
      if (next && /^(?:UL|OL)$/.test(next.tagName)) next.remove();
    }
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
