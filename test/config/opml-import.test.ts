// OPML import as people bring their lists: exports of real readers (newsboat runs here to write
// one), OPML 1.0 and 2.0, nested folders; what is written loads with the startup checks.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importOpml, OpmlError, parseSubscriptions } from '../../src/config/opml-import.ts';
import { loadFeeds, FeedDefinitionError } from '../../src/config/feeds.ts';
import { withRealPart } from '../helpers/real-part.ts';

const fixture = (n: string) => readFileSync(new URL(`../fixtures/opml/${n}`, import.meta.url), 'utf8');
function feedsDir(files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'feedrelay-import-'));
  const dir = join(root, 'feeds');
  mkdirSync(dir);
  for (const [n, text] of Object.entries(files)) writeFileSync(join(dir, n), text);
  return dir;
}
const opts = (dir: string, over: Partial<Parameters<typeof importOpml>[2]> = {}) => ({ fileRoot: join(dir, '..'), defaultLimit: 50, fallbackTitle: 'Imported', ...over });

t.test('a FreshRSS export: folders become feeds, one address one source, what cannot be fetched is said', async (t) => {
  const dir = feedsDir();
  const r = importOpml(fixture('freshrss.opml'), dir, opts(dir));
  t.same(r.written.map((w) => w.feed.id), ['central-asia', 'tech-code', 'uncategorized']);
  t.same(r.skipped, [{ url: 'mailto:list@example.org', reason: 'only http and https addresses are fetched, not mailto:' }]);
  const { feeds, sources } = loadFeeds(dir, { fileRoot: join(dir, '..'), defaultLimit: 50 });
  t.same(feeds.map((f) => [f.id, f.title, f.sourceIds]), [
    ['central-asia', 'Central Asia', ['steppe-watch', 'eurasianet', 'vlast-kz']],
    ['tech-code', 'Tech & Code', ['lwn-net', 'steppe-watch']],
    ['uncategorized', 'Uncategorized', ['a-site-without-a-feed-address']],
  ]);
  t.equal(sources.find((s) => s.id === 'vlast-kz')?.url, 'https://vlast.kz/rss?lang=ru&type=news', 'entities in attributes decoded');
  t.equal(sources.find((s) => s.id === 'a-site-without-a-feed-address')?.url, 'https://quiet.example/', 'a site address where no feed address is given');
  t.equal(sources.length, 5, 'a subscription in two folders is one source');
});

t.test('OPML 1.0 with nested folders, lower-case xmlurl, type="link" and bare ampersands', async (t) => {
  const subs = parseSubscriptions(fixture('nested-1.0.opml'));
  t.same(subs.folders.map((f) => [f.path, f.subscriptions.map((s) => s.url)]), [
    [['News', 'World'], ['http://feeds.bbci.co.uk/news/world/rss.xml', 'https://www.lemonde.fr/rss/une.xml']],
    [['News'], ['https://www.heise.de/rss/heise-atom.xml?a=1&b=2']],
    [[], ['http://scripting.com/rss.xml']],
  ]);
  const dir = feedsDir();
  const r = importOpml(fixture('nested-1.0.opml'), dir, opts(dir));
  t.same(r.written.map((w) => [w.feed.id, w.feed.title]), [['news-world', 'News / World'], ['news', 'News'], ['mysubscriptions', 'mySubscriptions']]);
  t.equal(loadFeeds(dir, { fileRoot: join(dir, '..'), defaultLimit: 50 }).sources.length, 4);
});

withRealPart("newsboat's own export (newsboat -e) imports whole into one named feed", existsSync('/usr/bin/newsboat'), 'no /usr/bin/newsboat (Debian package newsboat)', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'feedrelay-newsboat-'));
  writeFileSync(join(work, 'urls'), 'https://steppewatch.wordpress.com/feed/ "~Steppe Watch" asia\nhttps://lwn.net/headlines/rss\nhttps://example.org/atom.xml?x=1&y=2 tech\n');
  const opml = execFileSync('/usr/bin/newsboat', ['-u', join(work, 'urls'), '-c', join(work, 'cache.db'), '-C', '/dev/null', '-e'], { encoding: 'utf8', env: { ...process.env, HOME: work } });
  const dir = feedsDir();
  const r = importOpml(opml, dir, opts(dir, { feed: 'reading' }));
  t.same(r.written.map((w) => w.feed.id), ['reading']);
  const { sources } = loadFeeds(dir, { fileRoot: join(dir, '..'), defaultLimit: 50 });
  t.same(sources.map((s) => [s.id, s.url]), [
    ['steppe-watch', 'https://steppewatch.wordpress.com/feed/'],
    ['lwn-net', 'https://lwn.net/headlines/rss'],
    ['example-org', 'https://example.org/atom.xml?x=1&y=2'],
  ], 'untitled subscriptions are named by their host');
});

t.test('existing definitions: never overwritten unless asked; ids stay unique; a broken directory writes nothing', async (t) => {
  const existing = 'title: Central Asia (mine)\nsources:\n  - {id: steppe-watch, url: "https://other.example/feed"}\n';
  const dir = feedsDir({ 'central-asia.yaml': existing });
  t.throws(() => importOpml(fixture('freshrss.opml'), dir, opts(dir)), new OpmlError(`${join(dir, 'central-asia.yaml')} already exists; pass --force to replace it`));
  t.same(readdirSync(dir), ['central-asia.yaml'], 'nothing written');
  t.equal(readFileSync(join(dir, 'central-asia.yaml'), 'utf8'), existing);
  const r = importOpml(fixture('freshrss.opml'), dir, opts(dir, { overwrite: true }));
  t.equal(r.written.length, 3);
  const { sources } = loadFeeds(dir, { fileRoot: join(dir, '..'), defaultLimit: 50 });
  t.ok(sources.find((s) => s.id === 'steppe-watch-2' && s.url === 'https://steppewatch.wordpress.com/feed/'), 'a taken source id is not reused for another address');

  const broken = feedsDir({ 'bad.yaml': 'title: [unclosed\n' });
  t.throws(() => importOpml(fixture('freshrss.opml'), broken, opts(broken)), FeedDefinitionError);
  t.same(readdirSync(broken), ['bad.yaml'], 'nothing written next to a broken definition');
  t.notOk(existsSync(join(broken, 'central-asia.yaml')));
});

t.test('what is not an OPML list says so', async (t) => {
  const dir = feedsDir();
  t.throws(() => importOpml('<rss version="2.0"><channel/></rss>', dir, opts(dir)), /not an OPML document/);
  t.throws(() => importOpml('<opml><body></head></opml>', dir, opts(dir)), /not well-formed XML/);
  t.throws(() => importOpml('<opml version="2.0"><head/><body><outline text="empty folder"/></body></opml>', dir, opts(dir)), /no subscription/);
});
