// Extraction throughput on the real corpus pages (../shared/corpora/readability-pages):
// feedrelay's whole page step (extractPage: metadata, chrome removal, Readability; then
// normalize: content cleaning, figures, sanitize-html, tags) against raw Readability on the
// same linkedom DOM, in the same run. The figure that matters is the ratio (target >= 0.7).
// BENCH_ROUNDS (default 5) sets how many timed runs each page gets.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readability } from '@mozilla/readability';
import { parseDocument } from '../src/ingest/dom.ts';
import { extractPage } from '../src/ingest/page/extract.ts';
import { normalize } from '../src/ingest/normalize/normalize.ts';
import { corpus } from '../eval/extract.ts';

const PAGE_URL = 'http://fakehost/test/page.html';
const pages = readdirSync(corpus)
  .filter((d) => existsSync(join(corpus, d, 'source.html')))
  .map((d) => readFileSync(join(corpus, d, 'source.html'), 'utf8'));
const now = new Date('2030-01-01T00:00:00Z');
const gc = (globalThis as { gc?: () => void }).gc; // node --expose-gc (npm run bench passes it)

function raw(html: string) {
  return new Readability(parseDocument(html)).parse();
}

function feedrelay(html: string) {
  const feed = extractPage(html, PAGE_URL);
  return normalize(feed.items[0]!, { sourceId: 'bench', baseUrl: PAGE_URL, now, feedLanguage: feed.language });
}

/**
 * Each page is timed with both, alternately, `rounds` times; a page's time is its fastest run
 * (the least disturbed by GC and the rest of the machine), and a rate is pages over the sum of
 * those times. Alternating page by page exposes both to the same conditions.
 */
export function benchExtract(rounds = Number(process.env['BENCH_ROUNDS'] ?? 5)) {
  const best = { raw: pages.map(() => Infinity), ours: pages.map(() => Infinity) };
  for (const p of pages) {
    raw(p); // warm-up
    feedrelay(p);
  }
  for (let r = 0; r < rounds; r++) {
    pages.forEach((p, i) => {
      // Start each timed run on a clean heap, so that neither pays for the other's garbage.
      gc?.();
      let t0 = performance.now();
      raw(p);
      best.raw[i] = Math.min(best.raw[i]!, performance.now() - t0);
      gc?.();
      t0 = performance.now();
      feedrelay(p);
      best.ours[i] = Math.min(best.ours[i]!, performance.now() - t0);
    });
  }
  const rate = (times: number[]) => times.length / (times.reduce((a, b) => a + b, 0) / 1000);
  const base = rate(best.raw);
  const ours = rate(best.ours);
  return { pages: pages.length, rounds, rawReadabilityPerSec: base, feedrelayPerSec: ours, ratio: ours / base };
}

export function printExtract(r: ReturnType<typeof benchExtract>) {
  console.log(`extraction over ${r.pages} corpus pages (articles/s; each page's fastest of ${r.rounds} alternating runs)`);
  console.log(`  raw Readability on linkedom   ${r.rawReadabilityPerSec.toFixed(1)}`);
  console.log(`  feedrelay extract+normalize   ${r.feedrelayPerSec.toFixed(1)}`);
  console.log(`  ratio                         ${r.ratio.toFixed(2)}x   (target >= 0.70x)`);
}

if (import.meta.main) printExtract(benchExtract());
