// npm run eval:extract — runs feedrelay's page pipeline (extractPage -> normalize, exactly what a
// cycle runs for an HTML source) over real pages written by others and prints, per field, how
// often the Article is right. Expected values come from Readability's own metadata in the corpus,
// corrected by the hand-checked truth file beside this script where Readability is wrong.
//
//   npm run eval:extract [-- --verbose] [-- --json]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseHTML } from 'linkedom';
import { extractPage } from '../src/ingest/page/extract.ts';
import { normalize, UNTITLED } from '../src/ingest/normalize/normalize.ts';
import { imageKey } from '../src/ingest/content/images.ts';
import { normalizeSpace } from '../src/ingest/text.ts';

const here = import.meta.dirname;
export const corpus = resolve(process.env.FEEDRELAY_CORPORA ?? join(here, '../../shared/corpora'), 'readability-pages');
const truthFile = join(here, 'extract-truth.json');
// The URL Readability's own tests load every page as; its expected.html is resolved against it.
const PAGE_URL = 'http://fakehost/test/page.html';

interface Truth {
  title?: string;
  /** Names of the people (or, failing any, the organisation) the page credits. [] = names nobody. */
  authors?: string[];
  /** ISO date-time the page states it was published; null = states none. */
  published?: string | null;
  /** URL of the lead image; null = none. */
  image?: string | null;
  why: string;
}

const truth: Record<string, Truth> = existsSync(truthFile) ? JSON.parse(readFileSync(truthFile, 'utf8')).pages : {};

const key = (s: string) => normalizeSpace(s.normalize('NFKC')).toLowerCase().replace(/[‘’`]/g, "'").replace(/[“”]/g, '"').replace(/[–—]/g, '-');

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

export interface Row {
  page: string;
  title: boolean;
  byline: boolean | null;
  date: boolean | null;
  image: boolean | null;
  similarity: number;
  got: { title: string; authors: string[]; published: string | null; image: string | null };
  want: { title: string; authors: string[] | null; published: string | null; image: string | null };
  error?: string;
}

function firstImage(html: string): string | null {
  const { document } = parseHTML(`<html><body>${html}</body></html>`);
  for (const img of Array.from(document.querySelectorAll('img'))) {
    const src = (img as { getAttribute(n: string): string | null }).getAttribute('src');
    if (src && !src.startsWith('data:')) return new URL(src, PAGE_URL).href;
  }
  return null;
}

function evalPage(name: string): Row {
  const dir = join(corpus, name);
  const html = readFileSync(join(dir, 'source.html'), 'utf8');
  const meta = JSON.parse(readFileSync(join(dir, 'expected-metadata.json'), 'utf8'));
  const expectedHtml = readFileSync(join(dir, 'expected.html'), 'utf8');
  const t = truth[name];
  const want = {
    title: t?.title ?? meta.title ?? '',
    authors: t?.authors ?? (meta.byline ? [normalizeSpace(meta.byline)] : null),
    published: t && 'published' in t ? (t.published ?? null) : (meta.publishedTime ?? null),
    image: t && 'image' in t ? (t.image ?? null) : firstImage(expectedHtml),
  };
  const expectedText = parseHTML(`<html><body>${expectedHtml}</body></html>`).document.body.textContent ?? '';
  const row: Row = { page: name, title: false, byline: null, date: null, image: null, similarity: 0, got: { title: '', authors: [], published: null, image: null }, want };
  try {
    const feed = extractPage(html, PAGE_URL);
    const item = feed.items[0]!;
    const { article } = normalize(item, { sourceId: 'eval', baseUrl: PAGE_URL, now: new Date('2030-01-01T00:00:00Z'), feedLanguage: feed.language });
    const published = item.published ? article.publishedAt : null;
    row.got = { title: article.title, authors: article.authors.map((a) => a.name), published, image: article.image?.url ?? null };
    row.title = key(article.title === UNTITLED ? '' : article.title) === key(want.title);
    if (want.authors && want.authors.length) row.byline = key(row.got.authors.join(', ')) === key(want.authors.join(', '));
    if (want.published) {
      // A bare day matches any instant that is that day somewhere on Earth (UTC-12 to UTC+14).
      const day = /^\d{4}-\d{2}-\d{2}$/.test(want.published);
      const w = Date.parse(want.published);
      const g = published === null ? NaN : Date.parse(published);
      row.date = day ? g >= w - 14 * 3600_000 && g < w + 36 * 3600_000 : Math.abs(g - w) < 60_000;
    }
    if (want.image) row.image = row.got.image !== null && imageKey(row.got.image) === imageKey(want.image);
    else row.image = row.got.image === null ? true : null; // an extra image where none is expected is not scored
    row.similarity = textSimilarity(article.contentText, expectedText);
  } catch (err) {
    row.error = (err as Error).message;
  }
  return row;
}

export function runEval() {
  const pages = readdirSync(corpus, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(corpus, d.name, 'source.html')))
    .map((d) => d.name)
    .sort();
  const rows = pages.map(evalPage);
  const scored = (f: (r: Row) => boolean | null) => {
    const s = rows.map(f).filter((v): v is boolean => v !== null);
    return { ok: s.filter(Boolean).length, of: s.length };
  };
  const sims = rows.map((r) => r.similarity).sort((a, b) => a - b);
  const summary = {
    pages: rows.length,
    errors: rows.filter((r) => r.error).length,
    title: scored((r) => r.title),
    byline: scored((r) => r.byline),
    published: scored((r) => r.date),
    leadImage: scored((r) => r.image),
    textSimilarity: { ok: rows.filter((r) => r.similarity >= 0.9).length, of: rows.length, median: sims[Math.floor(sims.length / 2)] ?? 0 },
  };
  return { summary, rows };
}

const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`);

if (import.meta.main) {
  const verbose = process.argv.includes('--verbose');
  const asJson = process.argv.includes('--json');
  const { summary, rows } = runEval();
  if (asJson) {
    console.log(JSON.stringify({ summary, rows }, null, 2));
  } else {
    if (verbose) {
      for (const r of rows) {
        const bad = [
          !r.title && `title: got ${JSON.stringify(r.got.title)} want ${JSON.stringify(r.want.title)}`,
          r.byline === false && `byline: got ${JSON.stringify(r.got.authors)} want ${JSON.stringify(r.want.authors)}`,
          r.date === false && `date: got ${r.got.published} want ${r.want.published}`,
          r.image === false && `image: got ${r.got.image} want ${r.want.image}`,
          r.similarity < 0.9 && `text similarity ${r.similarity.toFixed(3)}`,
          r.error && `error: ${r.error}`,
        ].filter(Boolean);
        if (bad.length) console.log(`${r.page}\n  ${bad.join('\n  ')}`);
      }
      console.log('');
    }
    console.log(`feedrelay extraction over ${corpus} (${summary.pages} pages, ${summary.errors} errors)`);
    console.log(`  title            ${pct(summary.title.ok, summary.title.of).padStart(6)}  (${summary.title.ok}/${summary.title.of})   target 98%`);
    console.log(`  byline           ${pct(summary.byline.ok, summary.byline.of).padStart(6)}  (${summary.byline.ok}/${summary.byline.of} pages that name an author)   target 95%`);
    console.log(`  published date   ${pct(summary.published.ok, summary.published.of).padStart(6)}  (${summary.published.ok}/${summary.published.of} pages that state one)   target 95%`);
    console.log(`  lead image       ${pct(summary.leadImage.ok, summary.leadImage.of).padStart(6)}  (${summary.leadImage.ok}/${summary.leadImage.of})`);
    console.log(`  text sim >= 0.9  ${pct(summary.textSimilarity.ok, summary.textSimilarity.of).padStart(6)}  (${summary.textSimilarity.ok}/${summary.textSimilarity.of}; median ${summary.textSimilarity.median?.toFixed(3)})   target 90%`);
  }
}
