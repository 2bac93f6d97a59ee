// The dek (standfirst, lead, abstract): the sentence or two a page prints between the headline
// and the story. Most themes set it in the article's header, outside the container Readability
// takes the story from, so it is found here and put back at the top of the content.
import { isBoilerplateText, linkShare, nameWords } from '../content/chrome.ts';
import type { DomElement } from '../dom.ts';
import { platformRules } from '../rules/rules.ts';
import { normalizeSpace } from '../text.ts';

/** Where a dek never is: navigation, sidebars, footers, lists (a teaser list's summaries), links. */
const NEVER_IN = /^(?:NAV|UL|OL|ASIDE|FOOTER|LI|A|FORM|BUTTON|SCRIPT|STYLE|NOSCRIPT|TEMPLATE|FIGURE|FIGCAPTION|BLOCKQUOTE|TABLE|SELECT)$/;
const ASIDE_ROLES = /^(?:complementary|navigation|contentinfo|dialog|alert)$/;
/** What a dek is set in: a paragraph, a subheading, or the box holding one. */
const DEK_TAGS = /^(?:P|H2|H3|H4|DIV|SPAN|SECTION|STRONG|EM|B)$/;
/** A paragraph this long after the headline is the story: the dek, if any, came before it. */
const STORY_PARAGRAPH = 150;

/** Words that make a dek-named box something else: the site's tagline under its name (WordPress's
 * "site-description"). Only the box itself: a "site-content" wrapper holds the whole article. */
const NOT_DEK_WORDS = new Set(['site']);
/** Words that name a box nothing in which is the dek, whatever its own children are named: a
 * picture's caption or credit ("lead-asset-caption", "lead-image-copyright"), the author's bio
 * (techcrunch's div.author-dropdown > div.description), a profile card (linkedin's
 * base-main-card__subtitle), a teaser, promotion, newsletter, cookie or advertising box set
 * between the headline and the story ("lead-teaser", "newsletter-intro"). */
const NOT_DEK_BOXES = new Set([
  'caption', 'credit', 'credits', 'copyright',
  'author', 'authors', 'bio', 'profile', 'card',
  'teaser', 'promo', 'related', 'newsletter', 'subscribe', 'subscription', 'signup', 'cookie', 'cookies', 'consent', 'banner', 'ad', 'ads', 'advert', 'advertisement', 'sponsor', 'sponsored',
]);
/** A picture's box ("lead-photo", "intro-image"): its text is the picture's caption. On a box that
 * names itself the dek outright they are a layout modifier instead (nbcnews's
 * "articleDek … withImage", "articleDek … noImage"), and do not count. */
const PICTURE_BOXES = new Set(['photo', 'image', 'img', 'picture', 'gallery']);
const OUTRIGHT_DEK = new Set(['dek', 'standfirst', 'chapo', 'subheadline']);

function nameOf(el: DomElement): string[] {
  const name = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
  return name.trim() ? nameWords(name) : [];
}

/** A box the reader is not shown (Readability skips the same: hidden, aria-hidden, display:none),
 * or one named for something other than the story's opening. */
function isNeverDekBox(el: DomElement): boolean {
  if (el.hasAttribute('hidden') || el.getAttribute('aria-hidden') === 'true') return true;
  if (/(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)/i.test(el.getAttribute('style') ?? '')) return true;
  const w = nameOf(el);
  if (w.some((x) => NOT_DEK_BOXES.has(x))) return true;
  return w.some((x) => PICTURE_BOXES.has(x)) && !w.some((x) => OUTRIGHT_DEK.has(x));
}

function isNamedDek(el: DomElement, words: Set<string>): boolean {
  const w = nameOf(el);
  if (w.some((x) => NOT_DEK_WORDS.has(x))) return false;
  // schema.org's description, printed on the page (not a meta element: that is for machines).
  if ((el.getAttribute('itemprop') ?? '').split(/\s+/).includes('description')) return true;
  return w.some((x) => words.has(x));
}

/** A sentence or two of prose: not a picture, a player, a list, or a box with a heading of its own
 * (a "Summary" module); a dek set as a subheading is one. A teaser's excerpt cut off with an
 * ellipsis is a pointer to another page. */
function isProse(el: DomElement, text: string): boolean {
  if (text.length < 40 || text.length > 800 || /(?:\.\.\.|…)$/.test(text)) return false;
  // A cookie notice or a sign-up line in a box named "intro" is the rules' boilerplate.
  if (isBoilerplateText(text)) return false;
  if (el.querySelector('img, picture, video, audio, iframe, svg, figure, figcaption, textarea, ul, ol, table')) return false;
  const heading = el.querySelector('h1, h2, h3, h4, h5, h6');
  if (heading && normalizeSpace(heading.textContent ?? '').length < 0.9 * text.length) return false;
  const { links } = linkShare(el);
  return links < 0.5 * text.length && el.querySelectorAll('p').length <= 2;
}

/** The headline, not the site's name above it: an h1 holding no logo and no link to the home page. */
function isHeadline(h1: DomElement): boolean {
  if (!normalizeSpace(h1.textContent ?? '') || h1.querySelector('img, svg')) return false;
  for (const a of Array.from(h1.querySelectorAll('a[href]'))) {
    try {
      if (new URL(a.getAttribute('href') ?? '', 'http://host/').pathname === '/') return false;
    } catch {
      /* an unparsable link says nothing */
    }
  }
  return true;
}

/**
 * The dek's text: the first element after the page's first h1, and before the story's first long
 * paragraph, that the page names a dek (the rules' "deks": dek, standfirst, lead, intro, abstract,
 * summary, subheadline… as words of its class or id) or marks itemprop="description", holding a
 * sentence or two of prose. Nothing when the page has no h1: without a headline there is no
 * "between the headline and the story".
 */
export function findDek(root: DomElement, h1s: DomElement[]): string | undefined {
  const h1 = h1s.find(isHeadline);
  if (!h1) return undefined;
  const words = platformRules().deks;
  let afterH1 = false;
  let found: string | undefined;
  let done = false;
  const walk = (el: DomElement): void => {
    const children = el.children;
    for (let i = 0; i < children.length && !done; i++) {
      const c = children[i]!;
      if (c === h1) {
        afterH1 = true;
        continue;
      }
      if (NEVER_IN.test(c.tagName) || ASIDE_ROLES.test(c.getAttribute('role') ?? '') || (afterH1 && isNeverDekBox(c))) continue;
      if (afterH1) {
        if (DEK_TAGS.test(c.tagName) && isNamedDek(c, words)) {
          const text = normalizeSpace(c.textContent ?? '');
          if (isProse(c, text)) {
            found = text;
            done = true;
            return;
          }
        }
        if (c.tagName === 'P' && normalizeSpace(c.textContent ?? '').length >= STORY_PARAGRAPH) {
          done = true;
          return;
        }
      }
      walk(c);
    }
  };
  walk(root);
  return found;
}
