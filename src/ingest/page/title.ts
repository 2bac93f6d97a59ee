// The article's title as its page shows it: the machine title (JSON-LD headline, og:title,
// <title>) without the site or section names pages put around it ("Title | Site", "Site: Title",
// "Title _Section _Site"), found by the page's own headline (h1) or its declared site names.
import { normalizeSpace } from '../text.ts';

// Separators between a title and the names around it. "_" and full-width bars go unspaced on
// Chinese and Japanese sites; a colon only parts a name that comes first ("Site: Title").
const SEPARATORS = /\s+[|\-–—·•»:/]\s+|\s*(?:[|｜_]|::)\s*|\s+\[(?=[^\]]+\]$)|\]$/u;

const key = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

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
  /** The page's visible headlines: itemprop=headline, its h1 elements. */
  headlines: string[];
  /** The document's <title>. */
  docTitle?: string | undefined;
  /** Declared site names: og:site_name, application-name, JSON-LD publisher, twitter:site. */
  siteNames: string[];
  url: string;
}

export function articleTitle({ title, headlines, siteNames, url, docTitle }: TitleSignals): string {
  const sites = sitesOf(siteNames, url);
  const t = normalizeSpace(title);
  const tk = key(t);
  // The headline the page prints, when the machine title is that headline with names around it.
  for (const h of headlines.map(normalizeSpace)) {
    const hk = key(h);
    if (hk.length >= 4 && hk !== tk && (tk.startsWith(hk) || tk.endsWith(hk)) && hk.length >= tk.length * 0.3 && !namesSite(h, sites)) return h;
  }
  // "Site: Title", the colon unspaced before it.
  const colon = /^([^:]{2,40}):\s+(.{8,})$/u.exec(t);
  if (colon && key(colon[1]!).length >= 3 && sites.some((s) => s.startsWith(key(colon[1]!)))) return colon[2]!;
  const ps = parts(t);
  // The headline is a kicker, a colon and the title's main part ("Outside the web: standalone
  // WebAssembly binaries", where <title> and og:title leave the kicker out).
  const main = key(ps.reduce((a, b) => (key(b).length > key(a).length ? b : a), ''));
  for (const h of headlines.map(normalizeSpace)) {
    const kicker = /^(\S+\s.{1,60}?):\s*(.+)$/u.exec(h);
    if (main.length >= 8 && kicker && key(kicker[2]!).startsWith(main) && !namesSite(h, sites)) return h;
  }
  if (ps.length < 2) return t;
  // Names come off the ends, one by one, while a longer part is left.
  let start = 0;
  let end = ps.length;
  const longest = () => Math.max(...ps.slice(start, end).map((p) => key(p).length));
  while (end - start > 1) {
    if (namesSite(ps[end - 1]!, sites) && key(ps[end - 1]!).length < longest()) end--;
    else if (namesSite(ps[start]!, sites) && key(ps[start]!).length < longest()) start++;
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
