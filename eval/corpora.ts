// The two corpora the extraction eval runs, read into one shape. Truth comes from the page or
// from the corpus's authors, never from feedrelay's output.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDocument } from '../src/ingest/dom.ts';
import { decode } from '../src/ingest/format/decode.ts';

const here = import.meta.dirname;

/** Where the shared corpora live: FEEDRELAY_CORPORA, else the first of the usual places that exists. */
export function corporaRoot(): string {
  if (process.env.FEEDRELAY_CORPORA) return resolve(process.env.FEEDRELAY_CORPORA);
  // A checkout sits beside shared/ (../shared), a worktree one level further down.
  const candidates = [join(here, '../../shared/corpora'), join(here, '../../../shared/corpora')];
  return resolve(candidates.find((c) => existsSync(c)) ?? candidates[0]!);
}

export interface Truth {
  title?: string;
  /** The people (or, naming none, the organisation) the page credits; [] = names nobody. */
  authors?: string[];
  /** As the page states it: a day, or a time with zone; null = states no date. */
  published?: string | null;
  /** The article's own lead picture; null = none. */
  image?: string | null;
  language?: string;
  tags?: string[];
  mustInclude: string[];
  mustExclude: string[];
  /** Snippets the corpus authors matched in the page only with whitespace ignored. */
  ignoringWhitespace?: string[];
  /** The whole expected article text, where the corpus gives it (Readability's expected.html). */
  text?: string;
}

export interface Case {
  corpus: string;
  id: string;
  html: string;
  url: string;
  truth: Truth;
  /** Per field, where on the page the truth is stated (readability-pages corrections) or why we doubt it. */
  evidence: Record<string, string>;
  /** Eval fields (byline, date, ...) whose corpus truth we believe wrong -> what the page shows (eval/extraction-2-notes.json). */
  disputed: Record<string, string>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The page's text. The corpora mostly store pages transcoded to UTF-8 while keeping the original
 * <meta charset> (qq says gb2312), so valid UTF-8 is read as UTF-8; the few pages kept in their
 * original bytes (ISO-8859-1 German pages in extraction-2) are decoded as feedrelay's fetch step does.
 */
function readPage(file: string): string {
  const buf = readFileSync(file);
  try {
    return utf8.decode(buf);
  } catch {
    return decode(buf).text;
  }
}

const listDirs = (dir: string) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'source.html')))
    .map((d) => d.name)
    .sort();

// The URL Readability's own tests load every page as; its expected.html is resolved against it.
const READABILITY_URL = 'http://fakehost/test/page.html';

interface Correction extends Partial<Omit<Truth, 'mustInclude' | 'mustExclude' | 'text'>> {
  evidence: Record<string, string>;
}

/** The first picture of Readability's article: not a data: placeholder, not a spacer or corner graphic. */
function firstImage(html: string): string | null {
  const document = parseDocument(`<html><body>${html}</body></html>`).documentElement;
  for (const img of Array.from(document.querySelectorAll('img'))) {
    const src = img.getAttribute('src');
    const tiny = ['width', 'height'].some((a) => {
      const n = Number(img.getAttribute(a) ?? NaN);
      return n > 0 && n < 50; // 0 is 'auto' in some CMSs
    });
    if (src && !src.startsWith('data:') && !tiny) return new URL(src, READABILITY_URL).href;
  }
  return null;
}

/**
 * mozilla/readability's test pages. Truth: Readability's expected-metadata.json and
 * expected.html, corrected (with the page's own evidence) by eval/extract-truth.json. Every page
 * was read for a byline and a date: a page the truth file does not credit and Readability gives
 * no byline names nobody; likewise for dates.
 */
export function readabilityPages(root = corporaRoot()): Case[] {
  const dir = join(root, 'readability-pages');
  const corrections = (JSON.parse(readFileSync(join(here, 'extract-truth.json'), 'utf8')) as { pages: Record<string, Correction> }).pages;
  return listDirs(dir).map((id) => {
    const meta = JSON.parse(readFileSync(join(dir, id, 'expected-metadata.json'), 'utf8')) as { title?: string | null; byline?: string | null; publishedTime?: string | null; lang?: string | null };
    const expectedHtml = readFileSync(join(dir, id, 'expected.html'), 'utf8');
    const c: Correction = corrections[id] ?? { evidence: {} };
    const truth: Truth = {
      title: c.title ?? meta.title ?? '',
      authors: c.authors ?? (meta.byline ? [meta.byline] : []),
      published: 'published' in c ? (c.published ?? null) : (meta.publishedTime ?? null),
      image: 'image' in c ? (c.image ?? null) : firstImage(expectedHtml),
      mustInclude: [],
      mustExclude: [],
      text: parseDocument(`<html><body>${expectedHtml}</body></html>`).body.textContent ?? '',
    };
    const language = c.language ?? meta.lang;
    if (language) truth.language = language;
    if (c.tags) truth.tags = c.tags;
    return { corpus: 'readability-pages', id, html: readPage(join(dir, id, 'source.html')), url: READABILITY_URL, truth, evidence: c.evidence, disputed: {} };
  });
}

interface Expected {
  url: string | null;
  title: string | null;
  authors: string[] | null;
  published: string | null;
  leadImage: string | null;
  language: string | null;
  tags: string[] | null;
  mustInclude?: string[];
  mustExclude?: string[];
  assertedAbsent?: string[];
  validation?: { matchedIgnoringWhitespace?: string[] };
  page?: { canonical?: string | null };
}

/** extraction-2: truth as its authors wrote it. `assertedAbsent` turns a null into "states none". */
export function extraction2(root = corporaRoot()): Case[] {
  const dir = join(root, 'extraction-2');
  const notesFile = join(here, 'extraction-2-notes.json');
  const notes: Record<string, Record<string, string>> = existsSync(notesFile) ? (JSON.parse(readFileSync(notesFile, 'utf8')) as { cases: Record<string, Record<string, string>> }).cases : {};
  return listDirs(dir).map((id) => {
    const e = JSON.parse(readFileSync(join(dir, id, 'expected.json'), 'utf8')) as Expected;
    const absent = new Set(e.assertedAbsent ?? []);
    const truth: Truth = { mustInclude: e.mustInclude ?? [], mustExclude: e.mustExclude ?? [] };
    if (e.validation?.matchedIgnoringWhitespace?.length) truth.ignoringWhitespace = e.validation.matchedIgnoringWhitespace;
    if (e.title !== null) truth.title = e.title;
    if (e.authors !== null) truth.authors = e.authors;
    else if (absent.has('authors')) truth.authors = [];
    if (e.published !== null) truth.published = e.published;
    else if (absent.has('published')) truth.published = null;
    if (e.leadImage !== null) truth.image = e.leadImage;
    else if (absent.has('leadImage')) truth.image = null;
    if (e.language !== null) truth.language = e.language;
    if (e.tags !== null) truth.tags = e.tags;
    const url = e.url ?? e.page?.canonical ?? `http://fakehost/${id}/page.html`;
    return { corpus: 'extraction-2', id, html: readPage(join(dir, id, 'source.html')), url: url.trim(), truth, evidence: {}, disputed: notes[id] ?? {} };
  });
}
