// Who wrote the page: the byline signals a page gives, weighed. Machine-written ones first
// (JSON-LD, the author metas of HTML, Dublin Core, Open Graph, Parse.ly, Sailthru, Cxense,
// Shareaholic, the "Written by" label Yoast gives Twitter cards), then what the page prints
// nearest its headline, then the byline boxes found anywhere. Names in comments, sidebars, photo
// credits and theme credits are never the author's; an organisation is an author only when no person is named.
import type { DomElement } from '../dom.ts';
import type { RawAuthor } from '../format/raw.ts';
import { LOCAL_BY_WORDS, splitAuthors } from '../normalize/bylines.ts';
import { decodeEntities } from '../normalize/entities.ts';
import { platformRules } from '../rules/rules.ts';
import { normalizeSpace } from '../text.ts';
import { ldAuthors, type Json } from './json-ld.ts';
import type { PageIndex } from './page-index.ts';

const nameKey = (s: string) => decodeEntities(s).normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

// Words that make a name an organisation's: legal forms and the kinds of body that publish
// ("mediagene Inc.", "Organization for Transformative Works", "Wikimedia Foundation").
const ORG_WORDS = /(?:^|[\s,(])(?:inc|incorporated|ltd|llc|llp|plc|gmbh|ag|kg|corp|corporation|s\.a|s\.l|sas|srl|bv|nv|pty|organi[sz]ation|foundation|association|society|institute|verein|e\.\s?v|stiftung)(?:\.|$|[\s,)])/iu;

// The label a printed byline opens with: "By", "Written by", "Von:", "Text:", "Autor:"; then a
// capitalised name (or one in a script without case), told apart case-sensitively: "By clicking"
// is no byline.
const BY_LABEL = /^[^\p{L}]{0,3}(?:(?:(?:written|posted|reported|words|story|text)\s+)?by|von|(?:text|autor|autorin|auteur|autore|author|texto)\s*:)\s*:?\s+/iu;
// "By" in the page's own language: short words that open ordinary lines in any other ("Door
// County", "Di Maio attacca il governo", "Par avion"), so read only where html[lang] says so.
const LOCAL_BY: Record<string, RegExp> = Object.fromEntries(
  Object.entries(LOCAL_BY_WORDS).map(([lang, word]) => [lang, new RegExp(`^[^\\p{L}]{0,3}${word}\\s*:?\\s+`, 'iu')]),
);
// After such a word, the line is names and nothing else: each at most four capitalised words
// (lower-case particles between them: "María de la Fuente"), joined by commas or "and", as
// printed.ts's BYLINE_TEXT asks of "By" lines found anywhere. "Di Maio attacca il governo" goes
// on as a sentence; "Por Sarah Moreno 26 de abril" is read again from its deepest element.
const WORD = "\\p{Lu}[\\p{L}.'’-]*";
const ONE_NAME = `${WORD}(?:\\s+(?:(?:de|del|de la|da|das|do|dos|della|van|von|der|den|du|des|le|la|ter|ten)\\s+)?${WORD}){0,3}`;
const NAMES_LINE = new RegExp(`^${ONE_NAME}(?:\\s*(?:,|&|\\s(?:y|e|et|en|och|og|und|and)\\s)\\s*${ONE_NAME})*\\.?$`, 'u');
const NAME_START = /^(?:\p{Lu}|[^\p{Ll}\p{Lu}\p{N}\p{P}\p{S}\s])/u;
// "ByJ.R. Stone": text nodes glued together.
const GLUED_BY = /^[^\p{L}]{0,3}(?:By|BY)(?=\p{Lu}[\p{Ll}.])/u;
const labelled = (text: string, local: RegExp | undefined) => {
  const m = BY_LABEL.exec(text);
  if (m) return NAME_START.test(text.slice(m[0].length));
  const l = local?.exec(text);
  if (l) return NAMES_LINE.test(text.slice(l[0].length));
  return GLUED_BY.test(text);
};
/** The page's "by" word in its declared language (html[lang], else og:locale), found from the
 * headline up: a dozen ancestors and the head's children, no search of the page. */
function localBy(h1: DomElement): RegExp | undefined {
  let root = h1;
  while (root.parentElement) root = root.parentElement;
  let lang = root.getAttribute('lang')?.trim();
  for (let i = 0; !lang && i < root.children.length; i++) {
    const head = root.children[i]!;
    if (head.tagName !== 'HEAD') continue;
    for (let j = 0; !lang && j < head.children.length; j++) {
      const m = head.children[j]!;
      if (m.tagName === 'META' && m.getAttribute('property')?.toLowerCase() === 'og:locale') lang = m.getAttribute('content')?.trim();
    }
  }
  return lang ? LOCAL_BY[lang.toLowerCase().split(/[-_]/)[0]!] : undefined;
}
// Author-archive links: WordPress's /author/<slug>/ and ?author=<id>, and the profile paths
// newsrooms use for the same page (/by/, /authors/, /contributors/, /editors/, /autor/).
const AUTHOR_HREF = /\/(?:author|authors|autor|autoren|auteur|by|contributor|contributors|editors|writers|journalist|journalists|redakteur)\/[^/?#]+\/?(?:[?#]|$)|[?&]author=[\w-]+(?:&|$)/i;
// Never where the story's own byline is: scripts, navigation, forms, figures and their credits.
const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'NAV', 'FORM', 'FIGURE', 'FIGCAPTION', 'ASIDE', 'SVG', 'BUTTON', 'SELECT', 'TEMPLATE', 'IFRAME', 'TABLE', 'H1']);
const SKIP_NAME = /caption|credit|share|social|related|comment|newsletter|breadcrumb|tags?(?:$|[-_\s])/i;

/** The h1 that is the article's headline: the one the page's title names, else the first. */
function headline(h1s: DomElement[], hints: string[]): DomElement | undefined {
  // The h1 most like a stated title: a site-name h1 ("Engadget") is in "Story | Engadget" too,
  // but covers little of it.
  const keys = hints.map(nameKey).filter((k) => k.length >= 4);
  let best: DomElement | undefined;
  let bestScore = 0;
  for (const h of h1s) {
    const k = nameKey(h.textContent ?? '');
    if (k.length < 4) continue;
    for (const t of keys) {
      const score = t.includes(k) || k.includes(t) ? Math.min(k.length, t.length) / Math.max(k.length, t.length) : 0;
      if (score > bestScore) [best, bestScore] = [h, score];
    }
  }
  return best ?? h1s[0];
}

const isAuthorEl = (el: DomElement, nameClasses: Set<string>) => {
  const rel = el.getAttribute('rel');
  if (rel && /(?:^|\s)author(?:\s|$)/i.test(rel)) return true;
  const prop = el.getAttribute('itemprop');
  if (prop && /(?:^|\s)author(?:\s|$)/.test(prop)) return true;
  const cls = el.getAttribute('class');
  if (cls && cls.split(/\s+/).some((c) => nameClasses.has(c))) return true;
  return el.tagName === 'A' && AUTHOR_HREF.test(el.getAttribute('href') ?? '');
};

// What an author link says when it is a link to the author's other posts, not the byline.
const LINK_ACTION = /^(?:see|view|read|more|all|show|follow|visit|mehr|alle|voir|ver|tous|todos)\b|\b(?:posts|articles|stories|profile|beiträge|artikel)$/i;

const textOf = (el: DomElement) => normalizeSpace(el.textContent ?? '');

const STOP = Symbol('stop');

/** Whether an element holds at most a few dozen elements (a line, a byline box), counted no further. */
function small(el: DomElement): boolean {
  let left = 40;
  const count = (e: DomElement): boolean => {
    const children = e.children;
    left -= children.length;
    if (left < 0) return false;
    for (let i = 0; i < children.length; i++) if (!count(children[i]!)) return false;
    return true;
  };
  return count(el);
}

/** The deepest element of a labelled line whose text still opens with the label and a name:
 * "By Kathy Wise" out of "By Kathy Wise Published in FrontBurner December 14, 2016". */
function deepestLabelled(el: DomElement, local: RegExp | undefined): string {
  for (;;) {
    const children = el.children;
    let next: DomElement | undefined;
    for (let i = 0; i < children.length; i++) {
      const t = textOf(children[i]!);
      if (labelled(t, local) && splitAuthors(t).length) {
        next = children[i]!;
        break;
      }
    }
    // Raw text: its line breaks part the names from a desk or a date ("Kelli Miller\nWebMD Health News").
    if (!next) return el.textContent ?? '';
    el = next;
  }
}

/** The names on a line of author links ("<a rel=author>A</a> and <a rel=author>B</a>"). */
function authorLine(el: DomElement, nameClasses: Set<string>): string {
  let line = el;
  for (let up = 0; up < 2 && line.parentElement && textOf(line.parentElement).length <= 150; up++) line = line.parentElement;
  const names: string[] = [];
  const visit = (e: DomElement) => {
    if (isAuthorEl(e, nameClasses)) {
      const t = textOf(e);
      if (t && !LINK_ACTION.test(t) && !names.includes(t)) names.push(t);
      return;
    }
    const children = e.children;
    for (let i = 0; i < children.length; i++) visit(children[i]!);
  };
  visit(line);
  return names.length ? names.join(', ') : textOf(el);
}

/**
 * The byline printed nearest the article's headline: the first line after the h1 (within its
 * header, before the body's first long paragraph) that opens with a byline label, or that is an
 * author element (rel=author, itemprop=author, an author class, an author-archive link). A
 * teaser's byline further down, or a sidebar's, never comes first.
 */
export function headerByline(h1s: DomElement[], hints: string[]): string | undefined {
  const h1 = headline(h1s, hints);
  if (!h1) return undefined;
  const local = localBy(h1);
  const nameClasses = new Set([...platformRules().authorNameClasses].filter((c) => c !== 'fn'));
  let visited = 0;
  // What examine gives back: the byline, nothing here (go on), or STOP (the body or the next
  // story has begun).
  const examine = (el: DomElement): string | typeof STOP | undefined => {
    if (visited++ > 80) return STOP;
    if (SKIP.has(el.tagName)) return el.tagName === 'H1' ? STOP : undefined; // an h1: the next story's headline
    const name = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
    if (name.length > 1 && SKIP_NAME.test(name)) return undefined;
    // Reading a box's text walks all of it: only small boxes are read, big ones are gone into.
    if (small(el)) {
      const text = textOf(el);
      if (!text) return undefined;
      // The body has begun: the byline sits above it.
      if (el.tagName === 'P' && text.length > 250) return STOP;
      if (text.length <= 200 && labelled(text, local) && splitAuthors(text).length) return deepestLabelled(el, local);
      if (text.length <= 80 && !LINK_ACTION.test(text) && isAuthorEl(el, nameClasses) && splitAuthors(text).length) return authorLine(el, nameClasses);
    } else if (el.tagName === 'P') return STOP;
    const children = el.children;
    for (let i = 0; i < children.length; i++) {
      const found = examine(children[i]!);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  // In document order after the headline: its following siblings, then its ancestors'.
  for (let at: DomElement | null = h1; at && at.tagName !== 'BODY'; at = at.parentElement) {
    for (let sib = at.nextElementSibling; sib; sib = sib.nextElementSibling) {
      const found = examine(sib);
      if (found === STOP) return undefined;
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

export interface BylineSignals {
  ix: PageIndex;
  /** The page's JSON-LD Article node. */
  ld: Json | undefined;
  /** og:site_name, application-name, twitter:site, the JSON-LD publisher. */
  siteNames: string[];
  /** What the page prints: "Posted by" opening the text, the header's byline, Readability's,
   * a byline box's, a "By Name" line anywhere. */
  opening?: string | undefined;
  header?: string | undefined;
  readability?: string | null | undefined;
  printed?: string | undefined;
  /** A page that lists other pages (schema.org CollectionPage): its printed bylines are teasers'. */
  listing: boolean;
}

// The values of the first of these metas the page has, property= before name= (Open Graph and
// RDFa write property=). One meta repeated names several people; another spelling of the same
// meta is an alternative, not a co-author.
const meta = (ix: PageIndex, ...keys: string[]): string[] => {
  for (const k of keys) for (const kind of ['p', 'n']) {
    const v = ix.authorMetas.get(`${kind}:${k}`);
    if (v?.length) return v;
  }
  return [];
};

/** The metas that name the page's author, in order of trust, each with all its values. */
function authorMetas(ix: PageIndex): { metas: string[][]; twitterWrittenBy: string[] } {
  const twitterWrittenBy: string[] = [];
  // Yoast (WordPress) and LinkedIn label Twitter card data: twitter:label1 "Written by", twitter:data1 the name.
  for (let i = 1; i <= 4; i++) {
    const label = ix.metas.get(`n:twitter:label${i}`) ?? ix.metas.get(`p:twitter:label${i}`);
    const data = ix.metas.get(`n:twitter:data${i}`) ?? ix.metas.get(`p:twitter:data${i}`);
    if (label && data && /^(?:written by|author|verfasst von|geschrieben von|autor(?:in)?|auteur|escrito por)$/i.test(label.trim())) twitterWrittenBy.push(data);
  }
  return { metas: [
    meta(ix, 'dc:creator', 'dc.creator', 'dcterms.creator'),
    meta(ix, 'author'),
    // Open Graph's article:author is a profile URL by the protocol; some pages give the name.
    meta(ix, 'article:author').filter((a) => !/^https?:|^www\./i.test(a.trim())),
    // Analytics and sharing plugins' own metas, as their vendors document them; Shareaholic's
    // WordPress and Drupal plugins write shareaholic:article_author_name.
    meta(ix, 'parsely-author', 'sailthru.author', 'cxenseparse:author', 'shareaholic:article_author_name'),
  ], twitterWrittenBy };
}

/** Whether a machine-written signal names the author (then the page's printed lines need not be read). */
export function machineAuthor(ix: PageIndex, ld: Json | undefined): boolean {
  return ldAuthors(ld?.['author']).people.length > 0 || authorMetas(ix).metas.some((values) => values.some((v) => splitAuthors(v).length));
}

const peopleOf = (c: string) => splitAuthors(c);
// A CMS account's login where a name should be: one word, all lower case ("mikecason" in
// sailthru.author, "tkalweit", "vpohl", "webnata" as JSON-LD Person names in extraction-2). The
// byline the page prints names the person; the login stands in only where nothing does.
const LOGIN = /^[\p{Ll}\d][\p{Ll}\d._-]*$/u;
const isLogin = (c: string) => LOGIN.test(c.trim());

export function pageAuthors(s: BylineSignals): RawAuthor[] {
  const { ix } = s;
  const ldAuthor = ldAuthors(s.ld?.['author']);
  // The publisher named as the author (meta author "Condé Nast", "mediagene Inc.", "Us Weekly
  // Staff"): the site's declared names, its JSON-LD publisher and the copyright holder are an
  // organisation, a byline only when nothing names a person.
  const copyright = (ix.metas.get('n:copyright') ?? ix.metas.get('n:dcterms.rightsholder') ?? ix.metas.get('n:dc.rights'))?.replace(/copyright|\(c\)|©|\d{4}(?:\s*[-–]\s*\d{4})?|all rights reserved\.?/gi, ' ');
  const orgKeys = [...s.siteNames, ...ldAuthor.orgs, copyright].map((n) => nameKey(n ?? '')).filter((k) => k.length >= 3);
  const isOrg = (c: string) => ORG_WORDS.test(c) || orgKeys.some((k) => nameKey(c).startsWith(k));
  const ldNamed = ldAuthor.people.filter((p) => peopleOf(p.name).length && !isOrg(p.name));
  const people = ldNamed.filter((p) => !isLogin(p.name));
  if (people.length) return people;

  const navBylines = new Set(ix.navBylines.map((el) => textOf(el)));
  const usable = (c: string | null | undefined): c is string => !!c && peopleOf(c).length > 0 && !navBylines.has(normalizeSpace(c));
  const relAuthor = ix.relAuthor && normalizeSpace(ix.relAuthor.getAttribute('content') ?? ix.relAuthor.textContent ?? '');
  const visible = ix.visibleByline?.textContent;
  const declared = authorMetas(ix);
  // An author meta that only repeats the site's own name (cXenseParse:author "ScanNetSecurity" on
  // ScanNetSecurity) declares the site, not a byline.
  const siteKeys = new Set(s.siteNames.map(nameKey));
  const metaValues = declared.metas.map((values) => values.filter((v) => usable(v) && !siteKeys.has(nameKey(v))));
  const metaGroups = metaValues.map((values) => values.filter((v) => !isLogin(v)));
  const strong: string[][] = [
    ...metaGroups,
    // Google's blogs and others open the post with "Posted by Name, Title": the person, where
    // rel=author names the blog's account.
    ...(s.listing ? [] : [[s.opening], [s.header], [relAuthor], [s.readability]]).map((g) => g.filter(usable)),
    // The account that posted, as WordPress (Yoast) labels it for Twitter cards: after the printed
    // byline, which may name the writer an editor posted for.
    declared.twitterWrittenBy.filter(usable),
  ];
  // A class-named box (an infobox's "fn", a sidebar's "author") is the weakest signal: an
  // organisation the page states beats it.
  const weak: string[][] = (s.listing ? [] : [[visible], [s.printed]]).map((g) => g.filter(usable));
  // The first signal that names a person, with every person it names (a page may give the
  // publisher's name and the writer's in two author metas); else the first that names anyone.
  const firstPeople = (groups: string[][]) => {
    for (const [i, g] of groups.entries()) {
      const p = g.filter((c) => !isOrg(c));
      if (p.length) return { i, names: p };
    }
    return undefined;
  };
  const firstAny = (groups: string[][]) => {
    const i = groups.findIndex((g) => g.length);
    return i < 0 ? undefined : { i, names: groups[i]! };
  };
  let found = firstPeople(strong) ?? firstAny(strong);
  // Metas that list every contributor (the photographer, the models) beside the writer: the
  // byline printed under the headline says who wrote it.
  if (found && found.i < metaGroups.length && s.header && !s.listing) {
    const named = new Set(found.names.flatMap(peopleOf).map(nameKey));
    const printed = peopleOf(s.header).map(nameKey);
    if (printed.length && printed.length < named.size && printed.every((p) => named.has(p))) found = { i: -1, names: [s.header] };
  }
  found ??= firstPeople(weak) ?? firstAny(weak);
  // A login the machine data gives, when nothing the page prints names anyone.
  const logins = [ldNamed.map((p) => p.name), ...metaValues].map((g) => g.filter(isLogin));
  found ??= firstAny(logins);
  // Last, twitter:creator where it is written as a name, not the "@username" the Twitter Cards
  // markup asks for (a handle is no byline, "helmholtz_de" neither): the content's creator, as
  // the page states it, when nothing else names anyone.
  const creator = ix.metas.get('n:twitter:creator') ?? ix.metas.get('p:twitter:creator');
  if (!found && !s.listing && creator && !/[@_/]|^\w+\.\w+$/.test(creator) && usable(creator) && !isOrg(creator) && !siteKeys.has(nameKey(creator))) found = { i: -1, names: [creator] };
  const chosen = found?.names;
  if (chosen?.length) {
    const out: RawAuthor[] = [];
    for (const c of chosen) if (!out.some((o) => nameKey(o.name) === nameKey(c))) out.push({ name: c });
    return out;
  }
  return ldAuthor.people.filter((p) => peopleOf(p.name).length).concat(ldAuthor.orgs.map((name) => ({ name })));
}
