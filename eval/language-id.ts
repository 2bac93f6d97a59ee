// npx node eval/language-id.ts — how well src/ingest/normalize/language.ts's detectLanguage names
// a page's language from its extracted text alone, on both corpora, ignoring what the page
// declares. It gives the evidence behind MIN_LETTERS and behind keeping declarations first:
//  1. the pages whose truth states a language, on their whole text;
//  2. the pages where the known language (truth, else what the page declares) and the detector
//     on the whole text agree: the same detector on shorter and shorter slices from a third of
//     the way into the text, down to MIN_LETTERS and below;
//  3. the pages where a declaration and the text disagree, for a person to read.
import { extractPage } from '../src/ingest/page/extract.ts';
import { declaredLanguage, detectLanguage, MIN_LETTERS, toLanguage } from '../src/ingest/normalize/language.ts';
import { CORPORA, runFeedrelay } from './extract.ts';

const primary = (s: string) => s.trim().toLowerCase().split(/[-_]/)[0];
/** The same language, by primary subtag, as eval/score.ts compares them; nothing is no language. */
const same = (a: string | null, b: string | null) => a !== null && b !== null && primary(a) === primary(b);

interface Page {
  corpus: string;
  id: string;
  truth: string | null;
  known: string | null;
  text: string;
}

const pages: Page[] = Object.entries(CORPORA).flatMap(([corpus, load]) =>
  load().map((c) => {
    // What the page declares, in normalize's order, without the detector's answer.
    let declared: string | null = null;
    try {
      const feed = extractPage(c.html, c.url);
      const item = feed.items[0];
      declared = item ? declaredLanguage(item, feed.language) : toLanguage(feed.language);
    } catch {
      // the eval's three pages that fail extraction declare nothing it can read
    }
    return { corpus, id: c.id, truth: c.truth.language ?? null, known: c.truth.language ?? declared, text: runFeedrelay(c).text };
  }),
);

/** The text from a third of the way in, cut after `letters` letters. */
function slice(text: string, letters: number): string | null {
  const rest = text.slice(Math.floor(text.length / 3));
  let n = 0;
  let end = 0;
  for (const ch of rest) {
    end += ch.length;
    if (/\p{L}/u.test(ch) && ++n >= letters) return rest.slice(0, end);
  }
  return null;
}

const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}% (${a}/${b})`;

console.log(`detectLanguage alone, whole extracted text (declarations ignored):`);
let ms = 0;
let calls = 0;
for (const corpus of Object.keys(CORPORA)) {
  const withTruth = pages.filter((p) => p.corpus === corpus && p.truth);
  const wrong: string[] = [];
  for (const p of withTruth) {
    const t0 = performance.now();
    const got = detectLanguage(p.text);
    ms += performance.now() - t0;
    calls++;
    if (!same(got, p.truth)) wrong.push(`${p.id}: ${got} for ${p.truth}`);
  }
  console.log(`  ${corpus.padEnd(18)} ${pct(withTruth.length - wrong.length, withTruth.length)}${wrong.length ? `   wrong: ${wrong.join(', ')}` : ''}`);
}
console.log(`  ${(ms / calls).toFixed(2)} ms a page\n`);

const agreed = pages.filter((p) => p.text.length >= 600 && same(detectLanguage(p.text), p.known));
console.log(`slices of the ${agreed.length} pages (>= 600 characters) whose known language the whole text confirms:`);
for (const letters of [40, 60, 80, MIN_LETTERS, 150, 200, 300]) {
  let right = 0;
  let asked = 0;
  for (const p of agreed) {
    const s = slice(p.text, letters);
    if (s === null) continue;
    asked++;
    const got = detectLanguage(s, 0);
    if (same(got, p.known)) right++;
  }
  console.log(`  ${String(letters).padStart(4)} letters${letters === MIN_LETTERS ? ' (MIN_LETTERS)' : '              '}  ${pct(right, asked)}`);
}

const contradicted = pages.filter((p) => p.known && !p.truth && p.text.length >= 600).filter((p) => {
  const got = detectLanguage(p.text);
  return got !== null && p.known !== null && !same(got, p.known);
});
console.log(`\npages whose declaration the text contradicts (no truth; the declaration is kept):`);
for (const p of contradicted) console.log(`  ${p.corpus}/${p.id}: declares ${p.known}, text reads ${detectLanguage(p.text)}: ${JSON.stringify(p.text.slice(0, 70))}`);
