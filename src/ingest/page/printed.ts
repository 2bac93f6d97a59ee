// What the page prints where a reader looks for the date and author, for pages whose metadata
// names neither: a date line, a "By Name" line, a news story's opening dateline.
import type { DomElement } from '../dom.ts';
import { findVisibleDate, moreExact, precision, visibleDate } from '../normalize/dates.ts';
import { normalizeSpace } from '../text.ts';
import { textUpTo } from '../text-prefix.ts';

// Never where a byline or date line is: scripts, navigation, forms, citations.
const SKIP_SUBTREES = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'CITE', 'NAV', 'FORM', 'SELECT', 'SVG', 'TEMPLATE', 'IFRAME', 'TABLE']);
// No byline or date in a sidebar (the site's "By John Gruber" on every page), a comment thread
// (readers' names), a related-stories list, a teaser or a "recent posts" widget (other posts'
// dates). Whole class names or ids only, or those words as the first part of one
// ("related-posts", "recent_entries", "widget-area"): wrappers carry "has-sidebar",
// "no-comments", and page builders name every block of the story "elementor-widget-…".
const SKIP_NAME = /(?:^|\s)(?:sidebar|side-bar|comments|commentlist|comment-list|disqus_thread|(?:related|teaser|widget|recent)(?:[-_][\w-]*)?)(?:$|\s)/i;
const SITE_TITLE = /(?:^|\s)(?:site-title|site-name|blog-title|blog-name|logo)(?:$|\s)/i;
const SHORT_TEXT_TAGS = new Set(['P', 'SPAN', 'DIV', 'SMALL', 'LI', 'DD', 'ADDRESS', 'TIME', 'ABBR', 'FOOTER', 'HEADER', 'EM', 'STRONG', 'A', 'H4', 'H5', 'H6']);
// A date box by its class; an author box too, where the date is printed beside the name ("Georg
// Quaas, 21. Jan. 2015", "By Matt Snyder Dec 19, 2016 at 2:19 pm ET", "02.02.2022, 11:30 Uhr von
// Markus Steinrisser": 16 sites of extraction-2 print it so, 1 with another day).
const DATE_CLASS = /date|time|posted|publish|byline|dateline|meta|author/i;
// Dates that are not the article's publication: when a cited source was read, comments,
// replies, the last change ("updated", "modified": never the publication date), and a
// picture's caption or credit ("Trump in Iowa on Jan. 23, 2016").
const NOT_ARTICLE_DATE = /access|retriev|comment|reply|expir|event|updat|modif|caption|image|photo|credit/i;
// A machine date in an attribute of the date element, as <time datetime> carries one: hAtom's
// value-title (title=), data-* ("data-published", "data-origindate"). With a time: ISO-shaped, or
// in Unix time.
const ATTR_DATE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?$/i;
// Unix time from 2001 to 2033, with or without milliseconds.
const EPOCH = /^(1\d{9})(\d{3})?$/;
const DATE_ATTR_NAME = /^(?:title|datetime|content|data-[\w-]*(?:date|time|publish)[\w-]*)$/i;
// A reader's label for the last change, never the publication: MediaWiki's "Diese Seite wurde
// zuletzt am ... geändert" / "This page was last edited on ...", "Letzte Änderung:", "Last
// updated", "Zuletzt aktualisiert".
const LAST_CHANGE_TEXT = /^[^\p{L}\p{N}]*(?:(?:this page was )?last (?:edited|updated|modified|changed)|letzte [äa]nderung|zuletzt (?:aktualisiert|ge[äa]ndert)|aktualisiert|diese seite wurde zuletzt)/iu;
const HATOM_UPDATED = /(?:^|\s)updated(?:\s|$)/;
// How far past the headline the header (date line, byline, standfirst) reaches, in elements.
const HEADER_SPAN = 40;
// Web pages are dated from the web's first years on; an earlier date is about something else.
const FIRST_WEB_YEAR = '1991';
// A short text that ends in "by" and a capitalised name: "Posted by Alon Zakai.",
// "2/26/2015 7:11 AM PST BY TMZ STAFF" (not "By clicking Submit you agree ...").
// German "Von: Name" and "Von Name" are the same line.
const BYLINE_TEXT = /^[^\p{L}]*(?:[Pp]osted |[Ww]ritten |[Rr]eported )?(?:[Bb]y|BY|[Vv]on|VON)[\s:]+\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*){0,4}\.?$/u;
// A printed date and time before the byline: "2/26/2015 7:11 AM PST BY ...".
const LEADING_DATE = /^[\d\s/.:,-]+(?:[AaPp]\.?[Mm]\.?)?\s*(?:[A-Z]{2,4}\s+)?(?=[Bb]y\b|BY\b)/;
// A line that a label opens: "Posted", "Published", "Veröffentlicht", "Publié le", "Publicado",
// "Pubblicato", "Gepubliceerd", "投稿日", "公開日", "配信日", "登録日", "발행", "作成日".
const POSTED_TEXT = /^[^\p{L}\p{N}]*(?:posted|published|by|veröffentlicht|veröffentlichung|erschienen|publié|publicado|pubblicato|gepubliceerd|opublikowano|投稿|公開|配信|登録|発行|発表|发布|發布|발행|등록|작성)/iu;

/** "2017-03-01 14:27:02 +0800" -> "2017-03-01T14:27:02+08:00": the date-time an attribute of
 * the element states, if one does. */
function attributeDate(el: DomElement): string | undefined {
  for (const name of el.getAttributeNames()) {
    if (!DATE_ATTR_NAME.test(name)) continue;
    const value = el.getAttribute(name)?.trim() ?? '';
    const m = ATTR_DATE.exec(value);
    if (m) return `${m[1]}T${m[2]}${m[3] ? m[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2').toUpperCase() : ''}`;
    // Unix time in seconds or milliseconds (data-time="1466522845", data-publishtime="1425913200851").
    const e = EPOCH.exec(value);
    if (e && name !== 'title') return new Date(Number(e[1]) * 1000 + Number(e[2] ?? 0)).toISOString().replace('.000Z', 'Z');
  }
  return undefined;
}


/** What the page prints where a reader looks for the date and author: a date in a
 * date/byline/meta element or a <time> (else in a "Posted on ..." line, else printed in the
 * header under the headline), hAtom's "updated", and a "By Name" line. */
export function printedSignals(body: DomElement | null): { date?: string; updated?: string | undefined; byline?: string } {
  const out: { date?: string; updated?: string | undefined; byline?: string } = {};
  let postedDate: string | undefined;
  let dateline: string | undefined;
  let headerDate: string | undefined;
  // Elements left in the header after an h1 (0: not in a header).
  let header = 0;
  // Where a date box gave a day or a time without its zone: the element that says more may follow
  // ("Dec 9, 2016" and then <time data-published="2016-12-09 09:13:00Z">).
  let dateAt = -1;
  let visited = 0;
  let paragraphs = 0;
  const dateFound = () => !!out.date && (precision(out.date) === 2 || visited - dateAt > 30);
  // A date box's date; one that says more about the date already found replaces it.
  const boxDate = (d: string | undefined) => {
    if (!d) return;
    if (!out.date) [out.date, dateAt] = [d, visited];
    else out.date = moreExact(out.date, d);
  };
  const walk = (el: DomElement, aside: boolean) => {
    if (visited++ > 5_000 || (dateFound() && out.byline)) return;
    if (header > 0) header--;
    if (SKIP_SUBTREES.has(el.tagName)) return;
    // Reading an element's text walks its subtree, so only likely boxes are read: a date/byline
    // class with a few children, a leaf-like element (a byline is a line of text), the first
    // paragraphs (a news dateline).
    // linkedom builds `children` anew on every read, so it is read once.
    const children = el.children;
    const n = children.length;
    const cls = `${el.className} ${el.id}`;
    const inAside = aside || (cls.length > 1 && el.tagName !== 'BODY' && SKIP_NAME.test(cls));
    // <time> is a date element by the HTML standard; a date box by its class.
    const dateBox = !inAside && n <= 8 && (el.tagName === 'TIME' || DATE_CLASS.test(cls)) && !NOT_ARTICLE_DATE.test(cls);
    const isP = el.tagName === 'P';
    // The date the box prints, then the one its attributes state (where they agree).
    let printedDate: string | undefined;
    // hAtom's entry "updated", as the value-title pattern writes it (<span class="updated"
    // title="2013-04-04T18:52:11+00:00">): the last change, which a post with no other date has.
    if (!out.updated && !inAside && HATOM_UPDATED.test(el.className)) out.updated = attributeDate(el);
    // A link may hold a label and a name apart: <a><b>Von:</b><br><br>Götz Warnke</a>.
    // Nothing in an aside is the story's date or byline: its text is not read.
    // A paragraph a "Posted"/"Veröffentlicht am" label opens is read wherever it stands (a
    // podcast's episode box after the show notes: "Veröffentlicht am 16.08.2019<br>Dauer: …").
    if (!inAside && SHORT_TEXT_TAGS.has(el.tagName) && (dateBox || n <= 2 || (el.tagName === 'A' && n <= 5) || (isP && paragraphs < 5))) {
      if (isP) paragraphs++;
      // Read only as far as the rules look: a date-class wrapper may hold the whole story.
      const rawText = textUpTo(el, 600);
      // Long text is never a byline or date line (a dateline paragraph is checked by its start).
      const text = normalizeSpace(rawText.length > 600 ? rawText.slice(0, 200) : rawText);
      // Every printed date form has a four-digit year: without one, no date is looked for.
      const hasYear = /\d{4}/.test(text);
      if (rawText.length <= 600 && text.length <= 200) {
        if (dateBox && hasYear && !dateFound()) boxDate((printedDate = visibleDate(text)));
        if (!postedDate && hasYear && POSTED_TEXT.test(text)) postedDate = visibleDate(text);
        if (header > 0 && !headerDate && hasYear && n <= 2) headerDate = headerLineDate(text);
        if (!out.byline && text.length <= 120 && BYLINE_TEXT.test(text.replace(LEADING_DATE, ''))) out.byline = text;
      }
      if (!dateline && isP && hasYear) dateline = datelineDate(text);
    }
    if (dateBox && !dateFound()) {
      const attr = attributeDate(el);
      if (!printedDate || (attr && moreExact(printedDate, attr) === attr)) boxDate(attr);
    }
    // The body begins at its first paragraph of prose: the header ends there.
    if (header > 0 && isP && textUpTo(el, 150).length > 150) header = 0;
    for (let i = 0; i < children.length; i++) walk(children[i]!, inAside);
    // A blog's name in an h1 (WordPress themes' h1.site-title) heads the site, not the story: the
    // lines under it are its menus and widgets.
    if (el.tagName === 'H1' && !headerDate && !inAside && !SITE_TITLE.test(cls)) {
      header = HEADER_SPAN;
      // The line just above the headline belongs to the header too ("21. Jan 2022 // Name").
      const before = el.previousElementSibling;
      const text = before && before.children.length <= 2 && !SKIP_NAME.test(`${before.className} ${before.id}`) ? normalizeSpace(before.textContent ?? '') : '';
      if (/\d{4}/.test(text)) headerDate = headerLineDate(text);
    }
  };
  if (body) walk(body, false);
  out.date ??= postedDate ?? headerDate ?? dateline;
  return out;
}

/** A header line that is a date, with at most a label or a name beside it ("05.11.2021 10:39
 * Uhr", "am 25.01.2022", "21. Jan 2022 // Dominik Ricker"): not a sentence that mentions one
 * ("Der nächste Stammtisch findet am 5. Februar 2020 statt"), not a labelled last change, not
 * a date before the web (an encyclopedia's birth dates under its headline). */
function headerLineDate(text: string): string | undefined {
  if (text.length > 100 || LAST_CHANGE_TEXT.test(text)) return undefined;
  const found = findVisibleDate(text);
  if (!found || text.length - found.length > 30 || found.date < FIRST_WEB_YEAR) return undefined;
  return found.date;
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
