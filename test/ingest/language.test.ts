// The article's language: declared tags tidied to BCP 47, and, where nothing declares one, the
// language identified from the article's own text (franc-min) on real pages of extraction-2.
import t from 'tap';
import { extraction2 } from '../../eval/corpora.ts';
import { runFeedrelay } from '../../eval/extract.ts';
import { detectLanguage, MIN_LETTERS, toLanguage } from '../../src/ingest/normalize/language.ts';
import { normalize } from '../../src/ingest/normalize/normalize.ts';
import type { RawItem } from '../../src/ingest/format/raw.ts';

const pages = extraction2();
const page = (id: string) => {
  const c = pages.find((p) => p.id === id);
  if (!c) throw new Error(`extraction-2 has no page ${id}`);
  return c;
};
/** The article text feedrelay extracts from a corpus page. */
const textOf = (id: string) => runFeedrelay(page(id)).text;

/** The shortest start of `text` holding `n` letters. */
function firstLetters(text: string, n: number): string {
  let seen = 0;
  let end = 0;
  for (const ch of text) {
    end += ch.length;
    if (/\p{L}/u.test(ch) && ++seen === n) break;
  }
  return text.slice(0, end);
}

t.test('declared tags are tidied to BCP 47', async (t) => {
  t.equal(toLanguage('en_us'), 'en-US');
  t.equal(toLanguage(' zh-hant-tw '), 'zh-Hant-TW');
  t.equal(toLanguage('english'), null, 'a language name is no tag');
  t.equal(toLanguage(undefined), null);
});

t.test('the language of a real article, from its text alone', async (t) => {
  // None of these three pages declares a language (no html lang, no og:locale); their truth does.
  t.equal(detectLanguage(textOf('goose-content-lefigaro')), 'fr');
  t.equal(detectLanguage(textOf('goose-content-elmondo1')), 'es');
  t.equal(detectLanguage(textOf('goose-content-donga_korean')), 'ko');
  t.equal(detectLanguage(textOf('goose-content-time')), 'en');
  t.equal(detectLanguage(textOf('traf-gipfelbuch.ch-hochaufloesung')), 'de');
  t.equal(detectLanguage(textOf('mercury-www.qdaily.com')), 'zh', "franc's Mandarin (cmn) as BCP 47 zh");
});

t.test('links do not outvote the kana and kanji of a Japanese post', async (t) => {
  // ossnews.jp lists projects with their URLs: counted as text, the Latin letters win and franc reads English.
  const text = textOf('mercury-www.ossnews.jp');
  t.match(text, /https:\/\/code\.visualstudio\.com/);
  t.equal(detectLanguage(text), 'ja');
});

t.test('a text too short to tell names no language', async (t) => {
  const french = textOf('goose-content-lefigaro');
  t.equal(detectLanguage(firstLetters(french, MIN_LETTERS - 1)), null, 'one letter short of MIN_LETTERS');
  t.equal(detectLanguage(firstLetters(french, MIN_LETTERS + 60)), 'fr');
  t.equal(detectLanguage('Merci !'), null);
  t.equal(detectLanguage(''), null);
  t.equal(detectLanguage('2024-01-01 12:00 · 1,234 · 5.6% '.repeat(40)), null, 'digits and punctuation are no language');
  t.equal(detectLanguage(`Voir https://www.example.com/${'a'.repeat(300)} et www.example.org/${'b'.repeat(300)}`), null, 'letters inside URLs do not count');
});

t.test('normalize asks the text only when nothing declares a language', async (t) => {
  // goose-content-lefigaro declares nothing: the Article takes the text's language.
  t.equal(runFeedrelay(page('goose-content-lefigaro')).language, 'fr');
  // aeb-ba07d1e64775f409 is written in German under <html lang="en">: the declaration stands.
  const german = page('aeb-ba07d1e64775f409');
  t.equal(detectLanguage(textOf(german.id)), 'de');
  t.equal(runFeedrelay(german).language, 'en');
  // The feed's language, then og:locale, also come before the text.
  const now = new Date('2030-01-01T00:00:00Z');
  const item: RawItem = { link: 'https://example.com/a', title: 'Un titre', contentHtml: `<p>${textOf('goose-content-lefigaro')}</p>`, authors: [], categories: [], media: [] };
  t.equal(normalize(item, { sourceId: 's', baseUrl: 'https://example.com/a', now }).article.language, 'fr');
  t.equal(normalize(item, { sourceId: 's', baseUrl: 'https://example.com/a', now, feedLanguage: 'en-GB' }).article.language, 'en-GB');
  t.equal(normalize({ ...item, page: { locale: 'fr_CA' } }, { sourceId: 's', baseUrl: 'https://example.com/a', now }).article.language, 'fr-CA');
  t.equal(normalize({ ...item, contentHtml: '<p>Bonjour à tous.</p>' }, { sourceId: 's', baseUrl: 'https://example.com/a', now }).article.language, null, 'too short to tell');
});
