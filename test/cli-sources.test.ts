// `feedrelay discover` and `feedrelay import`, as a user runs them: real processes through
// bin/feedrelay.js, against a loopback origin, into a real feeds directory.
import t from 'tap';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startOrigin, serveText } from './helpers/origin.ts';
import { rssFeed } from './helpers/child.ts';
import { tempEnv } from './helpers/service.ts';

const fixture = (n: string) => readFileSync(new URL(`fixtures/${n}`, import.meta.url), 'utf8');
const origin = await startOrigin();
t.teardown(() => origin.close());
origin.routes.set('/', serveText(fixture('discovery/wordpress-home.html').replaceAll('https://steppewatch.example', origin.url), 'text/html'));
origin.routes.set('/feed/', serveText(rssFeed('steppe', 3), 'application/rss+xml'));
origin.routes.set('/2022/01/04/fuel-prices-almaty/', serveText(fixture('discovery/wordpress-post.html'), 'text/html'));
origin.routes.set('/quiet/', serveText(fixture('discovery/no-feed-home.html'), 'text/html'));

function run(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, ['bin/feedrelay.js', ...args], { env: { ...process.env, LOG_LEVEL: 'silent', ...env }, timeout: 60000 });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('close', (status) => { resolve({ status, stdout, stderr }); });
  });
}
const open = { FEEDRELAY_ALLOW_PRIVATE_NETWORKS: 'true' };

t.test('discover: a site, an article page, a feed, a home page with no feed, a refused address', async (t) => {
  const site = await run(['discover', `${origin.url}/`], open);
  t.equal(site.status, 0, site.stderr);
  t.match(site.stdout, /a site that declares 3 feeds/);
  t.match(site.stdout, new RegExp(`\\* RSS\\s+${origin.url}/feed/  "Steppe Watch » Feed"`), 'the main feed is marked as the one followed');
  t.match(site.stdout, /comments\/feed\/.*\(comments, tag or author feed\)/);

  const article = await run(['discover', `${origin.url}/2022/01/04/fuel-prices-almaty/`], open);
  t.equal(article.status, 0);
  t.match(article.stdout, /an article page, "Fuel prices bring Almaty into the streets/);

  const feed = await run(['discover', `${origin.url}/feed/`], open);
  t.equal(feed.status, 0);
  t.match(feed.stdout, /a feed \(RSS\), "steppe", 3 items/);

  const quiet = await run(['discover', `${origin.url}/quiet/`], open);
  t.equal(quiet.status, 1);
  t.match(quiet.stdout, /a home page with no feed/);

  const guarded = await run(['discover', `${origin.url}/`]);
  t.equal(guarded.status, 1, 'the address guard applies');
  t.match(guarded.stderr, /feedrelay: discover: fetch: .*is not a public address/);
});

t.test('import: writes definitions that load, refuses to overwrite, --force replaces', async (t) => {
  const env = tempEnv({});
  t.teardown(env.cleanup);
  const opml = join(env.dir, 'subs.opml');
  writeFileSync(opml, fixture('opml/freshrss.opml'));
  const first = await run(['import', opml], env.env);
  t.equal(first.status, 0, first.stderr);
  t.match(first.stdout, /wrote .*central-asia\.yaml: 3 sources \("Central Asia"\)/);
  t.match(first.stdout, /skipped mailto:list@example\.org: only http and https/);
  t.same(readdirSync(env.feedsDir).sort(), ['central-asia.yaml', 'tech-code.yaml', 'uncategorized.yaml']);
  const check = await run(['check'], env.env);
  t.equal(check.status, 0, `feedrelay check accepts them: ${check.stdout}${check.stderr}`);

  const again = await run(['import', opml], env.env);
  t.equal(again.status, 1);
  t.match(again.stderr, /already exist; pass --force to replace them/);
  const forced = await run(['import', opml, '--force'], env.env);
  t.equal(forced.status, 0);

  const one = await run(['import', opml, '--feed', 'reading'], env.env);
  t.equal(one.status, 0);
  t.match(readFileSync(join(env.feedsDir, 'reading.yaml'), 'utf8'), /title: reading/);
  const bad = await run(['import', join(env.dir, 'missing.opml')], env.env);
  t.equal(bad.status, 1);
  t.match(bad.stderr, /cannot read .*missing\.opml: ENOENT/);
  const usage = await run(['import'], env.env);
  t.equal(usage.status, 64);
});
