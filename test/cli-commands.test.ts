// The command line as an operator uses it: a real process through bin/feedrelay.js each time.
import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startOrigin } from './helpers/origin.ts';
import { rssFeed } from './helpers/child.ts';
import { tempEnv } from './helpers/service.ts';

const origin = await startOrigin({
  '/a.xml': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('alpha', 3)),
  '/b.xml': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('beta', 2).replace(/<item>/g, '<item><category>Steppe News</category>')),
});
t.teardown(() => origin.close());

function run(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, ['bin/feedrelay.js', ...args], { env: { ...process.env, ...env }, timeout: 60000 });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('close', (status) => { resolve({ status, stdout, stderr }); });
  });
}

const twoFeeds = () =>
  tempEnv({
    a: `title: A\nlimit: 10\nsources:\n  - {id: alpha, url: "${origin.url}/a.xml"}\n`,
    b: `title: B\nsources:\n  - {id: beta, url: "${origin.url}/b.xml"}\n  - {id: gone, url: "${origin.url}/missing.xml"}\n`,
  });

t.test('--version and --help', async (t) => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  const v = await run(['--version']);
  t.equal(v.status, 0);
  t.equal(v.stdout, `feedrelay ${pkg.version}\n`);
  const h = await run(['--help']);
  t.equal(h.status, 0);
  for (const cmd of ['serve', 'fetch [--source <id>]', 'check', 'render --out <dir>', 'sources', 'prune']) t.match(h.stdout, `  ${cmd}`);
  const bad = await run(['render']);
  t.equal(bad.status, 64);
  t.match(bad.stderr, /render needs --out <dir>/);
  const opt = await run(['fetch', '--nonsense']);
  t.equal(opt.status, 64);
  t.match(opt.stderr, /Unknown option '--nonsense'/);
});

t.test('check lists every problem with file, key and reason; exit 1', async (t) => {
  const e = tempEnv({
    good: `title: Good\nsources:\n  - {id: g, url: "https://g.example/feed"}\n`,
    badurl: `title: X\nsources:\n  - {id: x, url: "ftp://x.example/"}\n`,
    badrule: `title: Y\nsources:\n  - {id: y, url: "https://y.example/feed"}\ninclude:\n  match: "(a+)+$"\n`,
    badyaml: `title: [unclosed\n`,
  });
  t.teardown(e.cleanup);
  const r = await run(['check'], e.env);
  t.equal(r.status, 1);
  const lines = r.stdout.trim().split('\n');
  t.equal(lines.length, 4, r.stdout);
  t.match(lines[0], /feeds\/badrule\.yaml: include\.match = "\(a\+\)\+\$": this pattern can take exponential time/);
  t.match(lines[1], /feeds\/badurl\.yaml: sources\.0\.url = "ftp:\/\/x\.example\/": expected an http\(s\) URL or a file: path/);
  t.match(lines[2], /feeds\/badyaml\.yaml: not valid YAML/);
  t.equal(lines[3], '3 problems; 1 feed fine');

  writeFileSync(join(e.dir, 'config.yaml'), 'retention:\n  days: -3\n');
  const c = await run(['check'], { ...e.env, FEEDRELAY_CONFIG: join(e.dir, 'config.yaml') });
  t.equal(c.status, 2);
  t.match(c.stderr, /config: retention\.days = -3 \(from .*config\.yaml\): expected an integer from 0 to 36500/);

  const ok = tempEnv({ good: `title: Good\nsources:\n  - {id: g, url: "https://g.example/feed"}\n` });
  t.teardown(ok.cleanup);
  const r2 = await run(['check'], ok.env);
  t.equal(r2.status, 0);
  t.equal(r2.stdout, 'ok: 1 feeds, 1 sources\n');
  t.notOk(existsSync(ok.dbPath), 'check opens no store');
});

t.test('fetch --source, sources table, render --out', async (t) => {
  const e = twoFeeds();
  t.teardown(e.cleanup);
  const one = await run(['fetch', '--source', 'alpha'], e.env);
  t.equal(one.status, 0, one.stderr);
  t.same(one.stdout.trim().split('\n').map((l) => l.split(/\s+/)[1]), ['alpha'], 'only the source asked for');
  const unknown = await run(['fetch', '--source', 'nope'], e.env);
  t.equal(unknown.status, 64);
  t.match(unknown.stderr, /no source with id "nope"/);
  // Not on a terminal: no progress line, plain JSON log lines instead, one per source.
  const logged = await run(['fetch', '--source', 'alpha'], { ...e.env, LOG_LEVEL: 'info' });
  t.notMatch(logged.stderr, /\r/);
  const lines = logged.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  t.match(lines.find((l) => l['msg'] === 'source fetched'), { source: 'alpha', outcome: 'ok' });

  const all = await run(['fetch'], e.env);
  t.equal(all.status, 1, 'one source fails');

  const table = await run(['sources'], e.env);
  t.equal(table.status, 1, 'non-zero while a source fails');
  const rows = table.stdout.trim().split('\n');
  t.match(rows[0], /^SOURCE\s+STATUS\s+LAST ATTEMPT\s+LAST SUCCESS\s+FAILURES\s+NEXT ATTEMPT\s+LAST ERROR$/);
  t.match(rows.find((r) => r.startsWith('alpha')), /^alpha\s+ok\s+\d{4}-\d\d-\d\dT\S+Z\s+\d{4}-\d\d-\d\dT\S+Z\s+0\s+-/);
  t.match(rows.find((r) => r.startsWith('gone')), /^gone\s+failing, backing off\s+\S+Z\s+-\s+1\s+\S+Z\s+fetch: HTTP 404 from http:\/\/127\.0\.0\.1:\d+\/missing\.xml$/);

  const out = join(e.dir, 'site');
  const r = await run(['render', '--out', out], e.env);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /^wrote 11 files to .*site \(links point at http:\/\/feeds\.example\.test\)\n$/);
  t.same(readdirSync(out).sort(), ['feeds', 'feeds.opml', 'index.html', 'tags']);
  t.same(readdirSync(join(out, 'feeds')).sort(), ['a.atom', 'a.json', 'a.rss', 'b.atom', 'b.json', 'b.rss']);
  t.same(readdirSync(join(out, 'tags')).sort(), ['steppe-news.atom', 'steppe-news.json', 'steppe-news.rss']);
  const json = JSON.parse(readFileSync(join(out, 'feeds', 'a.json'), 'utf8')) as { items: unknown[]; feed_url: string };
  t.equal(json.items.length, 3);
  t.equal(json.feed_url, 'http://feeds.example.test/feeds/a.json');
  t.match(readFileSync(join(out, 'feeds', 'b.atom'), 'utf8'), /<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom"/);
  t.match(readFileSync(join(out, 'index.html'), 'utf8'), /^<!doctype html>/i);
  t.match(readFileSync(join(out, 'feeds.opml'), 'utf8'), /<opml version="2\.0">/);
});

t.test('on a terminal, fetch shows progress on stderr instead of info log lines', async (t) => {
  // util-linux `script` gives the command a real pseudo-terminal.
  const e = twoFeeds();
  t.teardown(e.cleanup);
  const cmd = `${JSON.stringify(process.execPath)} bin/feedrelay.js fetch --source alpha --source beta`;
  const r = await new Promise<{ status: number | null; out: string }>((resolve) => {
    const c = spawn('script', ['-qec', cmd, '/dev/null'], { env: { ...process.env, ...e.env, LOG_LEVEL: 'info' } });
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.on('close', (status) => { resolve({ status, out }); });
  });
  t.equal(r.status, 0, r.out);
  // eslint-disable-next-line no-control-regex -- the terminal's erase-line escape is what is checked
  t.match(r.out, /\r\x1b\[Kfetch \[1\/2\] (alpha|beta) ok/);
  // eslint-disable-next-line no-control-regex -- the terminal's erase-line escape is what is checked
  t.match(r.out, /\r\x1b\[Kfetch \[2\/2\] (alpha|beta) ok/);
  t.notMatch(r.out, /"msg":"source fetched"/, 'info lines stay out of the way');
  // eslint-disable-next-line no-control-regex -- the terminal's erase-line escape is what is checked
  t.match(r.out, /(^|\x1b\[K)ok\s+alpha\s+seen 3, new 3/m);
});
