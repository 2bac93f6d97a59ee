// The article's language as a BCP 47 tag ("en-GB", "zh-Hant"): from whatever upstream wrote, and
// failing that, identified from the article's own text.
import { franc } from 'franc-min';
import type { RawItem } from '../format/raw.ts';

export function toLanguage(raw: string | undefined): string | null {
  if (!raw) return null;
  const tag = raw.trim().replace(/_/g, '-');
  if (!/^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i.test(tag)) return null;
  const [lang = '', ...rest] = tag.split('-');
  return [lang.toLowerCase(), ...rest.map((p) => (p.length === 2 ? p.toUpperCase() : p.length === 4 ? p[0]!.toUpperCase() + p.slice(1).toLowerCase() : p.toLowerCase()))].join('-');
}

/** What the publisher declares, first that says: the item (or its page's html[lang]), the feed,
 * og:locale. A declaration is the publisher's word and is kept over what the text suggests. */
export function declaredLanguage(item: RawItem, feedLanguage: string | undefined): string | null {
  return toLanguage(item.language) ?? toLanguage(feedLanguage) ?? toLanguage(item.page?.locale);
}

/**
 * Below this many letters the text's language is not guessed. On slices taken from the middle of
 * the corpora's articles (eval/language-id.ts), franc-min names the right language for 97% of
 * slices of 100 letters, 96% of 80 and 88% of 40, where a one-line summary would be a guess.
 */
export const MIN_LETTERS = 100;

// franc reads the first 1,024 characters, and the letters are counted in what it reads. Its cost
// grows with the sample (2.0 ms a call at 2,048 characters, 1.2 ms at 1,024, on this machine),
// and it ran for every item of a feed that declares no language: at 2,048 it was a third of
// normalizing a feed in the cluster bench. 1,024 characters hold some 800 letters, where slices
// of 300 already name the right language 99.3% of the time (eval/language-id.ts), and the whole
// texts of both corpora score the same at 1,024 as at 2,048.
const SAMPLE = 1024;
// A URL is no language, and in a Japanese or Chinese post the Latin letters of its links can
// outnumber the kana and kanji, and franc decides the script by the most letters.
const URL = /\b(?:https?:\/\/|www\.)\S+/giu;
const LETTER = /\p{L}/gu;

/**
 * The primary language (BCP 47: "en", "ja", "fil") a text is written in, identified by franc-min
 * (trigrams over the 82 languages with 8 million speakers or more), or null when the text is too
 * short to say or franc cannot tell. Only for pages and items that declare no language: a
 * declaration is the publisher's word and is kept over this guess.
 */
export function detectLanguage(text: string, minLetters = MIN_LETTERS): string | null {
  const sample = text.replace(URL, ' ').slice(0, SAMPLE);
  if ((sample.match(LETTER)?.length ?? 0) < minLetters) return null;
  const code = franc(sample, { minLength: 0 });
  if (code === 'und') return null;
  // franc answers in ISO 639-3 ("fra", "cmn"); BCP 47 takes the two-letter code where there is one.
  return toLanguage(Intl.getCanonicalLocales(code)[0]);
}
