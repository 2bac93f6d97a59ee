// The rule matcher: the selectors of the rules data, matched against elements. Most rules are a
// bare tag, #id or .class: those are matched in one walk over the tree, which on linkedom is many
// times faster than its selector engine; the rest go to querySelectorAll as one selector list.
import type { DomElement } from '../dom.ts';

export interface Matcher {
  tags: Set<string>;
  ids: Set<string>;
  classes: Set<string>;
  /** Selectors that are more than one tag, #id or .class, joined into one list for the DOM. */
  complex: string[];
}

const matchers = new Map<readonly string[], Matcher>();

/** The matcher for a list of selectors (compiled once per list; the rules validated them). */
export function matcherFor(selectors: readonly string[]): Matcher {
  let m = matchers.get(selectors);
  if (!m) {
    m = { tags: new Set(), ids: new Set(), classes: new Set(), complex: [] };
    const complex: string[] = [];
    for (const sel of selectors) {
      if (/^[a-z][a-z0-9]*$/i.test(sel)) m.tags.add(sel.toUpperCase());
      else if (/^#[\w-]+$/.test(sel)) m.ids.add(sel.slice(1));
      else if (/^\.[\w-]+$/.test(sel)) m.classes.add(sel.slice(1));
      else complex.push(sel);
    }
    m.complex = complex.length ? [complex.join(', ')] : [];
    matchers.set(selectors, m);
  }
  return m;
}

/** True when the element matches a bare tag, #id or .class rule (no DOM query). */
export function matchesSimple(m: Matcher, el: DomElement): boolean {
  if (m.tags.has(el.tagName)) return true;
  if (m.ids.size > 0) {
    const id = el.getAttribute('id');
    if (id && m.ids.has(id)) return true;
  }
  if (m.classes.size > 0) {
    const cls = el.getAttribute('class');
    if (cls && cls.split(/\s+/).some((c) => m.classes.has(c))) return true;
  }
  return false;
}

/** The outermost elements under `root` that match a simple rule, in document order. */
export function findSimple(root: DomElement, m: Matcher): DomElement[] {
  const found: DomElement[] = [];
  const walk = (el: DomElement) => {
    const children = el.children; // a fresh array on linkedom: read once, not copied
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      if (matchesSimple(m, child)) found.push(child); // removed with everything inside it
      else walk(child);
    }
  };
  walk(root);
  return found;
}

/**
 * Removes every element the selectors match. `found` is what a caller's own walk already found
 * by the simple rules (the page index does, in the walk it makes anyway); without it the walk is
 * made here. The complex rules are then evaluated by the DOM. `keep` spares what a rule matches
 * but the caller knows is not chrome.
 */
export function removeMatching(root: DomElement, selectors: readonly string[], found?: DomElement[], keep?: (el: DomElement) => boolean): void {
  const m = matcherFor(selectors);
  for (const el of found ?? findSimple(root, m)) if (!keep?.(el)) el.remove();
  for (const sel of m.complex) for (const el of Array.from(root.querySelectorAll(sel))) if (!keep?.(el)) el.remove();
}
