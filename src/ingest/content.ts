// Upstream article HTML -> clean content, its plain text and its figures. Runs on a DOM
// (linkedom) because chrome removal, lazy images and caption binding all need structure.
import { parseHTML } from 'linkedom';
import rules from './chrome-rules.json' with { type: 'json' };
import { sanitize } from './sanitize.ts';
import { normalizeSpace } from './text.ts';
import type { Image } from '../model/article.ts';

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
const BOILERPLATE = rules.boilerplateParagraphs.map((p) => new RegExp(p, 'i'));

export function parseFragment(html: string): { document: { body: El; createTextNode(t: string): unknown } } {
  return parseHTML(`<!doctype html><html><head></head><body>${html}</body></html>`) as never;
}

export function removeChrome(root: El): void {
  removeAll(root, CHROME_SELECTORS);
}

const compiled = new Map<string[], string[]>();

/** The selectors this DOM can evaluate, as one selector list: one pass over the tree instead of
 * one per rule (the rules are data; one this DOM rejects removes nothing rather than failing). */
function selectorList(selectors: string[], root: El): string[] {
  let list = compiled.get(selectors);
  if (!list) {
    const ok = selectors.filter((sel) => {
      try {
        root.querySelector(sel);
        return true;
      } catch {
        return false;
      }
    });
    list = ok.length ? [ok.join(', ')] : [];
    compiled.set(selectors, list);
  }
  return list;
}

function removeAll(root: El, selectors: string[]): void {
  for (const sel of selectorList(selectors, root)) {
    // Outermost first; an element inside one already removed is removed with it.
    for (const el of Array.from(root.querySelectorAll(sel))) el.remove();
  }
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

/** Plain text with paragraph breaks, for contentText, summaries and word counts. */
export function textOf(root: El): string {
  const parts: string[] = [];
  const walk = (node: El | { nodeType: number; textContent: string | null }) => {
    if (node.nodeType === 3) {
      parts.push(node.textContent ?? '');
      return;
    }
    if (node.nodeType !== 1) return;
    const el = node as El;
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(el.tagName)) return;
    const block = BLOCK.has(el.tagName);
    if (block) parts.push('\n');
    for (const child of Array.from(el.childNodes)) walk(child as El);
    if (block) parts.push('\n');
  };
  walk(root);
  return parts
    .join('')
    .split(/\n+/)
    .map((l) => normalizeSpace(l))
    .filter(Boolean)
    .join('\n\n');
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
 * see chrome-rules.json) become figure and figcaption, so a reader that shows only the content
 * still shows each caption under its image. */
export function captionsAsFigures(body: El, document: { createElement(t: string): El }): void {
  for (const rule of CAPTION_RULES) {
    for (const box of Array.from(body.querySelectorAll(rule.container))) {
      const text = box.querySelector(rule.caption);
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
  const seen = new Set<string>();
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
    if (seen.has(key)) continue;
    seen.add(key);
    // A figure usually links to its full-size file; a feed's enclosure may name that file.
    const href = img.closest('a')?.getAttribute('href');
    if (href) aliases.push(imageKey(abs(href, baseUrl) ?? href));
    const caption = captionOf(img);
    const alt = normalizeSpace(img.getAttribute('alt') ?? '');
    figures.push({ url: src, ...(caption && { caption }), ...(alt && { alt }) });
  }
  // Paragraphs and boxes left empty by a removed image or an unwrapped shortcode.
  for (const p of Array.from(body.querySelectorAll('p, div, span'))) if (!normalizeSpace(p.textContent ?? '') && !p.querySelector('img, video, audio, iframe, picture')) p.remove();
  // Figures emptied of their images (pixels, avatars) leave nothing a reader wants.
  for (const fig of Array.from(body.querySelectorAll('figure'))) if (!fig.querySelector('img, video, audio, iframe, table, pre')) fig.remove();
  const text = textOf(body);
  const html = sanitize(body.innerHTML, baseUrl).trim();
  // Summaries are the story's words: captions and tables are left out of them.
  for (const el of Array.from(body.querySelectorAll('figcaption, table'))) el.remove();
  return { html, aliases, text, storyText: textOf(body), figures };
}

/** One image in several sizes is one figure: compare without the query and size suffixes. */
export function imageKey(url: string): string {
  try {
    const u = new URL(url);
    // WordPress's -300x200 sizes and MediaWiki's /thumb/<file>/250px-<file> are one image.
    const path = u.pathname.replace(/-\d+x\d+(?=\.\w+$)/, '').replace(/\/thumb(\/.+)\/\d+px-[^/]+$/, '$1');
    return `${u.host}${path}`.toLowerCase();
  } catch {
    return url;
  }
}
