// What the page prints where a reader looks for the date and author, for pages whose metadata
// names neither: a date line, a "By Name" line, a news story's opening dateline.
import type { DomElement } from '../dom.ts';
import { visibleDate } from '../normalize/dates.ts';
import { normalizeSpace } from '../text.ts';

// Never where a byline or date line is: scripts, navigation, forms, citations.
const SKIP_SUBTREES = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'CITE', 'NAV', 'FORM', 'SELECT', 'SVG', 'TEMPLATE', 'IFRAME', 'TABLE']);
const SHORT_TEXT_TAGS = new Set(['P', 'SPAN', 'DIV', 'SMALL', 'LI', 'ADDRESS', 'TIME', 'ABBR', 'FOOTER', 'HEADER', 'EM', 'STRONG', 'A', 'H4', 'H5', 'H6']);
const DATE_CLASS = /date|time|posted|publish|byline|dateline|meta/i;
// Dates that are not the article's publication: when a cited source was read, comments,
// replies, and the last change ("updated", "modified": never the publication date).
const NOT_ARTICLE_DATE = /access|retriev|comment|reply|expir|event|updat|modif/i;
// A short text that ends in "by" and a capitalised name: "Posted by Alon Zakai.",
// "2/26/2015 7:11 AM PST BY TMZ STAFF" (not "By clicking Submit you agree ...").
const BYLINE_TEXT = /^[^\p{L}]*(?:[Pp]osted |[Ww]ritten |[Rr]eported )?(?:[Bb]y|BY)[\s:]+\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*){0,4}\.?$/u;
// A printed date and time before the byline: "2/26/2015 7:11 AM PST BY ...".
const LEADING_DATE = /^[\d\s/.:,-]+(?:[AaPp]\.?[Mm]\.?)?\s*(?:[A-Z]{2,4}\s+)?(?=[Bb]y\b|BY\b)/;
// A line that a label opens: "Posted", "Published", "Veröffentlicht", "Publié le", "Publicado",
// "Pubblicato", "Gepubliceerd", "投稿日", "公開日", "配信日", "登録日", "발행", "作成日".
const POSTED_TEXT = /^[^\p{L}\p{N}]*(?:posted|published|by|veröffentlicht|veröffentlichung|erschienen|publié|publicado|pubblicato|gepubliceerd|opublikowano|投稿|公開|配信|登録|発行|発表|发布|發布|발행|등록|작성)/iu;

/** What the page prints where a reader looks for the date and author: a date in a
 * date/byline/meta element (else in a "Posted on ..." line), and a "By Name" line. */
export function printedSignals(body: DomElement | null): { date?: string; byline?: string } {
  const out: { date?: string; byline?: string } = {};
  let postedDate: string | undefined;
  let dateline: string | undefined;
  let visited = 0;
  let paragraphs = 0;
  const walk = (el: DomElement) => {
    if (visited++ > 5_000 || (out.date && out.byline)) return;
    if (SKIP_SUBTREES.has(el.tagName)) return;
    // Reading an element's text walks its subtree, so only likely boxes are read: a date/byline
    // class with a few children, a leaf-like element (a byline is a line of text), the first
    // paragraphs (a news dateline).
    // linkedom builds `children` anew on every read, so it is read once.
    const children = el.children;
    const n = children.length;
    const cls = `${el.className} ${el.id}`;
    const dateBox = n <= 8 && DATE_CLASS.test(cls) && !NOT_ARTICLE_DATE.test(cls);
    const isP = el.tagName === 'P';
    if (SHORT_TEXT_TAGS.has(el.tagName) && (dateBox || n <= 2 || (isP && paragraphs < 5))) {
      if (isP) paragraphs++;
      const rawText = el.textContent ?? '';
      // Long text is never a byline or date line (a dateline paragraph is checked by its start).
      const text = normalizeSpace(rawText.length > 600 ? rawText.slice(0, 200) : rawText);
      // Every printed date form has a four-digit year: without one, no date is looked for.
      const hasYear = /\d{4}/.test(text);
      if (rawText.length <= 600 && text.length <= 200) {
        if (!out.date && dateBox && hasYear) {
          const d = visibleDate(text);
          if (d) out.date = d;
        }
        if (!postedDate && hasYear && POSTED_TEXT.test(text)) postedDate = visibleDate(text);
        if (!out.byline && text.length <= 120 && BYLINE_TEXT.test(text.replace(LEADING_DATE, ''))) out.byline = text;
      }
      if (!dateline && isP && hasYear) dateline = datelineDate(text);
    }
    for (let i = 0; i < children.length; i++) walk(children[i]!);
  };
  if (body) walk(body);
  out.date ??= postedDate ?? dateline;
  return out;
}

export function openingByline(text: string): string | undefined {
  const first = normalizeSpace(text.slice(0, 300));
  const m = /^(?:posted|written) by\s+([^\n]{3,200}?)(?=\s{2,}|\.\s|$)/iu.exec(first);
  return m ? m[1] : undefined;
}

/** "Feb. 23, 2015 -- Life-threatening ...": a news story's opening dateline. */
function datelineDate(text: string): string | undefined {
  const head = normalizeSpace(text.slice(0, 120));
  const m = /^(.{0,40}?)\s*(?:--|—|–)\s/.exec(head);
  return m ? visibleDate(m[1]!) : undefined;
}
