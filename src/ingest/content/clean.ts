// Upstream article HTML -> clean content, its plain text and its figures. Runs on a DOM
// (linkedom) because chrome removal, lazy images and caption binding all need structure.
import { parseHTML } from 'linkedom';
import rules from '../rules/platform-rules.json' with { type: 'json' };
import { sanitize } from './sanitize.ts';
import { normalizeSpace } from '../text.ts';
import type { Image } from '../../model/article.ts';

// linkedom's element type, kept loose: we use a small, standard part of the DOM.
type El = {
  nodeType: number;
  tagName: string;
  parentElement: El | null;
  previousElementSibling: El | null;
  children: ArrayLike<El>;
  childNodes: ArrayLike<{ nodeType: number; textContent: string | null } & Partial<El>>;
  textContent: string | null;
  innerHTML: string;
  classList: { contains(c: string): boolean };
  getAttribute(n: string): string | null;
  setAttribute(n: string, v: string): void;
  removeAttribute(n: string): void;
  hasAttribute(n: string): boolean;
  getAttributeNames(): string[];
  querySelector(s: string): El | null;
  querySelectorAll(s: string): ArrayLike<El>;
  closest(s: string): El | null;
  remove(): void;
  replaceWith(...n: unknown[]): void;
};

const CHROME_SELECTORS: string[] = Object.values(rules.platforms).flat();
export const BYLINE_SELECTORS: string[] = rules.bylines;
const NOT_IMAGE = rules.notImages.map((p) => new RegExp(p, 'i'));
const NOT_IMAGE_CLASSES = rules.notImageClasses;
const CAPTION_RULES: Array<{ container: string; caption: string }> = rules.captions;
// Caption containers are tag.class or .class rules: matched during a walk without a DOM query.
const CAPTION_RULES_PARSED = CAPTION_RULES.map((r) => {
  const m = /^([a-z]*)\.([\w-]+)$/i.exec(r.container);
  if (!m) throw new Error(`platform-rules.json: caption container ${r.container} must be tag.class or .class`);
  return { tag: m[1] ? m[1].toUpperCase() : undefined, cls: m[2]!, caption: r.caption };
});
const BOILERPLATE = rules.boilerplateParagraphs.map((p) => new RegExp(p, 'i'));

export function parseFragment(html: string): { document: { body: El; createTextNode(t: string): unknown } } {
  return parseHTML(`<!doctype html><html><head></head><body>${html}</body></html>`) as never;
}

export function removeChrome(root: El): void {
  removeAll(root, CHROME_SELECTORS);
}

/** True when the element is site chrome by a bare tag, #id or .class rule (no DOM query). */
export function isSimpleChrome(el: El): boolean {
  return matches(matcherFor(CHROME_SELECTORS), el);
}

/** Removes what the simple rules found during a walk, then what the complex rules select. */
export function removeChromeFound(root: El, found: El[]): void {
  for (const el of found) el.remove();
  removeComplex(root, matcherFor(CHROME_SELECTORS));
}

function matches(m: Matcher, el: El): boolean {
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

interface Matcher {
  tags: Set<string>;
  ids: Set<string>;
  classes: Set<string>;
  /** Selectors that are more than one tag, #id or .class: evaluated by the DOM. */
  complex: string[];
}

const matchers = new Map<string[], Matcher>();

/** Most rules are a bare tag, #id or .class: those are matched in one walk over the tree, which
 * on linkedom is many times faster than its selector engine; the rest go to querySelectorAll.
 * (The rules are data; one this DOM rejects removes nothing rather than failing the item.) */
function matcherFor(selectors: string[]): Matcher {
  let m = matchers.get(selectors);
  if (!m) {
    m = { tags: new Set(), ids: new Set(), classes: new Set(), complex: [] };
    for (const sel of selectors) {
      if (/^[a-z][a-z0-9]*$/i.test(sel)) m.tags.add(sel.toUpperCase());
      else if (/^#[\w-]+$/.test(sel)) m.ids.add(sel.slice(1));
      else if (/^\.[\w-]+$/.test(sel)) m.classes.add(sel.slice(1));
      else m.complex.push(sel);
    }
    // The complex ones as one selector list (one walk), keeping only those this DOM accepts.
    const probe = parseFragment('').document.body;
    const valid = m.complex.filter((sel) => {
      try {
        probe.querySelector(sel);
        return true;
      } catch {
        return false;
      }
    });
    m.complex = valid.length ? [valid.join(', ')] : [];
    matchers.set(selectors, m);
  }
  return m;
}

function removeAll(root: El, selectors: string[]): void {
  const m = matcherFor(selectors);
  const doomed: El[] = [];
  const walk = (el: El) => {
    const children = el.children; // a fresh array on linkedom: read once, not copied
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      if (matches(m, child)) doomed.push(child); // removed with everything inside it
      else walk(child);
    }
  };
  walk(root);
  for (const el of doomed) el.remove();
  removeComplex(root, m);
}

function removeComplex(root: El, m: Matcher): void {
  for (const sel of m.complex) for (const el of Array.from(root.querySelectorAll(sel))) el.remove();
}

function abs(url: string | null | undefined, base: string): string | null {
  // Some lazy loaders keep JSON in data-src ({"default":{"src":...}}): not a URL.
  if (!url || !url.trim() || url.trim().startsWith('data:') || /^\s*[{[]/.test(url)) return null;
  try {
    const u = new URL(url.trim(), base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** The largest candidate of a srcset, by width descriptor (or density). */
function largestFromSrcset(srcset: string | null, base: string): string | null {
  if (!srcset) return null;
  let best: { url: string; size: number } | null = null;
  for (const part of srcset.split(/,\s+/)) {
    const [url, descriptor = '1x'] = part.trim().split(/\s+/);
    const size = parseFloat(descriptor) * (descriptor.endsWith('x') ? 10000 : 1);
    const u = abs(url, base);
    if (u && (!best || size > best.size)) best = { url: u, size };
  }
  return best?.url ?? null;
}

/** Where the real image is: lazy-loading plugins hide it in data attributes and srcsets. */
export function bestImageSource(img: El, base: string): string | null {
  return (
    abs(img.getAttribute('data-orig-file'), base) ??
    largestFromSrcset(img.getAttribute('srcset') ?? img.getAttribute('data-srcset') ?? img.getAttribute('data-lazy-srcset'), base) ??
    abs(img.getAttribute('data-lazy-src'), base) ??
    abs(img.getAttribute('data-src'), base) ??
    abs(img.getAttribute('data-original'), base) ??
    abs(img.getAttribute('src'), base)
  );
}

export function isNotImage(url: string, img?: El): boolean {
  if (NOT_IMAGE.some((re) => re.test(url))) return true;
  if (!img) return false;
  if (NOT_IMAGE_CLASSES.some((c) => img.classList.contains(c))) return true;
  const w = Number(img.getAttribute('width'));
  const h = Number(img.getAttribute('height'));
  return (w > 0 && w <= 2) || (h > 0 && h <= 2); // tracking pixels
}

/** `<noscript><img></noscript>` after a placeholder is the real image for script-less readers. */
function useNoscriptFallbacks(body: El): void {
  for (const ns of Array.from(body.querySelectorAll('noscript'))) {
    const inner = ns.innerHTML.includes('<img') ? ns.innerHTML : (ns.textContent ?? '');
    const m = /<img\b[^>]*>/i.exec(inner);
    if (!m) {
      ns.remove();
      continue;
    }
    const { document } = parseFragment(m[0]);
    const real = document.body.querySelector('img');
    const prev = ns.previousElementSibling;
    if (real && prev && prev.tagName === 'IMG') prev.replaceWith(real);
    else if (real) ns.replaceWith(real);
    if (real) ns.remove();
  }
}

function captionOf(img: El): string | undefined {
  const fig = img.closest('figure');
  const cap = fig?.querySelector('figcaption') ?? img.closest('.wp-caption')?.querySelector('.wp-caption-text');
  const text = normalizeSpace(cap?.textContent ?? '');
  return text || undefined;
}

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

/** Plain text with paragraph breaks (for contentText and word counts), and the same without
 * captions and tables (for summaries), in one walk. */
export function textsOf(root: El): { text: string; story: string } {
  const all: string[] = [];
  const story: string[] = [];
  const walk = (node: El | { nodeType: number; textContent: string | null }, inStory: boolean) => {
    if (node.nodeType === 3) {
      const t = node.textContent ?? '';
      all.push(t);
      if (inStory) story.push(t);
      return;
    }
    if (node.nodeType !== 1) return;
    const el = node as El;
    if (NO_TEXT.has(el.tagName)) return;
    const block = BLOCK.has(el.tagName);
    const childInStory = inStory && !NOT_STORY.has(el.tagName);
    if (block) {
      all.push('\n');
      if (inStory) story.push('\n');
    }
    const nodes = el.childNodes;
    for (let i = 0; i < nodes.length; i++) walk(nodes[i] as El, childInStory);
    if (block) {
      all.push('\n');
      if (inStory) story.push('\n');
    }
  };
  walk(root, true);
  return { text: paragraphs(all), story: paragraphs(story) };
}

export interface CleanContent {
  html: string;
  /** Keys (imageKey) of other URLs of the figures' images: the full-size file a figure links to. */
  aliases: string[];
  text: string;
  /** The text without captions and tables: what a summary is made from. */
  storyText: string;
  figures: Image[];
}

// [caption id="attachment_7" align="alignnone" width="300"]<a><img></a> Caption[/caption]:
// WordPress's classic caption shortcode, left unexpanded in some feeds.
const CAPTION_SHORTCODE = /\[caption\b[^\]]*\]([\s\S]*?)\[\/caption\]/gi;

function expandCaptionShortcodes(html: string): string {
  return html.replace(CAPTION_SHORTCODE, (_m, inner: string) => {
    const at = inner.search(/(?:<\/a>|<img\b[^>]*>)(?![\s\S]*(?:<\/a>|<img\b))/i);
    if (at < 0) return inner;
    const end = inner.indexOf('>', at) + 1;
    const media = inner.slice(0, end);
    const caption = inner.slice(end).trim();
    return `<figure>${media}${caption ? `<figcaption>${caption}</figcaption>` : ''}</figure>`;
  });
}

/** Platform caption boxes (WordPress's div.wp-caption, Blogger's tr-caption-container table;
 * see platform-rules.json) become figure and figcaption, so a reader that shows only the content
 * still shows each caption under its image. */
export function captionsAsFigures(body: El, document: { createElement(t: string): El }, found?: Array<{ box: El; caption: string }>): void {
  const boxes = found ?? CAPTION_RULES.flatMap((rule) => Array.from(body.querySelectorAll(rule.container)).map((box) => ({ box, caption: rule.caption })));
  {
    for (const { box, caption } of boxes) {
      const text = box.querySelector(caption);
      const media = box.querySelector('a:has(img), picture, img');
      if (!media) continue;
      const figure = document.createElement('figure') as El & { appendChild(n: unknown): void };
      figure.appendChild(media);
      if (text && normalizeSpace(text.textContent ?? '')) {
        const cap = document.createElement('figcaption');
        cap.innerHTML = text.innerHTML;
        figure.appendChild(cap);
      }
      box.replaceWith(figure);
    }
  }
}

/** The caption rule whose container this element is, if any ("div.wp-caption" style rules). */
export function captionRuleFor(el: El): string | undefined {
  for (const rule of CAPTION_RULES_PARSED) {
    if (rule.tag && rule.tag !== el.tagName) continue;
    const cls = el.getAttribute('class');
    if (cls && cls.split(/\s+/).includes(rule.cls)) return rule.caption;
  }
  return undefined;
}

/** Paragraphs platforms append to every post ("… was originally published in … on Medium"). */
function removeBoilerplate(body: El): void {
  for (const p of Array.from(body.querySelectorAll('p'))) {
    const text = normalizeSpace(p.textContent ?? '');
    if (!BOILERPLATE.some((re) => re.test(text))) continue;
    const prev = p.previousElementSibling;
    if (prev?.tagName === 'HR') prev.remove();
    p.remove();
  }
}

/** Medium and others open the content with the title again. */
function removeRepeatedTitle(body: El, title: string | undefined): void {
  if (!title) return;
  const first = body.children[0];
  if (first && /^H[1-4]$/.test(first.tagName) && normalizeSpace(first.textContent ?? '').toLowerCase() === normalizeSpace(title).toLowerCase()) first.remove();
}

export function cleanContent(upstreamHtml: string, baseUrl: string, title?: string): CleanContent {
  const { document } = parseFragment(expandCaptionShortcodes(upstreamHtml));
  const body = document.body;
  removeChrome(body);
  removeAll(body, BYLINE_SELECTORS);
  removeBoilerplate(body);
  removeRepeatedTitle(body, title);
  captionsAsFigures(body, document as never);
  useNoscriptFallbacks(body);
  const figures: Image[] = [];
  const seen = new Map<string, { figure: Image; img: El }>();
  const aliases: string[] = [];
  for (const img of Array.from(body.querySelectorAll('img'))) {
    const src = bestImageSource(img, baseUrl);
    if (!src || isNotImage(src, img)) {
      const alt = img.getAttribute('alt');
      // Emoji images stand for a character: keep it as text.
      if (src && /emoji|smil/i.test(src) && alt) img.replaceWith(document.createTextNode(alt));
      else img.remove();
      continue;
    }
    for (const a of img.getAttributeNames()) if (!['alt', 'title', 'width', 'height'].includes(a)) img.removeAttribute(a);
    img.setAttribute('src', src);
    const key = imageKey(src);
    const caption = captionOf(img);
    const alt = normalizeSpace(img.getAttribute('alt') ?? '');
    const earlier = seen.get(key);
    if (earlier) {
      // The same picture twice (Ghost repeats the feature image above the post): one figure,
      // shown once, where it has its caption.
      if (caption && !earlier.figure.caption) {
        earlier.figure.caption = caption;
        if (alt) earlier.figure.alt = alt;
        earlier.img.remove();
        earlier.img = img;
      } else img.remove();
      continue;
    }
    const figure: Image = { url: src, ...(caption && { caption }), ...(alt && { alt }) };
    seen.set(key, { figure, img });
    // A figure usually links to its full-size file; a feed's enclosure may name that file.
    const href = img.closest('a')?.getAttribute('href');
    if (href) aliases.push(imageKey(abs(href, baseUrl) ?? href));
    figures.push(figure);
  }
  // Paragraphs and boxes left empty by a removed image or an unwrapped shortcode.
  for (const p of Array.from(body.querySelectorAll('p, div, span'))) if (!normalizeSpace(p.textContent ?? '') && !p.querySelector('img, video, audio, iframe, picture')) p.remove();
  // Figures emptied of their images (pixels, avatars) leave nothing a reader wants.
  for (const fig of Array.from(body.querySelectorAll('figure'))) if (!fig.querySelector('img, video, audio, iframe, table, pre')) fig.remove();
  const { text, story } = textsOf(body);
  return { html: sanitize(body.innerHTML, baseUrl).trim(), aliases, text, storyText: story, figures };
}

/** One image in several sizes is one figure: compare without the query and size suffixes. */
export function imageKey(url: string): string {
  try {
    const u = new URL(url);
    // WordPress's -300x200 sizes and MediaWiki's /thumb/<file>/250px-<file> are one image;
    // Ghost's /size/w600/ copies too.
    const path = u.pathname
      .replace(/-\d+x\d+(?=\.\w+$)/, '')
      .replace(/\/thumb(\/.+)\/\d+px-[^/]+$/, '$1')
      .replace(/\/size\/w\d+(?:h\d+)?\//, '/');
    return `${u.host}${path}`.toLowerCase();
  } catch {
    return url;
  }
}
