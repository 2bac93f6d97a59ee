// Hostile documents end as a classified error or a best-effort parse, quickly and in bounded
// memory: no external entity is ever read, internal entity bombs do not expand.
import t, { type Test } from 'tap';
import { parseFeed } from '../../src/ingest/format/parse-feed.ts';
import { detectFormat } from '../../src/ingest/format/detect.ts';
import { IngestError } from '../../src/ingest/errors.ts';
import { extractPage } from '../../src/ingest/page/extract.ts';

const item = (title: string) => `<item><title>${title}</title><link>https://x.example/a</link></item>`;
const rss = (doctype: string, title: string) => `<?xml version="1.0"?>${doctype}<rss version="2.0"><channel><title>T</title><link>https://x.example/</link>${item(title)}</channel></rss>`;

/** Runs a parse; resolves to its titles or the error class, with the time it took. */
async function attempt(t: Test, text: string): Promise<{ titles?: string[]; errorClass?: string; ms: number; heapMb: number }> {
  const before = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  try {
    const format = detectFormat(text);
    const feed = format === 'html' ? extractPage(text, 'https://x.example/') : await parseFeed(text, format);
    return { titles: feed.items.map((i) => i.title ?? ''), ms: performance.now() - t0, heapMb: (process.memoryUsage().heapUsed - before) / 2 ** 20 };
  } catch (err) {
    t.ok(err instanceof IngestError, `classified: ${(err as Error).message.slice(0, 100)}`);
    return { errorClass: (err as IngestError).errorClass, ms: performance.now() - t0, heapMb: (process.memoryUsage().heapUsed - before) / 2 ** 20 };
  }
}

t.test('XXE: external entities are never resolved', async (t) => {
  for (const target of ['file:///etc/passwd', 'http://127.0.0.1:9/secret']) {
    const r = await attempt(t, rss(`<!DOCTYPE rss [<!ENTITY xxe SYSTEM "${target}">]>`, 'a &xxe; b'));
    t.notMatch(JSON.stringify(r.titles ?? []), /root:|secret/, `${target} not read`);
  }
  const param = await attempt(t, rss('<!DOCTYPE rss [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>', 'x'));
  t.notMatch(JSON.stringify(param.titles ?? []), /root:/, 'parameter entities neither');
});

t.test('billion laughs is refused or left unexpanded, fast, in bounded memory', async (t) => {
  const lol = ['<!ENTITY lol0 "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`)].join('');
  const r = await attempt(t, rss(`<!DOCTYPE rss [${lol}]>`, '&lol9;'));
  t.ok(r.ms < 2000, `done in ${r.ms.toFixed(0)} ms`);
  t.ok(r.heapMb < 100, `heap grew ${r.heapMb.toFixed(1)} MB`);
  t.ok((r.titles?.[0] ?? '').length < 10_000, 'no expansion to a billion "lol"s');
});

t.test('degenerate documents', async (t) => {
  const cases: Array<[string, string]> = [
    ['10 MB of whitespace', `${' \n'.repeat(5 * 2 ** 20)}<rss version="2.0"><channel><title>T</title>${item('ok')}</channel></rss>`],
    ['100,000 nested elements', `<rss version="2.0"><channel><title>T</title><item><title>x</title><description>${'<div>'.repeat(100_000)}</description></item></channel></rss>`],
    ['a truncated feed', rss('', 'cut').slice(0, 120)],
    ['garbage after the prolog', '<?xml version="1.0"?>\u0000\u0001garbage<<<>>>'],
    ['HTML that calls itself a feed', '<!doctype html><html><head><title>Not a feed</title></head><body><p>Hello</p></body></html>'],
  ];
  const outcomes: Record<string, string> = {};
  for (const [what, text] of cases) {
    const r = await attempt(t, text);
    outcomes[what] = r.errorClass ?? `${r.titles?.length} items`;
    t.ok(r.ms < 10_000, `${what}: ended in ${r.ms.toFixed(0)} ms (${outcomes[what]})`);
  }
  t.equal(outcomes['10 MB of whitespace'], '1 items', 'leading whitespace does not hide the feed');
  t.equal(outcomes['a truncated feed'], 'malformed');
  t.equal(outcomes['HTML that calls itself a feed'], '1 items', 'read as the page it is');
});
