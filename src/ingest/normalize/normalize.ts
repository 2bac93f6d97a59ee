// RawItem -> Article. Pure: everything it needs comes in as arguments (including "now").
import { createHash } from 'node:crypto';
import type { Article, Author, Image, Tag } from '../../model/article.ts';
import type { RawItem } from '../format/raw.ts';
import { cleanContent, imageKey, isNotImage } from '../content/clean.ts';
import { countWords, normalizeSpace, summarize } from '../text.ts';
import { slugify } from '../../lib/slugify.ts';
import { IngestError } from '../errors.ts';

export interface NormalizeContext {
  sourceId: string;
  /** Where the item came from: relative links resolve against it. */
  baseUrl: string;
  now: Date;
  feedLanguage?: string | undefined;
  tagRules?: Record<string, string[]>;
  timezone?: string | undefined;
  maxTags?: number;
}

export interface Normalized {
  article: Article;
  /** False when upstream gave no usable date and publishedAt is the time first seen. */
  dated: boolean;
  /** Set when a date was in the future and clamped to now. */
  clampedFrom?: string;
}

// Platform defaults that say nothing about a post.
const NON_TAGS = new Set(['uncategorized', 'uncategorised', 'general', 'blog', 'non classe', 'sans categorie', 'sin categoria', 'senza categoria', 'sem categoria', 'allgemein', 'unkategorisiert', 'bez rubriki', 'bez kategorii', 'sanatsyz']);
/** The title of an item upstream gave none: Atom and RSS readers need some text to show. */
export const UNTITLED = '(untitled)';
// WordPress (and Yoast) append "The post <title> appeared first on <site>." to feed excerpts.
const FEED_FOOTER = /\s*The post .{1,400}? appeared first on .{1,200}?\.?\s*$/s;
const FUTURE_SKEW_MS = 5 * 60 * 1000;
const TRACKING_PARAMS = /^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|_ga|yclid|igshid|ref_src|wt_mc)$/i;

/** The URL that identifies an article: tracking parameters and fragments dropped. */
export function canonicalUrl(url: string): string {
  try {
    const u = new URL(url);
    u.hash = '';
    for (const [k, v] of [...u.searchParams.entries()]) {
      // Medium tags feed links with source=rss-...; elsewhere "source" may be meaningful.
      if (TRACKING_PARAMS.test(k) || (k === 'source' && /^rss\b/.test(v))) u.searchParams.delete(k);
    }
    u.hostname = u.hostname.toLowerCase();
    return u.href;
  } catch {
    return url;
  }
}

/** Stable across restarts and re-fetches: derived from the canonical URL, else from the guid. */
export function articleId(sourceId: string, url: string | undefined, guid: string | undefined): string {
  const key = url ? `url:${canonicalUrl(url)}` : `guid:${sourceId}:${guid}`;
  return createHash('sha256').update(key).digest('hex').slice(0, 24);
}

function absoluteUrl(url: string | undefined, base: string): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url.trim(), base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

function decodeEntities(s: string): string {
  // Titles in RSS are text that may still hold HTML (Atom type="html", double-encoded feeds):
  // strip tags and decode entities exactly once.
  return s
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp|hellip|ndash|mdash|lsquo|rsquo|ldquo|rdquo);/gi, (m, e: string) => {
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', hellip: '…', ndash: '–', mdash: '—', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”' };
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
      }
      return named[e.toLowerCase()] ?? m;
    });
}

/** Offset of `timeZone` from UTC at `date`, in minutes. */
function zoneOffset(date: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(date);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - date.getTime()) / 60000);
}

export function parseDate(raw: string | undefined, timezone = 'UTC'): Date | undefined {
  if (!raw || !raw.trim()) return undefined;
  const s = raw.trim();
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return undefined;
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2}|\b(?:GMT|UTC|UT|[ECMP][SD]T)|[+-]\d{4})$/i.test(s);
  if (hasZone) return d;
  // Without a zone, Date read the wall clock as local time (a bare date as UTC): take that wall
  // clock and read it in the source's zone instead.
  const wall = /^\d{4}-\d{2}-\d{2}$/.test(s)
    ? d.getTime()
    : Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds());
  return new Date(wall - zoneOffset(new Date(wall), timezone) * 60000);
}

const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?';
// A date or time inside a byline ("By Nathan Willis March 25, 2015", "2/26/2015 7:11 AM PST").
const DATE_IN_BYLINE = new RegExp(
  [
    `\\b${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}`,
    `\\b\\d{1,2}\\s+${MONTH},?\\s+\\d{4}`,
    '\\b\\d{1,4}[/.-]\\d{1,2}[/.-]\\d{2,4}',
    '\\b\\d{1,2}:\\d{2}(?::\\d{2})?\\s*(?:[ap]\\.?m\\.?)?(?:\\s*[A-Z]{2,4}\\b)?',
    '\\b(?:updated|published|posted)\\b(?!\\s+by\\b).*$',
    '\\b\\d+\\s+(?:minutes?|hours?|days?)\\s+ago\\b',
  ].join('|'),
  'gi',
);
// Words that make a byline part a job title or desk, not a name ("Software Engineer on Google Play").
const JOB_TITLE = /\b(?:engineer|editor|reporter|correspondent|writer|columnist|contributor|producer|manager|director|officer|professor|analyst|researcher|intern|founder|president|ceo|cto|chief|head of|photographer|news|desk|team|developer|designer|scientist|lead|advocate|evangelist)s?\b/i;
// Degrees and post-nominals after a comma ("Brenda Goodman, MA").
const CREDENTIAL = /^(?:M\.?A|M\.?S|M\.?Sc|Ph\.?D|M\.?D|MBA|RN|MPH|B\.?A|B\.?Sc|J\.?D|Esq|Jr|Sr|II|III)\.?$/i;
// Labels that sit where a name should ("Follow Author", "Staff" alone, "Admin").
const NOT_A_NAME = /^(?:follow|author|authors|admin|administrator|anonymous|unknown|guest|staff|editor|posted|by|written|share|个人|個人)$/i;

function titleCaseShouted(name: string): string {
  // "GILLIAN MOHNEY" -> "Gillian Mohney"; mixed case ("McDonald", "TMZ Staff") is kept as given.
  if (!/\p{Lu}/u.test(name) || /\p{Ll}/u.test(name) || !/\s/.test(name)) return name;
  return name.toLowerCase().replace(/(^|[\s'’-])(\p{Ll})/gu, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

/**
 * "By Jane Doe and John Roe" -> [Jane Doe, John Roe]. Bylines as pages print them carry more than
 * names: the first line holds the names, later lines a desk or date; dates, times, e-mail
 * addresses, URLs, job titles, degrees and "Follow" are dropped.
 */
export function splitAuthors(raw: string): string[] {
  let s = decodeEntities(raw).replace(/\r/g, '');
  const lines = s.split(/\n/).map((l) => normalizeSpace(l)).filter((l) => /\p{L}/u.test(l));
  s = lines[0] ?? '';
  const paren = /^\S+@\S+\s*\(([^)]+)\)$/.exec(s.trim()); // RSS <author>: "email (Name)"
  if (paren) s = paren[1]!;
  s = s
    .replace(/\S+@\S+\.\S+/g, ' ')
    .replace(/(?:https?:\/\/|www\.)[^\s)]+/g, ' ')
    .replace(/(?<!\S)@\w+/g, ' ') // social handles
    .replace(/^\s*follow\b(?!\s+(?:by|author)\b)/i, ' ')
    .replace(/\(\s*\)/g, ' ')
    // "Posted on Tuesday 15 October 2019 at 09:11 by Bradley M. Kuhn."
    .replace(/^.*?\b(?:posted|written|published)\b.*?\sby\s+(?=\p{Lu})/iu, '');
  // A date after the names ends them ("Albert on 2019-02-15, all posts"); one before them
  // ("2/26/2015 7:11 AM PST BY TMZ STAFF") is only removed.
  DATE_IN_BYLINE.lastIndex = 0;
  const date = DATE_IN_BYLINE.exec(s);
  const before = date ? s.slice(0, date.index).replace(/^\s*(?:(?:posted|written|published|updated)\s+)?(?:on\s+)?(?:by\s+)?(?:\p{L}+day,?\s*)?/iu, '') : '';
  s = date && /\p{L}/u.test(before) ? s.slice(0, date.index).replace(/\s+(?:on|at|in|am|le|el|il)\s*$/i, '') : s.replace(DATE_IN_BYLINE, ' ');
  s = s
    .replace(/\b(?:follow|follow author)\b\s*$/i, ' ')
    .replace(/^\s*(?:follow\s+)?(?:(?:written|posted|reported|words|story|text)\s+)?(?:by|par|von|por|di|door|av|af|автор:?|текст:?)[\s:]+/i, '')
    .replace(/\s+(?:edited|photos?|illustrations?|additional reporting)\s+by\b.*$/i, '')
    // "Jane Doe for The Guardian": a full name, then the outlet.
    .replace(/^(\p{Lu}\S*(?:\s+\p{Lu}\S*)+)\s+(?:for|from|at|on)\s+\p{Lu}.*$/u, '$1');
  const parts = s
    .split(/\s*(?:,|;|\||•|·|\s&\s|\s(?:and|und|et|y|и|та|і)\s)\s*/iu)
    .map((p) => normalizeSpace(p).replace(/^[\s,;:|/–—-]+|[\s,;:|/–—-]+$/g, ''));
  const names: string[] = [];
  for (const [i, p] of parts.entries()) {
    if (p.length < 2 || !/\p{L}/u.test(p) || NOT_A_NAME.test(p) || CREDENTIAL.test(p)) continue;
    // After the first name a job title ends the list: "Andrew Hayden, Software Engineer".
    if (i > 0 && JOB_TITLE.test(p)) break;
    names.push(titleCaseShouted(p.replace(/(?<=\p{Ll}{2})\.$/u, '')));
  }
  return names;
}

// "A, B and C" in the article's language.
const AND: Record<string, string> = { ru: 'и', uk: 'і', kk: 'және', de: 'und', fr: 'et', es: 'y', it: 'e', pt: 'e', nl: 'en', pl: 'i', tr: 've' };

export function formatByline(names: string[], language?: string | null): string | null {
  if (names.length === 0) return null;
  if (names.length === 1) return names[0]!;
  const and = AND[(language ?? '').split('-')[0]!.toLowerCase()] ?? 'and';
  return `${names.slice(0, -1).join(', ')} ${and} ${names[names.length - 1]}`;
}

function authorsOf(item: RawItem, base: string): Author[] {
  const out: Author[] = [];
  const seen = new Set<string>();
  for (const a of item.authors) {
    const names = splitAuthors(a.name);
    const url = names.length === 1 ? absoluteUrl(a.url, base) : undefined;
    for (const name of names) {
      if (seen.has(name.toLowerCase())) continue;
      seen.add(name.toLowerCase());
      out.push({ name, ...(url && { url }) });
    }
  }
  return out;
}

/** Singular, accent- and case-free key: tags differing only in these merge. */
function tagKey(label: string): string {
  const slug = slugify(label);
  return slug.replace(/(?<=[a-z]{3})(?:ies)$/, 'y').replace(/(?<=[a-z]{3}[^s])s$/, '');
}

export function tagsOf(item: RawItem, text: string, title: string, rules: Record<string, string[]>, max: number): Tag[] {
  const out: Tag[] = [];
  const keys = new Set<string>();
  // A rule's words are aliases of its label: a category "ОДКБ" under the rule
  // CSTO: [ОДКБ, Collective Security Treaty Organization] is the tag CSTO.
  const aliases = new Map<string, string>();
  for (const [label, words] of Object.entries(rules)) for (const w of words) aliases.set(tagKey(w), label);
  const add = (raw: string) => {
    const label = aliases.get(tagKey(normalizeSpace(decodeEntities(raw)))) ?? raw;
    const clean = normalizeSpace(decodeEntities(label));
    const slug = slugify(clean);
    // Ghost's internal tags start with "#" and are never shown to readers.
    if (!clean || !slug || clean.startsWith('#') || NON_TAGS.has(slug.replace(/-/g, ' '))) return;
    const key = tagKey(clean);
    if (keys.has(key) || out.some((t) => t.slug === slug)) return;
    keys.add(key);
    out.push({ label: clean, slug });
  };
  item.categories.forEach(add);
  const haystack = `${title}\n${text}`;
  for (const [label, words] of Object.entries(rules)) {
    const hit = words.some((w) => new RegExp(`(?<![\\p{L}\\p{N}])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+')}(?![\\p{L}\\p{N}])`, 'iu').test(haystack));
    if (hit) add(label);
  }
  return out.slice(0, max);
}

function toLanguage(raw: string | undefined): string | null {
  if (!raw) return null;
  const tag = raw.trim().replace(/_/g, '-');
  if (!/^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i.test(tag)) return null;
  const [lang, ...rest] = tag.split('-');
  return [lang!.toLowerCase(), ...rest.map((p) => (p.length === 2 ? p.toUpperCase() : p.length === 4 ? p[0]!.toUpperCase() + p.slice(1).toLowerCase() : p.toLowerCase()))].join('-');
}

/** Media RSS / enclosures / JSON Feed images that are pictures, not avatars or pixels. */
function mediaImages(item: RawItem, base: string): Array<Image & { thumbnail: boolean }> {
  const out: Array<Image & { thumbnail: boolean }> = [];
  for (const m of item.media) {
    const isImage = m.medium === 'image' || (m.type ?? '').startsWith('image/') || (!m.medium && !m.type && /\.(jpe?g|png|gif|webp|avif)(\?|$)/i.test(m.url));
    const url = absoluteUrl(m.url, base);
    if (!isImage || !url || isNotImage(url)) continue;
    if ((m.width !== undefined && m.width <= 2) || (m.height !== undefined && m.height <= 2)) continue;
    const caption = m.description ? normalizeSpace(decodeEntities(m.description)) : undefined;
    out.push({ url, ...(caption && { caption }), thumbnail: m.thumbnail === true });
  }
  return out;
}

export function normalize(item: RawItem, ctx: NormalizeContext): Normalized {
  const found = absoluteUrl(item.link, ctx.baseUrl) ?? absoluteUrl(item.guid, ctx.baseUrl);
  // Readers get the link without utm_* and other tracking parameters.
  const url = found && canonicalUrl(found);
  if (!url) throw new IngestError('normalize', 'malformed', `item ${JSON.stringify(item.guid ?? item.title ?? '')} has no usable link`);
  const guid = item.guid?.trim() || url;
  const title = normalizeSpace(decodeEntities(item.title ?? '')) || UNTITLED;

  const body = item.contentHtml ?? item.summaryHtml ?? '';
  const content = cleanContent(body, url, title);
  const figures: Image[] = [...content.figures];
  const keys = new Set([...figures.map((f) => imageKey(f.url)), ...content.aliases]);
  let lead: Image | null = figures[0] ?? null;
  for (const m of mediaImages(item, url)) {
    const key = imageKey(m.url);
    if (keys.has(key)) {
      // The feed's media caption fills in one the content lacks.
      const f = figures.find((x) => imageKey(x.url) === key);
      if (f && !f.caption && m.caption) f.caption = m.caption;
      continue;
    }
    keys.add(key);
    const { thumbnail, ...img } = m;
    if (thumbnail) lead ??= img;
    else figures.push(img);
  }
  lead ??= figures[0] ?? (item.page?.leadImage ? { url: item.page.leadImage.url, ...(item.page.leadImage.alt && { alt: item.page.leadImage.alt }) } : null);

  const tz = ctx.timezone ?? 'UTC';
  let published = parseDate(item.published, tz);
  let updated = parseDate(item.updated, tz);
  const dated = published !== undefined || updated !== undefined;
  const limit = ctx.now.getTime() + FUTURE_SKEW_MS;
  let clampedFrom: string | undefined;
  if (published && published.getTime() > limit) {
    clampedFrom = published.toISOString();
    published = ctx.now;
  }
  if (updated && updated.getTime() > limit) updated = ctx.now;
  published ??= updated ?? ctx.now;
  if (!updated || updated < published) updated = published;

  const summarySource = (item.summaryHtml ? cleanContent(item.summaryHtml, url).storyText : content.storyText).replace(FEED_FOOTER, '');
  const authors = authorsOf(item, url);
  const language = toLanguage(item.language) ?? toLanguage(ctx.feedLanguage) ?? toLanguage(item.page?.locale);
  const article: Article = {
    id: articleId(ctx.sourceId, url, guid),
    sourceId: ctx.sourceId,
    url,
    guid,
    title,
    byline: formatByline(authors.map((a) => a.name), language),
    authors,
    publishedAt: published.toISOString(),
    updatedAt: updated.toISOString(),
    summary: summarize(summarySource || content.storyText || content.text),
    contentHtml: content.html,
    contentText: content.text,
    image: lead,
    figures,
    // Stored generously; each feed shows its own maxTags (default 10).
    tags: tagsOf(item, content.text, title, ctx.tagRules ?? {}, ctx.maxTags ?? 30),
    language,
    wordCount: countWords(content.text),
  };
  return { article, dated, ...(clampedFrom && { clampedFrom }) };
}
