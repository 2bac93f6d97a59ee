// A stated date is not a guessed one (issue 14 item 6): an item upstream gave no date is served
// with publishedAtStated false, and no feed presents the time it was first seen as its
// publication time. Real ingest from a loopback origin into a real SQLite file.
import t, { type Test } from 'tap';
import Sqlite from 'better-sqlite3';
import { startOrigin } from '../helpers/origin.ts';
import { tempEnv, startService } from '../helpers/service.ts';

interface ApiArticle {
  title: string;
  publishedAt: string;
  publishedAtStated: boolean;
}

const item = (n: number, body: string, date?: string) =>
  `<item><title>Post ${n}</title><link>https://blog.example/post/${n}</link><guid>https://blog.example/?p=${n}</guid>${date ? `<pubDate>${date}</pubDate>` : ''}<description>${body}</description></item>`;
const rss = (items: string) => `<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title><link>https://blog.example/</link><description>d</description>${items}</channel></rss>`;

/** A loopback origin serving `feed()` and a feed definition reading it. */
async function setUp(t: Test, feed: () => string) {
  const origin = await startOrigin({ '/feed/': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed()) });
  t.teardown(() => origin.close());
  const env = tempEnv({ k: `title: K\nsources:\n  - {id: b, url: "${origin.url}/feed/"}\n` });
  t.teardown(env.cleanup);
  return env;
}

t.test('an undated item says so on /articles and in every feed; a dated one keeps its date', async (t) => {
  let feed = rss(item(1, 'Dated post.', 'Mon, 01 Jan 2024 10:00:00 +0000') + item(2, 'Undated post.'));
  const env = await setUp(t, () => feed);
  const service = await startService(env.env);
  t.teardown(() => service.stop());
  const before = Date.now();
  await service.runner.run(service.sources, { force: true });

  const api = async () => {
    const res = await service.app.inject({ url: '/articles' });
    t.equal(res.statusCode, 200);
    return Object.fromEntries(res.json<{ articles: ApiArticle[] }>().articles.map((a) => [a.title, a]));
  };
  const got = await api();
  t.same([got['Post 1']?.publishedAtStated, got['Post 1']?.publishedAt], [true, '2024-01-01T10:00:00.000Z'], 'the stated date, marked stated');
  t.equal(got['Post 2']?.publishedAtStated, false, 'no date upstream: not stated');
  t.ok(Date.parse(got['Post 2']!.publishedAt) >= before - 1000, 'publishedAt is then the time first seen (the sort key)');

  const atom = (await service.app.inject({ url: '/feeds/k.atom' })).body;
  const entry = (title: string) => new RegExp(`<entry>\\s*<title>${title}</title>[\\s\\S]*?</entry>`).exec(atom)?.[0] ?? '';
  t.match(entry('Post 1'), '<published>2024-01-01T10:00:00.000Z</published>');
  t.notMatch(entry('Post 2'), '<published>', 'Atom: optional <published> left out');
  t.match(entry('Post 2'), /<updated>[^<]+<\/updated>/, 'Atom: the required <updated> stays');
  const rssOut = (await service.app.inject({ url: '/feeds/k.rss' })).body;
  const rssItem = (title: string) => new RegExp(`<item>\\s*<title>${title}</title>[\\s\\S]*?</item>`).exec(rssOut)?.[0] ?? '';
  t.match(rssItem('Post 1'), '<pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate>');
  t.notMatch(rssItem('Post 2'), '<pubDate>', 'RSS: no pubDate');
  const json = (await service.app.inject({ url: '/feeds/k.json' })).json<{ items: Array<{ title: string; date_published?: string; date_modified: string; _feedrelay: { published_at_stated: boolean } }> }>();
  const jsonItem = (title: string) => {
    const item = json.items.find((i) => i.title === title);
    if (!item) throw new Error(`no JSON Feed item titled ${title}`);
    return item;
  };
  t.equal(jsonItem('Post 1').date_published, '2024-01-01T10:00:00.000Z');
  t.notOk('date_published' in jsonItem('Post 2'), 'JSON Feed: no date_published');
  t.ok(jsonItem('Post 2').date_modified, 'JSON Feed: date_modified stays');
  t.same(json.items.map((i) => [i.title, i._feedrelay.published_at_stated]).sort(), [['Post 1', true], ['Post 2', false]], '_feedrelay.published_at_stated');

  // Post 1 changes and loses its date: the stored, stated date stays, and so does "stated".
  feed = rss(item(1, 'Dated post, edited.') + item(2, 'Undated post.'));
  await service.runner.run(service.sources, { force: true });
  const edited = await api();
  t.same([edited['Post 1']?.publishedAtStated, edited['Post 1']?.publishedAt], [true, '2024-01-01T10:00:00.000Z'], 'an undated update keeps the stated date and says it is stated');
});

t.test('articles stored before publishedAtStated existed get it derived, and every route still answers', async (t) => {
  const env = await setUp(t, () => rss(item(1, 'Dated post.', 'Mon, 01 Jan 2024 10:00:00 +0000') + item(2, 'Undated post.')));
  const first = await startService(env.env);
  await first.runner.run(first.sources, { force: true });
  await first.stop();

  // What an older feedrelay wrote: the same rows, without the field in the stored JSON.
  const db = new Sqlite(env.dbPath);
  const rows = db.prepare('select id, data from articles').all() as Array<{ id: string; data: string }>;
  for (const r of rows) {
    const { publishedAtStated: _dropped, ...old } = JSON.parse(r.data) as Record<string, unknown>;
    db.prepare('update articles set data = ? where id = ?').run(JSON.stringify(old), r.id);
  }
  t.equal((db.prepare("select count(*) as n from articles where data like '%publishedAtStated%'").get() as { n: number }).n, 0, 'the rows are as an older version left them');
  db.close();

  const service = await startService(env.env);
  t.teardown(() => service.stop());
  const res = await service.app.inject({ url: '/articles' });
  t.equal(res.statusCode, 200);
  const stated = Object.fromEntries(res.json<{ articles: ApiArticle[] }>().articles.map((a) => [a.title, a.publishedAtStated]));
  t.same(stated, { 'Post 1': true, 'Post 2': false }, 'derived: published_at equal to first_seen_at means no date was stated');
  for (const url of ['/feeds/k.atom', '/feeds/k.rss', '/feeds/k.json', '/']) t.equal((await service.app.inject({ url })).statusCode, 200, `${url} answers`);
  const atom = (await service.app.inject({ url: '/feeds/k.atom' })).body;
  const entries = atom.split('<entry>').slice(1);
  t.same(entries.map((e) => [/<title>([^<]+)/.exec(e)?.[1], e.includes('<published>')]), [['Post 2', false], ['Post 1', true]], 'the derived flag reaches the feeds');
});
