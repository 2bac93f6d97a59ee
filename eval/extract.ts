// npm run eval:extract — runs feedrelay's page pipeline (extractPage -> normalize, exactly what a
// cycle runs for an HTML source) over real pages written by others, on two corpora, and prints
// per corpus and per field how often the Article is right, beside plain Readability on the same
// page as a baseline. Scoring rules: eval/score.ts. Truth: eval/corpora.ts.
//
//   npm run eval:extract [-- --verbose] [-- --json] [-- --no-baseline] [-- --corpus extraction-2] [-- --floors]
import { join } from 'node:path';
import { parseDocument } from '../src/ingest/dom.ts';
import { Readability } from '@mozilla/readability';
import { extractPage } from '../src/ingest/page/extract.ts';
import { normalize, UNTITLED } from '../src/ingest/normalize/normalize.ts';
import { corporaRoot, extraction2, readabilityPages, type Case } from './corpora.ts';
import {
  bylineOutcome,
  dateOutcome,
  imageOutcome,
  languageOutcome,
  people,
  snippetMisses,
  tagsOutcome,
  textSimilarity,
  titleOutcome,
  type Outcome,
} from './score.ts';

export { textSimilarity };
/** The Readability pages' folder (bench/extract.ts times extraction over them). */
export const corpus = join(corporaRoot(), 'readability-pages');

/** What one extractor produced for a page. */
export interface Produced {
  title: string | null;
  authors: string[];
  /** The date as the page stated it, and as an instant; both null when no date was stated. */
  published: { raw: string | null; iso: string | null };
  image: string | null;
  language: string | null;
  tags: string[];
  text: string;
  error?: string;
}

export const FIELDS = ['title', 'byline', 'date', 'image', 'language', 'tags', 'mustInclude', 'mustExclude', 'text'] as const;
export type Field = (typeof FIELDS)[number];

export interface Scored {
  outcomes: Partial<Record<Field, Outcome>>;
  /** Why each miss is one: got vs want. */
  misses: Partial<Record<Field, string>>;
  similarity: number | null;
  tagF1: number | null;
}

export interface Row {
  corpus: string;
  page: string;
  feedrelay: Produced & Scored;
  readability?: Produced & Scored;
}

const NOW = new Date('2030-01-01T00:00:00Z');

export function runFeedrelay(c: Case): Produced {
  try {
    const feed = extractPage(c.html, c.url);
    const item = feed.items[0]!;
    const { article, dated } = normalize(item, { sourceId: 'eval', baseUrl: c.url, now: NOW, feedLanguage: feed.language });
    return {
      title: article.title === UNTITLED ? null : article.title,
      authors: article.authors.map((a) => a.name),
      // publishedAt is the fetch time when the page states no date; `dated` says which it is.
      published: dated ? { raw: item.published ?? item.updated ?? null, iso: article.publishedAt } : { raw: null, iso: null },
      image: article.image?.url ?? null,
      language: article.language,
      tags: article.tags.map((t) => t.label),
      text: article.contentText,
    };
  } catch (err) {
    return { ...nothing(), error: (err as Error).message };
  }
}

const nothing = (): Produced => ({ title: null, authors: [], published: { raw: null, iso: null }, image: null, language: null, tags: [], text: '' });

/** Plain Readability on linkedom, as a caller with no feedrelay would use it; the lead image is og:image. */
export function runReadability(c: Case): Produced {
  try {
    const document = parseDocument(c.html);
    const og = document.documentElement.querySelector('meta[property="og:image"]')?.getAttribute('content')?.trim() || null;
    Object.defineProperty(document, 'baseURI', { value: c.url, configurable: true });
    Object.defineProperty(document, 'documentURI', { value: c.url, configurable: true });
    const r = new Readability(document).parse();
    let image: string | null = null;
    try {
      image = og ? new URL(og, c.url).href : null;
    } catch {
      /* an unparsable og:image is no image */
    }
    const stated = r?.publishedTime ?? null;
    const iso = stated && !Number.isNaN(Date.parse(stated)) ? new Date(stated).toISOString() : null;
    return {
      title: r?.title?.trim() || null,
      authors: r?.byline ? [r.byline] : [],
      published: { raw: iso ? stated : null, iso },
      image,
      language: r?.lang ?? null,
      tags: [],
      text: r?.textContent ?? '',
    };
  } catch (err) {
    return { ...nothing(), error: (err as Error).message };
  }
}

const show = (v: unknown) => JSON.stringify(v);

export function score(c: Case, got: Produced): Scored {
  const t = c.truth;
  const outcomes: Scored['outcomes'] = {};
  const misses: Scored['misses'] = {};
  const put = (f: Field, o: Outcome | undefined, why: () => string) => {
    if (o === undefined) return;
    outcomes[f] = o;
    if (o === 'miss' || o === 'false') misses[f] = why();
  };
  put('title', titleOutcome(t.title, got.title), () => `got ${show(got.title)} want ${show(t.title)}`);
  put('byline', bylineOutcome(t.authors, got.authors), () => `got ${show(people(got.authors))} want ${show(people(t.authors ?? [], true))}`);
  put('date', dateOutcome(t.published, got.published), () => `got ${got.published.iso} (${show(got.published.raw)}) want ${t.published}`);
  put('image', imageOutcome(t.image, got.image), () => `got ${got.image} want ${t.image}`);
  put('language', languageOutcome(t.language, got.language), () => `got ${got.language} want ${t.language}`);
  const tags = tagsOutcome(t.tags, got.tags);
  put('tags', tags.outcome, () => `got ${show(got.tags)} want ${show(t.tags)}`);
  const loose = new Set(t.ignoringWhitespace ?? []);
  if (t.mustInclude.length) {
    const lost = snippetMisses(got.text, t.mustInclude, true, loose);
    put('mustInclude', lost.length ? 'miss' : 'hit', () => `lost ${lost.length}/${t.mustInclude.length}: ${lost.map((s) => show(s.slice(0, 90))).join(' | ')}`);
  }
  if (t.mustExclude.length) {
    const kept = snippetMisses(got.text, t.mustExclude, false, loose);
    put('mustExclude', kept.length ? 'miss' : 'hit', () => `kept ${kept.length}/${t.mustExclude.length}: ${kept.map((s) => show(s.slice(0, 90))).join(' | ')}`);
  }
  let similarity: number | null = null;
  if (t.text !== undefined) {
    const sim = textSimilarity(got.text, t.text);
    similarity = sim;
    put('text', sim >= 0.9 ? 'hit' : 'miss', () => `text similarity ${sim.toFixed(3)}`);
  }
  return { outcomes, misses, similarity, tagF1: t.tags ? tags.f1 : null };
}

export interface Tally {
  hit: number;
  miss: number;
  false: number;
  empty: number;
}

export interface CorpusSummary {
  corpus: string;
  pages: number;
  errors: number;
  fields: Record<Field, Tally>;
  baseline?: Record<Field, Tally>;
  disputedMisses: Partial<Record<Field, number>>;
  medianSimilarity: number | null;
  meanTagF1: number | null;
}

const tally = (rows: Scored[], f: Field): Tally => {
  const t: Tally = { hit: 0, miss: 0, false: 0, empty: 0 };
  for (const r of rows) {
    const o = r.outcomes[f];
    if (o) t[o]++;
  }
  return t;
};

const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : null);
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

export function summarize(corpus: string, cases: Case[], rows: Row[]): CorpusSummary {
  const fr = rows.map((r) => r.feedrelay);
  const fields = Object.fromEntries(FIELDS.map((f) => [f, tally(fr, f)])) as Record<Field, Tally>;
  const disputedMisses: CorpusSummary['disputedMisses'] = {};
  rows.forEach((r, i) => {
    for (const f of Object.keys(r.feedrelay.misses) as Field[]) if (cases[i]!.disputed[f]) disputedMisses[f] = (disputedMisses[f] ?? 0) + 1;
  });
  const out: CorpusSummary = {
    corpus,
    pages: rows.length,
    errors: fr.filter((r) => r.error).length,
    fields,
    disputedMisses,
    medianSimilarity: median(fr.map((r) => r.similarity).filter((s): s is number => s !== null)),
    meanTagF1: mean(fr.map((r) => r.tagF1).filter((s): s is number => s !== null)),
  };
  if (rows.every((r) => r.readability)) {
    out.baseline = Object.fromEntries(FIELDS.map((f) => [f, tally(rows.flatMap((r) => (r.readability ? [r.readability] : [])), f)])) as Record<Field, Tally>;
  }
  return out;
}

export const CORPORA: Record<string, (root?: string) => Case[]> = { 'readability-pages': readabilityPages, 'extraction-2': extraction2 };

export function evalCorpus(name: string, opts: { baseline?: boolean; root?: string } = {}) {
  const cases = CORPORA[name]!(opts.root);
  const rows: Row[] = cases.map((c) => {
    const f = runFeedrelay(c);
    const row: Row = { corpus: name, page: c.id, feedrelay: { ...f, ...score(c, f) } };
    if (opts.baseline) {
      const r = runReadability(c);
      row.readability = { ...r, ...score(c, r) };
    }
    return row;
  });
  return { cases, rows, summary: summarize(name, cases, rows) };
}

/** The share of pages stating a value that got it right. */
export const rate = (t: Tally) => (t.hit + t.miss === 0 ? null : t.hit / (t.hit + t.miss));
/** The share of pages asserting no value that got one anyway. */
export const falseRate = (t: Tally) => (t.false + t.empty === 0 ? null : t.false / (t.false + t.empty));

const pct = (x: number | null) => (x === null ? '   n/a' : `${(100 * x).toFixed(1)}%`.padStart(6));
const LABEL: Record<Field, string> = {
  title: 'title',
  byline: 'byline',
  date: 'published date',
  image: 'lead image',
  language: 'language',
  tags: 'tags (as a set)',
  mustInclude: 'must-include kept',
  mustExclude: 'must-exclude left out',
  text: 'text sim >= 0.9',
};
// Fields where "the page has none" is a statement the truth makes, and producing one is an error.
const ABSENT_NAME: Partial<Record<Field, string>> = { title: 'false titles', byline: 'false bylines', date: 'false dates', image: 'false images', tags: 'false tags' };

function cell(t: Tally, f: Field): string {
  const main = `${pct(rate(t))} ${`(${t.hit}/${t.hit + t.miss})`.padEnd(10)}`;
  const absent = t.false + t.empty;
  const extra = ABSENT_NAME[f] && absent ? `${ABSENT_NAME[f]} ${t.false}/${absent}` : '';
  return `${main} ${extra.padEnd(20)}`;
}

export function report(s: CorpusSummary): string {
  const lines = [`${s.corpus}: ${s.pages} pages, ${s.errors} extraction errors`];
  lines.push(`  ${'field'.padEnd(22)} ${'feedrelay'.padEnd(38)} ${s.baseline ? 'readability alone' : ''}`);
  for (const f of FIELDS) {
    const t = s.fields[f];
    if (t.hit + t.miss + t.false + t.empty === 0) continue;
    const disputed = s.disputedMisses[f] ? `  (${s.disputedMisses[f]} misses on disputed truth)` : '';
    lines.push(`  ${LABEL[f].padEnd(22)} ${cell(t, f)}    ${s.baseline ? cell(s.baseline[f], f) : ''}${disputed}`);
  }
  if (s.meanTagF1 !== null) lines.push(`  mean tag F1 ${s.meanTagF1.toFixed(3)}`);
  if (s.medianSimilarity !== null) lines.push(`  median text similarity ${s.medianSimilarity.toFixed(3)}`);
  lines.push(`  "nothing expected, nothing produced" is not a hit: those pages appear only in the false-* column's denominator.`);
  return lines.join('\n');
}

function verboseMisses(cases: Case[], rows: Row[]): string {
  const out: string[] = [];
  rows.forEach((r, i) => {
    const c = cases[i]!;
    const bad = Object.entries(r.feedrelay.misses).map(([f, why]) => {
      const outcome = r.feedrelay.outcomes[f as Field] === 'false' ? 'FALSE' : 'miss';
      const note = c.disputed[f] ? `   [truth disputed: ${c.disputed[f]}]` : '';
      return `${f} ${outcome}: ${why}${note}`;
    });
    if (r.feedrelay.error) bad.push(`error: ${r.feedrelay.error}`);
    if (bad.length) out.push(`${r.corpus}/${r.page}\n  ${bad.join('\n  ')}`);
  });
  return out.join('\n');
}

const FALSE_FIELDS: Field[] = ['title', 'byline', 'date', 'image', 'tags'];

/** Today's figures as floors for test/ingest/extract-eval.test.ts (eval/extract-floors.json). */
export function floorsOf(summaries: CorpusSummary[]) {
  const corpora: Record<string, unknown> = {};
  for (const s of summaries) {
    const rates: Partial<Record<Field, number>> = {};
    const maxFalse: Partial<Record<Field, number>> = {};
    for (const f of FIELDS) {
      const x = rate(s.fields[f]);
      if (x !== null) rates[f] = Math.floor(x * 1000) / 1000;
      if (FALSE_FIELDS.includes(f) && s.fields[f].false + s.fields[f].empty > 0) maxFalse[f] = s.fields[f].false;
    }
    corpora[s.corpus] = { minPages: s.pages, maxErrors: s.errors, rate: rates, maxFalse };
  }
  return {
    about:
      "Floors for test/ingest/extract-eval.test.ts: today's figures under eval/score.ts's rules, so a regression fails. rate: the least share of the pages stating a value that must get it right (rounded down); maxFalse: the most pages asserting no value that may get one anyway (false titles, bylines, dates, images, tags). Raise them as extraction improves: `npm run eval:extract -- --floors --no-baseline` prints today's. Issue 14's targets: title 0.95, byline 0.90 with false bylines <= 3%, date 0.92, image 0.90, language 0.95, tags 0.80, mustInclude 0.90, mustExclude 0.90.",
    corpora,
  };
}

if (import.meta.main) {
  const argv = process.argv.slice(2);
  const verbose = argv.includes('--verbose');
  const asJson = argv.includes('--json');
  const baseline = !argv.includes('--no-baseline');
  const only = argv.includes('--corpus') ? argv[argv.indexOf('--corpus') + 1] : undefined;
  const names = Object.keys(CORPORA).filter((n) => !only || n === only);
  const started = performance.now();
  const results = names.map((n) => evalCorpus(n, { baseline }));
  const seconds = (performance.now() - started) / 1000;
  if (argv.includes('--floors')) {
    console.log(JSON.stringify(floorsOf(results.map((r) => r.summary)), null, 2));
  } else if (asJson) {
    console.log(JSON.stringify({ seconds, results: results.map((r) => ({ summary: r.summary, rows: r.rows.map(({ feedrelay, readability, ...rest }) => ({ ...rest, feedrelay: { ...feedrelay, text: undefined }, readability: readability && { ...readability, text: undefined } })) })) }, null, 2));
  } else {
    if (verbose) for (const r of results) console.log(`${verboseMisses(r.cases, r.rows)}\n`);
    console.log(`feedrelay extraction eval over ${corporaRoot()} (${results.reduce((n, r) => n + r.rows.length, 0)} pages in ${seconds.toFixed(1)} s)\n`);
    for (const r of results) console.log(`${report(r.summary)}\n`);
    console.log('Targets (issue 14, both corpora): title 95%, byline 90% with false bylines <= 3%, date 92%, lead image 90%, language 95%, tags 80%, must-include 90%, must-exclude 90%.');
    console.log('Truth believed wrong in extraction-2 (not edited): eval/extraction-2-notes.json; readability-pages corrections with evidence: eval/extract-truth.json.');
  }
}
