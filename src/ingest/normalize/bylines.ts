// Who wrote it: bylines as feeds and pages give them -> the people's names, and the byline
// joined again in the article's language.
import type { Author } from '../../model/article.ts';
import type { RawItem } from '../format/raw.ts';
import { normalizeSpace } from '../text.ts';
import { absoluteUrl } from '../url.ts';
import { DATE_IN_BYLINE } from './dates.ts';
import { decodeEntities } from './entities.ts';

// Words that make a byline part a job title or desk, not a name ("Software Engineer on Google Play").
const JOB_TITLE = /\b(?:engineer|editor|reporter|correspondent|writer|columnist|contributor|producer|manager|director|officer|professor|analyst|researcher|intern|founder|president|ceo|cto|chief|head of|photographer|news|desk|team|developer|designer|scientist|lead|advocate|evangelist)s?\b/i;
// Degrees and post-nominals after a comma ("Brenda Goodman, MA").
const CREDENTIAL = /^(?:M\.?A|M\.?S|M\.?Sc|Ph\.?D|M\.?D|MBA|RN|MPH|B\.?A|B\.?Sc|J\.?D|Esq|Jr|Sr|II|III)\.?$/i;
// Labels that sit where a name should ("Follow Author", "Staff" alone, "Admin").
const NOT_A_NAME = /^(?:follow|author|authors|admin|administrator|anonymous|unknown|guest|staff|editor|posted|by|written|share)$/i;
// Honorifics a name goes on after, on the next line or after a period: "Dr.\nRainer Quitzow".
const HONORIFIC = /^(?:dr|prof|mr|mrs|ms|mme|mlle|hr|fr|dipl|ing|mag|sr|sra)\.?$/i;

const BY_ALONE = /^(?:(?:written|posted)\s+)?(?:by|von|par|por|door|di|av|af)\s*:?$/i;

/** "By" in the languages whose word it is. Elsewhere these open names and lines ("Di Maio",
 * "Door County", Swedish "Pär"), so they are a label only in their own language. */
export const LOCAL_BY_WORDS: Readonly<Record<string, string>> = { fr: 'par', es: 'por', pt: 'por', nl: 'door', it: 'di', sv: 'av', no: 'av', nb: 'av', nn: 'av', da: 'af' };
const BY_WORD = /^\s*(von|par|por|door|di|av|af)(\s*:\s*|\s+)(?=\p{L})/iu;
const localWord = (language: string | null | undefined) => (language ? LOCAL_BY_WORDS[language.toLowerCase().split(/[-_]/)[0]!] : undefined);
// The first name of a list, up to the separator splitAuthors parts names at.
const FIRST_NAME = /^[^,;|&]*?(?=\s*(?:[,;|&]|\s(?:and|und|et|y|e|en|och|og)\s)|$)/iu;

/**
 * The byline less the "by" word opening it: German "Von" (read in any language, as the page's
 * byline label is), or the local word of the byline's language. Both are particles of surnames
 * too: capitalised before a single capitalised word ("Di Maio", "Von der Leyen", "Af Klint") they
 * are the surname's, not a label. Where no language is known, a local word is a label only in
 * lower case ("por César Salza").
 */
function withoutByWord(s: string, language: string | null | undefined): string {
  const m = BY_WORD.exec(s);
  if (!m) return s;
  const word = m[1]!;
  const local = localWord(language);
  const label = word.toLowerCase() === 'von' || (local ? local === word.toLowerCase() : word === word.toLowerCase());
  return label && !surnameParticle(word, m[2]!, s.slice(m[0].length)) ? s.slice(m[0].length) : s;
}

// A desk or agency after "Von", "Par", "Por": the label's ("Von Redaktion", "Par Rédaction").
const DESK_WORD = /^(?:redaktion|redaction|rédaction|redacción|redaccion|redação|redazione|redactie|redaksjonen|redaktionen|staff|agencias?|agences?|agenturen)$/iu;

/** A capitalised particle (no colon after it) before one capitalised surname ("Maio", "der
 * Leyen"): part of the surname. Not before an agency's initials ("Von AFP", "Von dpa") or a desk. */
function surnameParticle(word: string, gap: string, rest: string): boolean {
  if (!/^\p{Lu}/u.test(word) || gap.includes(':')) return false;
  const words = (FIRST_NAME.exec(rest)?.[0] ?? rest).trim().split(/\s+/);
  while (words.length > 1 && /^\p{Ll}+$/u.test(words[0]!)) words.shift();
  return words.length === 1 && /^\p{Lu}\p{Ll}[\p{L}'’-]*$/u.test(words[0]!) && !DESK_WORD.test(words[0]!);
}

function titleCaseShouted(name: string): string {
  // "GILLIAN MOHNEY" -> "Gillian Mohney"; mixed case ("McDonald", "TMZ Staff") is kept as given.
  // A desk's name keeps its outlet's initials: "TMZ STAFF" -> "TMZ Staff", not "Tmz Staff".
  if (!/\p{Lu}/u.test(name) || /\p{Ll}/u.test(name) || !/\s/.test(name)) return name;
  const desk = /\b(?:STAFF|TEAM|DESK|NEWS|EDITORS|REDAKTION|WIRE|REPORTERS)\b/u.test(name);
  return name.replace(/[\p{L}'’]+/gu, (w) => (desk && w.length <= 4 ? w : w.slice(0, 1) + w.slice(1).toLowerCase()));
}

/**
 * "By Jane Doe and John Roe" -> [Jane Doe, John Roe]. Bylines as pages print them carry more than
 * names: the first line holds the names, later lines a desk or date; dates, times, e-mail
 * addresses, URLs, job titles, degrees and "Follow" are dropped. `language` (the page's or the
 * feed's) says whether a local "by" word ("por", "di", ...) opening the byline is a label.
 */
export function splitAuthors(raw: string, language?: string | null): string[] {
  let s = decodeEntities(raw)
    .replace(/\r/g, '')
    // Text nodes glued without a space ("Joe DavidsonWashington PostDec 13"): a new word in
    // capitals right after a lower-case run starts a new line (McDonald, DeAndre keep theirs).
    // One word alone is a handle ("AMournfulHowlInTheNight"), not glued text.
    .replace(/(?<=\p{Ll}{3})(?=\p{Lu})/gu, /\s/.test(raw.trim()) ? '\n' : '');
  const lines = s.split(/\n/).map((l) => normalizeSpace(l)).filter((l) => /\p{L}/u.test(l));
  // A label or an honorific alone on its line goes on with the name on the next: "por\nCésar Salza".
  if (lines.length > 1 && (HONORIFIC.test(lines[0]!) || BY_ALONE.test(lines[0]!))) lines.splice(0, 2, `${lines[0]} ${lines[1]}`);
  s = lines[0] ?? '';
  // "Gillman, Steve" (a directory's Family, Given: one comma, a surname and given names) is one
  // person; Dublin Core's creators are so written, the surname's particle after the given names
  // ("Jong, Michiel de": Michiel de Jong).
  const inverted = /^(\p{Lu}[\p{L}'’-]+),\s*(\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*)?)(\s+(?:de|del|de la|da|das|do|dos|della|di|van|van der|van den|von|von der|der|den|du|des|le|la|ter|ten))?$/u.exec(s.trim());
  if (inverted && !CREDENTIAL.test(inverted[2]!)) s = `${inverted[2]}${inverted[3] ?? ''} ${inverted[1]}`;
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
  s = date && /\p{L}/u.test(before) ? s.slice(0, date.index).replace(/\s+(?:on|at|in|am|le|el|il)\s*$/i, '').replace(/[\s,]+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)[\s,]*$/i, '') : s.replace(DATE_IN_BYLINE, ' ');
  s = s
    .replace(/\b(?:follow|follow author)\b\s*$/i, ' ')
    // "By", "at by", "ByTravis" (glued), "Über" (de: about the author), "Autor:", "著者:".
    .replace(/^\s*(?:über|about)\s+(?=\p{Lu})/iu, '')
    .replace(/^\s*(?:follow\s+|at\s+)?(?:(?:written|posted|reported|words|story|text)\s+)?(?:by[\s:]+|(?:autor|autorin|auteur|autore|author|автор|текст|著者|作者|筆者|文)\s*[:：]\s*|(?:投稿者|著者|作者|筆者)\s*[:：]?\s*)/iu, '')
    // Glued to the name ("ByTravis", "ByJ.R. Stone", "VonAnna Weber"), told apart by case, so
    // case-sensitively: "Byron", "Paris", "Diana" are names.
    .replace(/^\s*(?:By|BY)(?=\p{Lu}[\p{Ll}.])|^\s*Von(?=\p{Lu}\p{Ll})/u, '')
    .replace(/^\s*(Par|Por|Door)(?=\p{Lu}\p{Ll})/u, (all, word: string) => (localWord(language) === word.toLowerCase() ? '' : all));
  s = withoutByWord(s, language)
    // A desk after a slash ("Saibal Dasgupta / TNN").
    .replace(/\s+\/\s+.*$/u, '')
    .replace(/\s+(?:edited|photos?|illustrations?|additional reporting)\s+by\b.*$/i, '')
    // "Jane Doe for The Guardian": a full name, then the outlet.
    .replace(/^(\p{Lu}\S*(?:\s+\p{Lu}\S*)+)\s+(?:for|from|at|on|in)\s+\p{Lu}.*$/u, '$1');
  const parts = s
    .split(/\s*(?:,|;|\||•|·|\s&\s|\s(?:and|und|et|y|и|та|і)\s)\s*/iu)
    .map((p) => normalizeSpace(p).replace(/^[\s,;:|/–—-]+|[\s,;:|/–—-]+$/g, '').replace(/^(?:and|und|et|y)\s+/i, ''));
  const names: string[] = [];
  for (const [i, p] of parts.entries()) {
    if (p.length < 2 || !/\p{L}/u.test(p) || NOT_A_NAME.test(p) || CREDENTIAL.test(p)) continue;
    // After the first name a job title ends the list: "Andrew Hayden, Software Engineer".
    if (i > 0 && JOB_TITLE.test(p)) break;
    // An outlet's initials after the names ("…, and Tom Watkins, CNN").
    if (i > 0 && /^\p{Lu}{2,5}$/u.test(p)) continue;
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

/** The item's authors, each byline split into people; `language` as for splitAuthors. */
export function authorsOf(item: RawItem, base: string, language?: string | null): Author[] {
  const out: Author[] = [];
  const seen = new Set<string>();
  for (const a of item.authors) {
    const names = splitAuthors(a.name, language);
    const url = names.length === 1 ? absoluteUrl(a.url, base) : undefined;
    for (const name of names) {
      if (seen.has(name.toLowerCase())) continue;
      seen.add(name.toLowerCase());
      out.push({ name, ...(url && { url }) });
    }
  }
  return out;
}
