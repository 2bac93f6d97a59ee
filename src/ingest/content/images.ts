// Images and figures: where the real image is (lazy loaders hide it in data attributes and
// srcsets), which images are never figures (pixels, avatars, emoji), and when two URLs are one
// picture. What each platform does is in the rules' "images".
import type { Image } from '../../model/article.ts';
import { parseFragment, type DomDocument, type DomElement } from '../dom.ts';
import { platformRules } from '../rules/rules.ts';
import { normalizeSpace } from '../text.ts';
import { absoluteUrl } from '../url.ts';
import { captionOf } from './captions.ts';

/** An image attribute's URL; some lazy loaders keep JSON there ({"default":{"src":...}}). */
function attributeUrl(url: string | null, base: string): string | undefined {
  if (!url || !url.trim() || /^\s*[{[]/.test(url)) return undefined;
  return absoluteUrl(url, base);
}

/** The largest candidate of a srcset, by width descriptor (or density). */
function largestFromSrcset(srcset: string | null, base: string): string | undefined {
  if (!srcset) return undefined;
  let best: { url: string; size: number } | undefined;
  for (const part of srcset.split(/,\s+/)) {
    const [url, descriptor = '1x'] = part.trim().split(/\s+/);
    const size = parseFloat(descriptor) * (descriptor.endsWith('x') ? 10000 : 1);
    const u = attributeUrl(url ?? null, base);
    if (u && (!best || size > best.size)) best = { url: u, size };
  }
  return best?.url;
}

/** Where the real image is, by the rules' "images.sources", best first. */
export function bestImageSource(img: DomElement, base: string): string | undefined {
  for (const source of platformRules().images.sources) {
    const url =
      'attribute' in source
        ? attributeUrl(img.getAttribute(source.attribute), base)
        : largestFromSrcset(source.srcset.reduce<string | null>((v, a) => v ?? img.getAttribute(a), null), base);
    if (url) return url;
  }
  return undefined;
}

export function isNotImage(url: string, img?: DomElement): boolean {
  const { never, neverClasses } = platformRules().images;
  if (never.some((re) => re.test(url))) return true;
  if (!img) return false;
  if (neverClasses.some((c) => img.classList.contains(c))) return true;
  const w = Number(img.getAttribute('width'));
  const h = Number(img.getAttribute('height'));
  return (w > 0 && w <= 2) || (h > 0 && h <= 2); // tracking pixels
}

/** A declared image (og:image and the like) that is the site's default, a logo or an icon, not
 * the article's own picture: the rules' "images.notLead", and what is never an image. */
export function isNotLeadImage(url: string): boolean {
  return isNotImage(url) || platformRules().images.notLead.some((re) => re.test(url));
}

/** One image in several sizes is one figure: compare without the query and size variants. */
export function imageKey(url: string): string {
  try {
    const u = new URL(url);
    let path = u.pathname;
    for (const { pattern, replace } of platformRules().images.variants) path = path.replace(pattern, replace);
    return `${u.host}${path}`.toLowerCase();
  } catch {
    return url;
  }
}

/** `<noscript><img></noscript>` after a placeholder is the real image for script-less readers. */
export function useNoscriptFallbacks(body: DomElement): void {
  for (const ns of Array.from(body.querySelectorAll('noscript'))) {
    const inner = ns.innerHTML.includes('<img') ? ns.innerHTML : (ns.textContent ?? '');
    const m = /<img\b[^>]*>/i.exec(inner);
    if (!m) {
      ns.remove();
      continue;
    }
    const real = parseFragment(m[0]).body.querySelector('img');
    const prev = ns.previousElementSibling;
    if (real && prev && prev.tagName === 'IMG') prev.replaceWith(real);
    else if (real) ns.replaceWith(real);
    if (real) ns.remove();
  }
}

const KEPT_ATTRIBUTES = ['alt', 'title', 'width', 'height'];

/**
 * The content's figures, each image once: its real source set on it, the rest of its attributes
 * dropped; images that are not figures removed (an emoji kept as its character). Returns the
 * figures and the keys of the other URLs they go by: the full-size file a figure links to.
 */
export function collectFigures(body: DomElement, document: DomDocument, baseUrl: string): { figures: Image[]; aliases: string[] } {
  const emoji = platformRules().images.emoji;
  const figures: Image[] = [];
  const seen = new Map<string, { figure: Image; img: DomElement }>();
  const aliases: string[] = [];
  for (const img of Array.from(body.querySelectorAll('img'))) {
    const src = bestImageSource(img, baseUrl);
    if (!src || isNotImage(src, img)) {
      const alt = img.getAttribute('alt');
      // Emoji images stand for a character: keep it as text.
      if (src && emoji.test(src) && alt) img.replaceWith(document.createTextNode(alt));
      else img.remove();
      continue;
    }
    for (const a of img.getAttributeNames()) if (!KEPT_ATTRIBUTES.includes(a)) img.removeAttribute(a);
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
    if (href) aliases.push(imageKey(attributeUrl(href, baseUrl) ?? href));
    figures.push(figure);
  }
  return { figures, aliases };
}
