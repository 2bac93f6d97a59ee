// The one path for captions: every platform's caption box (the rules' "captions", and WordPress's
// unexpanded [caption] shortcode) becomes figure and figcaption, so a reader that shows only the
// content still shows each caption under its image; a figure's caption is then its figcaption.
import type { DomDocument, DomElement } from '../dom.ts';
import { platformRules } from '../rules/rules.ts';
import { normalizeSpace } from '../text.ts';

export interface CaptionBox {
  box: DomElement;
  /** The selector of the caption inside the box. */
  caption: string;
}

// [caption id="attachment_7" align="alignnone" width="300"]<a><img></a> Caption[/caption]:
// WordPress's classic caption shortcode, left unexpanded in some feeds.
const CAPTION_SHORTCODE = /\[caption\b[^\]]*\]([\s\S]*?)\[\/caption\]/gi;

export function expandCaptionShortcodes(html: string): string {
  return html.replace(CAPTION_SHORTCODE, (_m, inner: string) => {
    const at = inner.search(/(?:<\/a>|<img\b[^>]*>)(?![\s\S]*(?:<\/a>|<img\b))/i);
    if (at < 0) return inner;
    const end = inner.indexOf('>', at) + 1;
    const media = inner.slice(0, end);
    const caption = inner.slice(end).trim();
    return `<figure>${media}${caption ? `<figcaption>${caption}</figcaption>` : ''}</figure>`;
  });
}

/** The caption selector when this element is a caption box ("div.wp-caption" style rules). */
export function captionRuleFor(el: DomElement): string | undefined {
  for (const rule of platformRules().captions) {
    if (rule.tag && rule.tag !== el.tagName) continue;
    const cls = el.getAttribute('class');
    if (cls && cls.split(/\s+/).includes(rule.cls)) return rule.caption;
  }
  return undefined;
}

/** Every caption box under `body`, rule by rule. */
export function findCaptionBoxes(body: DomElement): CaptionBox[] {
  return platformRules().captions.flatMap((rule) => Array.from(body.querySelectorAll(rule.container)).map((box) => ({ box, caption: rule.caption })));
}

/** Each box (found by the page index's walk, else here) becomes figure and figcaption. */
export function captionsAsFigures(body: DomElement, document: DomDocument, found?: CaptionBox[]): void {
  for (const { box, caption } of found ?? findCaptionBoxes(body)) {
    const text = box.querySelector(caption);
    const media = box.querySelector('a:has(img), picture, img');
    if (!media) continue;
    const figure = document.createElement('figure');
    figure.appendChild(media);
    if (text && normalizeSpace(text.textContent ?? '')) {
      const cap = document.createElement('figcaption');
      cap.innerHTML = text.innerHTML;
      figure.appendChild(cap);
    }
    box.replaceWith(figure);
  }
}

/** An image's caption: its figure's figcaption. */
export function captionOf(img: DomElement): string | undefined {
  const text = normalizeSpace(img.closest('figure')?.querySelector('figcaption')?.textContent ?? '');
  return text || undefined;
}
