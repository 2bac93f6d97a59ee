// Step-level fixture pairs: each step that transforms data has input -> expected pairs in its own
// testdata/ (test/ingest/<step>/testdata/<case>.<ext> beside <case>.expected.json), so a changed
// expectation names the step that moved. The whole-article pairs (fixture-pairs.test.ts) stay.
// FEEDRELAY_UPDATE_FIXTURES=1 writes the expected files; review the diff before committing it.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { cleanContent } from '../../src/ingest/content/clean.ts';
import { decode } from '../../src/ingest/format/decode.ts';
import { detectFormat } from '../../src/ingest/format/detect.ts';
import { parseFeed } from '../../src/ingest/format/parse-feed.ts';
import type { RawItem } from '../../src/ingest/format/raw.ts';
import { normalize } from '../../src/ingest/normalize/normalize.ts';
import { extractPage } from '../../src/ingest/page/extract.ts';

const here = import.meta.dirname;
const update = process.env['FEEDRELAY_UPDATE_FIXTURES'] === '1';
const BASE = 'https://steppe.example/2024/05/post/';

const steps: Record<string, (input: Buffer, name: string) => unknown> = {
  // bytes -> which format -> RawFeed
  format: async (input) => {
    const { text, charset } = decode(input, undefined);
    const format = detectFormat(text);
    return { charset, format, feed: await parseFeed(text, format) };
  },
  // an HTML page -> RawFeed with its one item
  page: (input) => extractPage(input.toString('utf8'), BASE),
  // upstream HTML -> clean content, its texts and figures
  content: (input) => cleanContent(input.toString('utf8'), BASE, 'Why We Moved'),
  // RawItem -> Article
  normalize: (input) =>
    normalize(JSON.parse(input.toString('utf8')) as RawItem, { sourceId: 'steppe', baseUrl: BASE, now: new Date('2030-01-01T00:00:00Z'), timezone: 'Asia/Almaty', tagRules: { Horses: ['horse riding'] } }),
};

for (const [step, run] of Object.entries(steps)) {
  const dir = join(here, step, 'testdata');
  const cases = readdirSync(dir).filter((f) => !f.endsWith('.expected.json'));
  t.test(`${step}: ${cases.length} pairs`, async (t) => {
    t.ok(cases.length >= 2, 'the step has pairs');
    for (const file of cases) {
      const expectedFile = join(dir, `${file.replace(/\.[^.]+$/, '')}.expected.json`);
      const actual: unknown = JSON.parse(JSON.stringify(await run(readFileSync(join(dir, file)), file)));
      if (update) writeFileSync(expectedFile, `${JSON.stringify(actual, null, 2)}\n`);
      t.ok(existsSync(expectedFile), `${step}/testdata/${file} has its expected file`);
      if (existsSync(expectedFile)) t.same(actual, JSON.parse(readFileSync(expectedFile, 'utf8')), `${step}/testdata/${file}`);
    }
  });
}
