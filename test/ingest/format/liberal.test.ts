// Feeds only a liberal parser reads, read as Python's feedparser (the most used feed parser, the
// oracle here, from Debian's python3-feedparser) reads them: every entry it keeps is kept, with
// the title it shows and the link it gives; where it has no link, ours points at the feed's site.
// Each fixture is one case: no link and no id, Atom 0.3, RSS 0.90/0.91/0.92, entities (numeric,
// hex, double-escaped, HTML-named), bare ampersands in links, xml:base on every element.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import pino from 'pino';
import { decodeHTML } from 'entities';
import { withRealPart } from '../../helpers/real-part.ts';
import { startOrigin, serveText } from '../../helpers/origin.ts';
import { startService, tempEnv } from '../../helpers/service.ts';
import { ingestSource } from '../../../src/ingest/pipeline/pipeline.ts';

const DIR = new URL('../../fixtures/liberal/', import.meta.url);
const PYTHON = '/usr/bin/python3';
const ORACLE = `
import feedparser, json, sys
d = feedparser.parse(sys.stdin.buffer.read())
def shown(detail):
    if not detail: return None
    return {"value": detail.get("value"), "type": detail.get("type")}
print(json.dumps({"link": d.feed.get("link"), "entries": [{"title": shown(e.get("title_detail")), "link": e.get("link")} for e in d.entries]}))
`;
const hasFeedparser = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import feedparser'], { stdio: 'ignore' }).status === 0;

interface Oracle {
  link: string | null;
  entries: Array<{ title: { value: string; type: string } | null; link: string | null }>;
}

/** What a reader shows of feedparser's title: text/html is markup, text/plain is as it is. */
const display = (t: { value: string; type: string }) => (t.type === 'text/html' ? decodeHTML(t.value.replace(/<[^>]*>/g, '')) : t.value).replace(/\s+/g, ' ').trim();

withRealPart('every fixture: the entries, titles and links feedparser reads', hasFeedparser, `no feedparser for ${PYTHON} (Debian package python3-feedparser)`, async (t) => {
  const files = readdirSync(DIR).sort();
  t.ok(files.length >= 7, `${files.length} fixtures`);
  const origin = await startOrigin(Object.fromEntries(files.map((f) => [`/${f}`, serveText(readFileSync(new URL(f, DIR)), 'application/xml')])));
  t.teardown(() => origin.close());
  const env = tempEnv(Object.fromEntries(files.map((f, i) => [`f${i}`, `title: F${i}\nsources:\n  - {id: s${i}, url: "${origin.url}/${f}"}\n`])));
  t.teardown(env.cleanup);
  const service = await startService(env.env);
  t.teardown(() => service.stop());
  for (const [i, file] of files.entries()) {
    const oracle = JSON.parse(spawnSync(PYTHON, ['-c', ORACLE], { input: readFileSync(new URL(file, DIR)), encoding: 'utf8' }).stdout) as Oracle;
    const source = service.sources.find((s) => s.id === `s${i}`);
    if (!source) throw new Error(`no source s${i}`);
    const r = await ingestSource(source, { store: service.store, fetcher: service.fetcher, log: pino({ level: 'silent' }) }, { force: true });
    t.equal(r.outcome, 'ok', `${file}: read (${r.error?.message ?? 'ok'})`);
    t.equal(r.failed, 0, `${file}: no item dropped`);
    const stored = (await service.store.listArticles({ sourceIds: [source.id], limit: 50 })).articles;
    t.equal(stored.length, oracle.entries.length, `${file}: ${oracle.entries.length} entries, as feedparser`);
    for (const e of oracle.entries) {
      // feedparser leaves a twice-escaped "&amp;amp;" in a link as "&amp" (no semicolon), which no
      // browser follows as written; readers and feedrelay follow "&".
      const link = (e.link ?? oracle.link)?.replace(/&amp(?!;)/g, '&');
      const mine = stored.filter((a) => (e.title ? a.title === display(e.title) : true) && link !== undefined && a.url === new URL(link).href);
      t.equal(mine.length >= 1, true, `${file}: "${e.title ? display(e.title) : '(no title)'}" at ${link}`);
    }
  }
});

t.test('double escaping, named HTML entities and a link escaped twice', async (t) => {
  const { parseFeed } = await import('../../../src/ingest/format/parse-feed.ts');
  const { normalize } = await import('../../../src/ingest/normalize/normalize.ts');
  const feed = await parseFeed(readFileSync(new URL('entities.rss', DIR), 'utf8'), 'rss', 'https://entities.example/feed');
  const [a, b] = feed.items.map((i) => normalize(i, { sourceId: 'e', baseUrl: 'https://entities.example/feed', siteUrl: feed.link, now: new Date() }).article);
  t.equal(a?.title, 'Fish & chips ABC ☺ café');
  t.equal(a?.url, 'https://entities.example/p?id=1&cat=2&x=3', 'bare ampersands repaired');
  t.equal(b?.title, 'Tom &amp; Jerry "quoted" <b>', 'decoded exactly once more, as a reader shows it');
  t.equal(b?.url, 'https://entities.example/p?id=2&cat=3');
});

t.test('items without link or id: stable ids from their content, each its own article', async (t) => {
  const { parseFeed } = await import('../../../src/ingest/format/parse-feed.ts');
  const { normalize } = await import('../../../src/ingest/normalize/normalize.ts');
  const text = readFileSync(new URL('no-link-no-id.rss', DIR), 'utf8');
  const read = async () => {
    const feed = await parseFeed(text, 'rss', 'https://station.example/feed');
    return feed.items.map((i) => normalize(i, { sourceId: 'st', baseUrl: 'https://station.example/feed', siteUrl: feed.link, now: new Date() }).article);
  };
  const [first, again] = [await read(), await read()];
  t.same(first.map((a) => a.id), again.map((a) => a.id), 'the same ids on every read');
  t.equal(new Set(first.map((a) => a.id)).size, 3, 'three articles, not one');
  t.equal(first[0]!.url, 'https://station.example/', "the feed's site");
  t.equal(first[1]!.title, 'Power cut in the north district, 14:00 to 16:00.', 'an untitled item is named by its words');
});

t.test('xml:base on the feed, the entry and the content', async (t) => {
  const { parseFeed } = await import('../../../src/ingest/format/parse-feed.ts');
  const { normalize } = await import('../../../src/ingest/normalize/normalize.ts');
  const feed = await parseFeed(readFileSync(new URL('xml-base.atom', DIR), 'utf8'), 'atom', 'https://elsewhere.example/feed.atom');
  const [a, b] = feed.items.map((i) => normalize(i, { sourceId: 'b', baseUrl: 'https://elsewhere.example/feed.atom', siteUrl: feed.link, now: new Date() }).article);
  t.equal(feed.link, 'https://base.example/blog/');
  t.equal(a?.url, 'https://base.example/blog/2024/05/first-post/');
  t.match(a?.contentHtml, /src="https:\/\/cdn\.base\.example\/img\/photo\.jpg"/, "content resolves against the content's own base");
  t.match(a?.contentHtml, /href="https:\/\/cdn\.base\.example\/about"/);
  t.equal(b?.url, 'https://base.example/blog/second-post');
});
