import t from 'tap';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFeeds } from '../../src/config/feeds.ts';

function feedsDir(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'feedrelay-feeds-'));
  const dir = join(root, 'feeds');
  mkdirSync(dir);
  for (const [n, text] of Object.entries(files)) writeFileSync(join(dir, n), text);
  return dir;
}
const opts = (dir: string) => ({ fileRoot: join(dir, '..'), defaultLimit: 50 });

t.test('the shipped feeds load, the demo source reads the bundled file', async (t) => {
  const { feeds, sources } = loadFeeds('feeds', { fileRoot: '.', defaultLimit: 50 });
  const k = feeds.find((f) => f.id === 'kazakhstan');
  t.ok(k);
  t.equal(k?.limit, 50);
  t.same(k?.sourceIds, ['steppewatch']);
  t.match(sources[0]!.url, /^file:\/\/\/.*\/demo\/kazakhstan\/feed\.xml$/);
});

t.test('ids, defaults, tag rules and shared sources', async (t) => {
  const dir = feedsDir({
    'world.yaml': 'title: World\nsources:\n  - {id: a, url: "https://a.example/feed"}\n  - {id: b, url: "https://b.example/feed", schedule: "0 * * * *", timezone: Asia/Almaty}\ntags:\n  CSTO: [Collective Security Treaty Organization]\nlimit: 20\n',
    'asia.yml': 'title: Asia\ndescription: Only Asia\nsources:\n  - {id: a, url: "https://a.example/feed"}\ntags:\n  Kazakhstan: [Almaty, Astana]\n',
    'notes.txt': 'ignored',
  });
  const { feeds, sources } = loadFeeds(dir, opts(dir));
  t.same(feeds.map((f) => f.id), ['asia', 'world'], 'the file name is the id');
  t.equal(feeds[0]!.description, 'Only Asia');
  t.equal(feeds[1]!.description, 'World', 'description defaults to the title');
  t.equal(feeds[0]!.limit, 50);
  t.equal(feeds[1]!.limit, 20);
  t.equal(sources.length, 2, 'a source in two feeds is one source');
  const a = sources.find((s) => s.id === 'a');
  t.same(Object.keys(a?.tagRules ?? {}).sort(), ['CSTO', 'Kazakhstan'], 'it carries the tag rules of both feeds');
  t.equal(sources.find((s) => s.id === 'b')?.timezone, 'Asia/Almaty');
});

const bad: Array<[string, string, RegExp]> = [
  ['no sources', 'title: X\nsources: []\n', /x\.yaml: sources = \[\]: expected a list of at least one \{id, url\} source/],
  ['an ftp URL', 'title: X\nsources:\n  - {id: a, url: "ftp://a.example/"}\n', /sources\.0\.url = "ftp:\/\/a\.example\/": expected an http\(s\) URL or a file: path/],
  ['an unknown key', 'title: X\nsource: []\n', /unknown key "source": expected one of title, description, sources, tags, limit, language, maxTags, include, exclude/],
  ['a bad schedule', 'title: X\nsources:\n  - {id: a, url: "https://a.example/", schedule: "hourly"}\n', /sources\.0\.schedule = "hourly": expected a cron expression/],
  ['a bad limit', 'title: X\nlimit: 0\nsources:\n  - {id: a, url: "https://a.example/"}\n', /limit = 0: expected an integer from 1 to 1000/],
  ['a file outside the root', 'title: X\nsources:\n  - {id: a, url: "file:/etc/passwd"}\n', /expected a file: path inside fetch\.fileRoot/],
  ['bad YAML', 'title: [x\n', /x\.yaml: not valid YAML/],
  ['a catastrophic pattern', 'title: X\nexclude:\n  match: "(a+)+$"\nsources:\n  - {id: a, url: "https://a.example/"}\n', /x\.yaml: exclude\.match = "\(a\+\)\+\$": this pattern can take exponential time/],
  ['a broken pattern', 'title: X\ninclude:\n  match: "(unclosed"\nsources:\n  - {id: a, url: "https://a.example/"}\n', /x\.yaml: include\.match = "\(unclosed": not a valid regular expression/],
  ['an unknown filter key', 'title: X\ninclude:\n  words: [a]\nsources:\n  - {id: a, url: "https://a.example/"}\n', /unknown key "include\.words": expected one of tags, match/],
];
for (const [what, text, message] of bad) {
  t.test(`refuses ${what}`, async (t) => {
    const dir = feedsDir({ 'x.yaml': text });
    t.throws(() => loadFeeds(dir, opts(dir)), { name: 'FeedDefinitionError', message });
  });
}

t.test('refuses one source id meaning two sources, and bad file names', async (t) => {
  const dir = feedsDir({
    'a.yaml': 'title: A\nsources:\n  - {id: s, url: "https://one.example/feed"}\n',
    'b.yaml': 'title: B\nsources:\n  - {id: s, url: "https://two.example/feed"}\n',
  });
  t.throws(() => loadFeeds(dir, opts(dir)), { message: /source "s" is also defined in .*a\.yaml with different settings/ });
  const dir2 = feedsDir({ 'Bad Name.yaml': 'title: A\nsources:\n  - {id: s, url: "https://one.example/feed"}\n' });
  t.throws(() => loadFeeds(dir2, opts(dir2)), { message: /the file name is the feed id/ });
  t.throws(() => loadFeeds('/nonexistent', { fileRoot: '/', defaultLimit: 50 }), { message: /cannot read the feeds directory \/nonexistent: ENOENT/ });
});
