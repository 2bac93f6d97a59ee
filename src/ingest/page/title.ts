// The article's title as its page shows it: the machine title (JSON-LD headline, og:title,
// <title>) without the site or section names pages put around it ("Title | Site", "Site: Title",
// "Title _Section _Site"), found by the page's own headlines (h1, h2) or its declared site names;
// and the printed headline itself where the machine title is a rewrite of it for sharing.
import { TEXT_NODE, type DomElement, type DomNode } from '../dom.ts';
import { normalizeSpace } from '../text.ts';

// Separators between a title and the names around it. "_" and full-width bars go unspaced on
// Chinese and Japanese sites; a colon only parts a name that comes first ("Site: Title").
const SEPARATORS = /\s+[|\-–—·•»:/]\s+|\s*(?:[|｜_]|::)\s*|\s+\[(?=[^\]]+\]$)|\]$/u;
// What may stand between a title and a site name it ends with (pixnet's "Title @ Blog").
const NAME_SEPARATOR = /(?:\s+[-–—·•»:/@]|\s*(?:[|｜_@]|::))\s*$/u;
// A separator at the start of what follows a headline in the title ("Kicker: Headline" too).
const LEADING_SEPARATOR = /^(?:\s*[:@]\s+|\s+[|\-–—·•»/]\s+|\s*(?:[|｜_@]|::)\s*)/u;

const key = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
const words = (s: string) => new Set(s.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);

/** A heading as the page prints it, with what tells the article's headline from the others. */
export interface Heading {
  text: string;
  /** 1 for h1, 2 for h2. */
  level: number;
  /** In the article's region (article, main, role=main) or marked as the entry's title (hAtom
   * entry-title, h-entry p-name, schema.org itemprop=headline). */
  inArticle: boolean;
  /** itemprop=alternativeHeadline: schema.org's secondary headline, not the headline. */
  alternative: boolean;
  /** The texts the heading prints apart: a kicker in its own element, then the headline. */
  parts: string[];
}

const ENTRY_TITLE = /(?:^|\s)(?:entry-title|p-name)(?:\s|$)/;

/** The heading's text and context, read off its element (a walk up its ancestors, no more). */
export function readHeading(el: DomElement): Heading {
  const props = (el.getAttribute('itemprop') ?? '').split(/\s+/);
  const inArticle = props.includes('headline') || ENTRY_TITLE.test(el.getAttribute('class') ?? '');
  let inRegion = false;
  for (let p = el.parentElement; p; p = p.parentElement) {
    const role = p.getAttribute('role');
    // A breadcrumb trail repeats the title as a link, inside the article or not.
    if (p.tagName === 'NAV' || role === 'navigation') return heading(el, false, props);
    inRegion ||= p.tagName === 'ARTICLE' || p.tagName === 'MAIN' || role === 'main';
  }
  return heading(el, inArticle || inRegion, props);
}

function heading(el: DomElement, inArticle: boolean, props: string[]): Heading {
  // Documentation generators end headings with a permalink sign (Sphinx's "¶").
  return { text: normalizeSpace(el.textContent ?? '').replace(/\s*[¶§]$/u, ''), level: Number(el.tagName.slice(1)) || 1, inArticle, alternative: props.includes('alternativeHeadline'), parts: printedParts(el) };
}

function printedParts(el: DomElement): string[] {
  // Down through wrappers (<h1><div>…</div></h1>) to the level where the parts sit side by side.
  let box = el;
  for (;;) {
    // Text nodes side by side are one text (the parser splits text at entities).
    const texts: string[] = [];
    let elements = 0;
    let last: DomElement | undefined;
    let inText = false;
    for (const n of Array.from(box.childNodes)) {
      const text = n.textContent ?? '';
      if (n.nodeType === TEXT_NODE) {
        texts.push(inText ? `${texts.pop() ?? ''}${text}` : text);
        inText = true;
      } else if ((n as DomNode & Partial<DomElement>).tagName) {
        texts.push(text);
        inText = false;
        elements++;
        last = n as DomElement;
      }
    }
    const printed = texts.map(normalizeSpace).filter((x) => /[\p{L}\p{N}]/u.test(x));
    if (printed.length === 1 && elements === 1 && last && normalizeSpace(last.textContent ?? '') === printed[0]) box = last;
    else return printed;
  }
}

/** "www.blisterreview.com" -> ["blisterreview"]: the labels a site's name is made from. */
function hostLabels(url: string): string[] {
  try {
    const host = new URL(url).hostname.replace(/^www\d*\./, '');
    const labels = host.split('.');
    return [key(host), ...labels.slice(0, -1)].filter((l) => l.length >= 3 && !/^(?:www\d*|m|amp|com|co|org|net|news|blog|blogs)$/.test(l));
  } catch {
    return [];
  }
}

/** A title part that names the site: its declared name, or its host name ("eHow" on ehow.com). */
function namesSite(part: string, sites: string[]): boolean {
  const k = key(part);
  if (k.length < 2) return false;
  return sites.some((s) => k === s || (s.length >= 3 && k.startsWith(s)) || (s.length >= 4 && k.includes(s)) || (k.length >= 4 && s.includes(k)));
}

function parts(title: string): string[] {
  return title.split(SEPARATORS).map((p) => p.trim().replace(/^\[|\]$/g, '')).filter(Boolean);
}

export interface TitleSignals {
  /** The machine title: Readability's pick of JSON-LD headline, og:title and <title>. */
  title: string;
  /** og:title: the title the page declares for sharing. */
  ogTitle?: string | undefined;
  /** The document's <title>. */
  docTitle?: string | undefined;
  /** schema.org itemprop=headline, where it is not one of the headings (a meta's content). */
  headline?: string | undefined;
  /** The page's h1 and h2 elements, in document order. */
  headings: Heading[];
  /** Declared site names: og:site_name, application-name, JSON-LD publisher, twitter:site. */
  siteNames: string[];
  url: string;
}

export function articleTitle({ title, ogTitle, docTitle, headline, headings, siteNames, url }: TitleSignals): string {
  const sites = sitesOf(siteNames, url);
  const t = normalizeSpace(title);
  const tk = key(t);
  const h1s = headings.filter((h) => h.level === 1 && h.text && !h.alternative && !namesSite(h.text, sites));
  const og = normalizeSpace(ogTitle ?? '');
  // A kicker printed in its own element before the headline ("<span>Genetik</span> <span>Das
  // Geheimnis…</span>"), which og:title or the title joins to it with a colon or a dash.
  for (const h of headings) {
    if (h.parts.length !== 2) continue;
    const [kicker, rest] = h.parts as [string, string];
    for (const m of [t, og]) {
      if (m.startsWith(kicker) && LEADING_SEPARATOR.test(m.slice(kicker.length)) && key(m.slice(kicker.length)) === key(rest) && key(rest).length >= 8) return rest;
    }
  }
  if (og && tk) {
    // The browser's title and the printed headline agree where og:title, written for sharing,
    // says it otherwise: the page's own two say what the article is called.
    const doc = docTitle ? withoutNames(normalizeSpace(docTitle), sites, docTitle, siteNames, url) : '';
    const dk = key(doc);
    if (dk.length >= 8 && dk !== tk && h1s.some((h) => key(h.text) === dk)) return doc;
    // The article's printed headline and og:title are two wordings of one headline (og:title
    // shortened or reworded for sharing): the reader sees the printed one.
    const printed = h1s.find((h) => h.inArticle);
    if (printed && variantOf(printed.text, t)) return printed.text;
  }
  // The headline the page prints, when the machine title is that headline with names around it;
  // the headline first ("Headline — Project"), then the names first ("Opinion | Headline").
  const printedHeadlines = [headline, ...h1s.map((h) => h.text)].filter((h): h is string => !!h).map(normalizeSpace);
  // Readability may have cut the headline's own kicker off the <title> ("Evolve: Shared Mutable
  // History — …"): where the title is a cut of the <title>, the headline is looked for there too.
  const fullDoc = key(docTitle ?? '');
  const dk = fullDoc.includes(tk) ? fullDoc : '';
  for (const end of ['start', 'end'] as const) {
    for (const h of printedHeadlines) {
      const hk = key(h);
      if (hk.length < 4 || hk === tk || namesSite(h, sites)) continue;
      // A name is set apart ("Name on Twitter" is the title, not "Name" and a site's name).
      if (end === 'start' ? /^\s+[\p{L}\p{N}]/u.test(t.startsWith(h) ? t.slice(h.length) : '') : /[\p{L}\p{N}]\s+$/u.test(t.endsWith(h) ? t.slice(0, -h.length) : '')) continue;
      if (end === 'start' ? (tk.startsWith(hk) && hk.length >= tk.length * 0.3) || (!!dk && dk.startsWith(hk) && hk.length >= dk.length * 0.3) : tk.endsWith(hk) && hk.length >= tk.length * 0.3) return h;
    }
  }
  // The post's own heading as an h2 (blog themes keep h1 for the blog's name): the title starts
  // with it, a separator follows, and it is the title's main part, not a section's name.
  for (const h of headings) {
    const hk = key(h.text);
    if (h.level !== 2 || hk.length < 4 || hk === tk || !t.startsWith(h.text) || namesSite(h.text, sites)) continue;
    const rest = t.slice(h.text.length);
    if (LEADING_SEPARATOR.test(rest) && parts(rest).every((p) => key(p).length <= hk.length)) return h.text;
  }
  const ps = parts(t);
  // "Site: Title", the colon unspaced before it.
  const colon = /^([^:]{2,40}):\s+(.{8,})$/u.exec(t);
  if (colon && key(colon[1]!).length >= 3 && sites.some((s) => s.startsWith(key(colon[1]!)))) return colon[2]!;
  // The headline is a kicker, a colon and the title's main part ("Outside the web: standalone
  // WebAssembly binaries", where <title> and og:title leave the kicker out).
  const main = key(ps.reduce((a, b) => (key(b).length > key(a).length ? b : a), ''));
  for (const h of printedHeadlines) {
    const kicker = /^(\S+\s.{1,60}?):\s*(.+)$/u.exec(h);
    if (main.length >= 8 && kicker && key(kicker[2]!).startsWith(main) && !namesSite(h, sites)) return h;
  }
  return withoutNames(t, sites, docTitle, siteNames, url);
}

/** Two wordings of one headline: most of the shorter one's words are the other's, and the
 * printed one is not the title with a kicker or a label put before it. */
function variantOf(printed: string, title: string): boolean {
  const a = words(printed);
  const b = words(title);
  if (a.size < 3 || b.size < 3 || key(printed).endsWith(key(title))) return false;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / Math.min(a.size, b.size) >= 0.6;
}

/** The title without the names around it, by the declared names and the sites' conventions. */
function withoutNames(t: string, sites: string[], docTitle: string | undefined, declared: string[], url: string): string {
  // Chinese portals title a page "Title_Channel_Site", unspaced (the CMS's default template). Only
  // in Han, Kana or Hangul: in Latin script "_" is part of names ("read_config_file").
  const cjk = /^(.{8,}?)_([^_\s]{1,8})_([^_\s]{1,8})$/u.exec(t);
  if (cjk && /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(`${cjk[2]}${cjk[3]}`)) return cjk[1]!;
  // A declared site name at the end, whatever stands between ("Emden - Sehenswürdigkeiten
  // Attraktionen" where og:site_name is "Sehenswürdigkeiten Attraktionen").
  for (const name of declared.map((n) => normalizeSpace(n)).filter((n) => n.length >= 2 && !n.startsWith('@'))) {
    const lower = t.toLowerCase();
    if (lower.length !== t.length || !lower.endsWith(name.toLowerCase())) continue;
    const rest = t.slice(0, t.length - name.length);
    const sep = NAME_SEPARATOR.exec(rest);
    if (sep && key(rest).length >= 2) return withoutNames(rest.slice(0, sep.index).trim(), sites, undefined, declared, url);
  }
  const ps = parts(t);
  if (ps.length < 2) return t;
  // A Twitter handle names the brand the account speaks for, and a title may open with the
  // brand's product ("Firefox — Customize…" on mozilla.org, @firefox): handles count at the end.
  const leading = sitesOf(declared.filter((n) => !n.trim().startsWith('@')), url);
  // Names come off the ends, one by one, while a longer part is left.
  let start = 0;
  let end = ps.length;
  const longest = () => Math.max(...ps.slice(start, end).map((p) => key(p).length));
  while (end - start > 1) {
    if (namesSite(ps[end - 1]!, sites) && key(ps[end - 1]!).length < longest()) end--;
    else if (namesSite(ps[start]!, leading) && key(ps[start]!).length < longest()) start++;
    else break;
  }
  if (start === 0 && end === ps.length) return withoutDashedName(t, docTitle);
  // Keep the title's own separators between the parts left: cut the original string.
  const first = ps[start]!;
  const last = ps[end - 1]!;
  const from = t.indexOf(first);
  const to = t.lastIndexOf(last) + last.length;
  return from >= 0 && to > from ? t.slice(from, to).trim() : ps.slice(start, end).join(' ');
}

function sitesOf(siteNames: string[], url: string): string[] {
  return [...siteNames.map((s) => key(s.replace(/^@/, ''))), ...hostLabels(url)].filter((s) => s.length >= 2);
}

/** Readability strips "Title | Site" and "Title - Site" from <title> but not the en and em dash
 * forms; the same for those, when the title is the document's own <title>. */
function withoutDashedName(title: string, docTitle: string | undefined): string {
  if (!docTitle || title !== normalizeSpace(docTitle)) return title;
  const m = /^(.*\S)\s+[–—]\s+[^–—]+$/.exec(title);
  return m && m[1]!.split(' ').length >= 3 ? m[1]! : title;
}
