// How the extraction eval decides a field is right: one set of rules for every corpus (issue 14).
// Pure functions of the truth and what was produced, so the rules themselves are unit-tested.
import { normalizeSpace } from '../src/ingest/text.ts';

/**
 * hit / miss: the truth states a value and it was (not) produced.
 * false: the truth asserts there is none and something was produced (a false byline, a false date).
 * empty: the truth asserts there is none and none was produced. Reported apart, never as a hit.
 */
export type Outcome = 'hit' | 'miss' | 'false' | 'empty';

/** NFKC and collapsed whitespace: the comparison the corpus README prescribes for text. */
export const norm = (s: string) => normalizeSpace(s.normalize('NFKC'));

// Typographic variants that say the same thing; titles differ in these between <title> and og:title.
const looseKey = (s: string) =>
  norm(s).toLowerCase().replace(/[‘’`´]/g, "'").replace(/[“”„«»]/g, '"').replace(/[–—]/g, '-');

export function titleOutcome(want: string | undefined, got: string | null): Outcome | undefined {
  if (want === undefined) return undefined;
  // Readability's own tests give '' for a page with no title at all.
  if (want.trim() === '') return got === null ? 'empty' : 'false';
  return got !== null && looseKey(got) === looseKey(want) ? 'hit' : 'miss';
}

// Where one string names several people: commas, semicolons, "and" in the corpus's languages,
// ampersands, the CJK enumeration comma. Not "/" or "|": those part a name from a desk or an address.
const PEOPLE_SEP = /\s*(?:[,;，、&]|\s(?:and|und|y|et|e|og|en|i)\s)\s*/iu;
const BY = /^(?:by|por|par)\s+/iu;

/**
 * Names as people: split and trimmed of stray punctuation. A leading "By" is dropped from the
 * truth only (the corpora's authors sometimes copy it); an Article whose name is "By X" is wrong.
 */
export function people(names: string[], truth = false): string[] {
  return names
    .flatMap((n) => norm(n).split(PEOPLE_SEP))
    .map((p) => (truth ? p.replace(BY, '') : p).replace(/^[\s.:·•|-]+|[\s.:·•|-]+$/gu, ''))
    .filter((p) => p.length > 0);
}

const hasLower = (s: string) => s !== s.toUpperCase();

/**
 * One person matches another when the names are the same. Case counts ("Tmz Staff" is not "TMZ
 * Staff"), except where the truth itself is written in capitals: a page that prints "BY LAURIE
 * OAKES" says nothing about how the name is cased.
 */
export function samePerson(want: string, got: string): boolean {
  if (want === got) return true;
  return !hasLower(want) && want.toLowerCase() === got.toLowerCase();
}

/** Order-free: the same people, each once, nobody missing, nobody extra. */
export function bylineOutcome(want: string[] | undefined, got: string[]): Outcome | undefined {
  if (want === undefined) return undefined;
  const g = people(got);
  const w = people(want, true);
  if (w.length === 0) return g.length === 0 ? 'empty' : 'false';
  if (g.length !== w.length) return 'miss';
  const left = [...g];
  for (const p of w) {
    const i = left.findIndex((q) => samePerson(p, q));
    if (i < 0) return 'miss';
    left.splice(i, 1);
  }
  return 'hit';
}

const DAY = /^(\d{4}-\d{2}-\d{2})$/;
const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** The calendar day a produced date names: as the page wrote it when it wrote an ISO date, else UTC. */
export function producedDay(raw: string | null, iso: string | null): string | null {
  const local = raw?.trim().match(/^(\d{4}-\d{2}-\d{2})(?:[T ]|$)/);
  if (local) return local[1]!;
  return iso ? iso.slice(0, 10) : null;
}

/**
 * To the minute where the truth has a time and a zone; to the day where it has a day (or a time
 * without a zone, which names no instant). `null` truth = the page states no date.
 */
export function dateOutcome(want: string | null | undefined, got: { raw: string | null; iso: string | null }): Outcome | undefined {
  if (want === undefined) return undefined;
  if (want === null) return got.iso === null ? 'empty' : 'false';
  if (got.iso === null) return 'miss';
  if (ZONED.test(want)) {
    const w = Date.parse(want);
    const g = Date.parse(got.iso);
    return Math.floor(w / 60_000) === Math.floor(g / 60_000) ? 'hit' : 'miss';
  }
  const day = want.match(DAY)?.[1] ?? want.slice(0, 10);
  return producedDay(got.raw, got.iso) === day ? 'hit' : 'miss';
}

const IMAGE_EXT = /\.(?:jpe?g|png|gif|webp|avif|bmp|svg)/i;
// A file name that says only its size or its role names no particular picture.
const GENERIC_STEM = /^(?:\d+x\d+|\d{1,5}|image|img|photo|picture|default|original|large|medium|small|thumb(?:nail)?|full|main|master|index|hero)$/i;
// Named renditions publishers cut from one picture (NYT, CNN): the same picture at another size or crop.
const RENDITIONS = /[-_](?:articleLarge|articleInline|facebookJumbo|superJumbo|jumbo|thumbStandard|thumbLarge|master\d+|mediumThreeByTwo\d+|videoSixteenByNine\d+|horizontal-gallery|story-top|super-169|exlarge-169|large-169|medium-plus-169|full-169)(?:-v\d+)?$/i;
const SIZE_TOKENS = /(?:[-_.](?:\d{2,5}x\d{2,5}|\d{2,5}w|w\d{2,5}|h\d{2,5}|\d{2,4}px|@\dx|s\d{2,4}|large|medium|small|thumb|thumbnail|crop|cropped|scaled|resized|square|wide|hero|full)(?=$|[-_.]))+$/i;

/** The picture an image URL shows, as keys: its path without size variants, and its file's stem. */
export function pictureKeys(url: string): string[] {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [url];
  }
  let path = decodeURIComponent(u.pathname);
  // Image CDNs (Cloudflare cdn-cgi/image, thumbor, imgix proxies) carry the original's URL in the path.
  const inner = path.match(/(?:^|\/)(https?:\/{1,2}.+)$/)?.[1] ?? path.match(/\/((?:[a-z0-9-]+\.)+[a-z]{2,}\/.+)$/i)?.[1];
  if (inner) path = inner.replace(/^https?:\/{1,2}[^/]+/, '').replace(/^[^/]*\.[a-z]{2,}(?=\/)/i, '');
  path = path
    .replace(/\/thumb(\/.+)\/\d+px-[^/]+$/, '$1') // MediaWiki thumbnails
    .replace(/\/(?:size|resize|fit|crop|w|h)\/[\w,:]+(?=\/)/gi, '') // Ghost and friends: /size/w600/
    .replace(/\/\d+x\d+(?::\d+x\d+)?(?=\/)/g, '') // thumbor /0x166:2500x1572/1600x900/
    .replace(/(?:\/(?:fill|max|min|width|height|original)-[^/]*)+\/?$/i, ''); // Wagtail renditions: /images/42584/fill-1200x650/
  const file = path.split('/').pop() ?? '';
  const ext = file.search(IMAGE_EXT);
  let stem = (ext > 0 ? file.slice(0, ext) : file).replace(SIZE_TOKENS, '').replace(RENDITIONS, '');
  stem = stem.toLowerCase();
  const keys = [path.replace(/-\d+x\d+(?=\.\w+$)/, '').replace(/\/+$/, '').toLowerCase()];
  if (stem.length >= 5 && !GENERIC_STEM.test(stem)) keys.push(`stem:${stem}`);
  return keys;
}

export function samePicture(a: string, b: string): boolean {
  const ka = pictureKeys(a);
  return pictureKeys(b).some((k) => ka.includes(k));
}

/** `null` truth = the page has no lead image (a site-wide default or logo is a false image). */
export function imageOutcome(want: string | null | undefined, got: string | null): Outcome | undefined {
  if (want === undefined) return undefined;
  if (want === null) return got === null ? 'empty' : 'false';
  return got !== null && samePicture(want, got) ? 'hit' : 'miss';
}

/** Languages compare by their primary subtag: "en-US" states English. */
export function languageOutcome(want: string | undefined, got: string | null): Outcome | undefined {
  if (want === undefined) return undefined;
  const primary = (s: string) => s.trim().toLowerCase().split(/[-_]/)[0];
  return got !== null && primary(got) === primary(want) ? 'hit' : 'miss';
}

const tagKey = (s: string) => norm(s).replace(/^#/, '').toLowerCase();

/** Tags as a set, case-insensitive: the page's tags, no more and no fewer. */
export function tagsOutcome(want: string[] | undefined, got: string[]): { outcome: Outcome | undefined; f1: number } {
  if (want === undefined) return { outcome: undefined, f1: 0 };
  const w = new Set(want.map(tagKey).filter(Boolean));
  const g = new Set(got.map(tagKey).filter(Boolean));
  if (w.size === 0) return { outcome: g.size === 0 ? 'empty' : 'false', f1: g.size === 0 ? 1 : 0 };
  const common = [...w].filter((t) => g.has(t)).length;
  const f1 = common === 0 ? 0 : (2 * common) / (w.size + g.size);
  return { outcome: common === w.size && g.size === w.size ? 'hit' : 'miss', f1 };
}

/**
 * Snippets the article text must hold (or must not): those it gets wrong. Snippets the corpus
 * authors could only match in the page with whitespace ignored (Mercury joins blocks without a
 * space) are compared with all whitespace removed.
 */
export function snippetMisses(text: string, snippets: string[], mustHold: boolean, ignoringWhitespace: ReadonlySet<string> = new Set()): string[] {
  const t = norm(text);
  const bare = (s: string) => s.normalize('NFKC').replace(/\s+/gu, '');
  const tBare = ignoringWhitespace.size ? bare(text) : '';
  return snippets.filter((s) => (ignoringWhitespace.has(s) ? tBare.includes(bare(s)) : t.includes(norm(s))) !== mustHold);
}

function words(s: string): string[] {
  return s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** F1 of the two texts' word multisets: 1 when they hold the same words, 0 when none shared. */
export function textSimilarity(a: string, b: string): number {
  const wa = words(a);
  const wb = words(b);
  if (wa.length === 0 && wb.length === 0) return 1;
  if (wa.length === 0 || wb.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const w of wa) counts.set(w, (counts.get(w) ?? 0) + 1);
  let common = 0;
  for (const w of wb) {
    const n = counts.get(w) ?? 0;
    if (n > 0) {
      common++;
      counts.set(w, n - 1);
    }
  }
  const p = common / wa.length;
  const r = common / wb.length;
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}
