// A real feed reader reads feedrelay: Debian's newsboat (headless, `-x reload`) subscribes to
// the seed post's Atom and RSS feeds on a loopback port, and its cache must hold what a reader
// shows: title, link, byline, date and the content with both captions under their images.
import { withRealPart } from '../helpers/real-part.ts';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import Sqlite from 'better-sqlite3';
import { startWordPressOrigin, SEED, POST_PATH } from '../helpers/wordpress.ts';
import { tempEnv, startService } from '../helpers/service.ts';

const NEWSBOAT = '/usr/bin/newsboat';

function newsboat(dir: string, url: string): Promise<number | null> {
  writeFileSync(join(dir, 'urls'), `${url}\n`);
  writeFileSync(join(dir, 'config'), '');
  return new Promise((resolve) => {
    // HOME too: newsboat keeps its lock and history there.
    const child = spawn(NEWSBOAT, ['-x', 'reload', '-u', join(dir, 'urls'), '-c', join(dir, 'cache.db'), '-C', join(dir, 'config')], { env: { ...process.env, HOME: dir }, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

withRealPart('newsboat reads the Atom and RSS feeds', existsSync(NEWSBOAT), `no ${NEWSBOAT} (Debian package newsboat)`, async (t) => {
  const origin = await startWordPressOrigin();
  t.teardown(() => origin.close());
  const env = tempEnv({ kazakhstan: `title: Kazakhstan unrest\nlanguage: en\nsources:\n  - id: steppewatch\n    url: ${origin.url}/feed/\n` });
  t.teardown(env.cleanup);
  const service = await startService(env.env);
  t.teardown(() => service.stop());
  await service.runner.run(service.sources, { force: true });
  await service.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(service.app.server.address() as AddressInfo).port}`;

  for (const format of ['atom', 'rss']) {
    const dir = mkdtempSync(join(tmpdir(), `feedrelay-newsboat-${format}-`));
    const url = `${base}/feeds/kazakhstan.${format}`;
    t.equal(await newsboat(dir, url), 0, `${format}: newsboat -x reload exits 0`);
    const db = new Sqlite(join(dir, 'cache.db'), { readonly: true });
    const feed = db.prepare('select title from rss_feed where rssurl = ?').get(url) as { title: string } | undefined;
    t.equal(feed?.title, 'Kazakhstan unrest', `${format}: the feed's title`);
    const items = db.prepare('select title, author, url, pubDate, content from rss_item where feedurl = ?').all(url) as Array<{ title: string; author: string; url: string; pubDate: number; content: string }>;
    db.close();
    t.equal(items.length, 1, `${format}: one item`);
    const item = items[0]!;
    t.equal(item.title, SEED.title, `${format}: title`);
    t.equal(item.url, `${origin.url}${POST_PATH}`, `${format}: link`);
    t.equal(item.author, SEED.byline, `${format}: byline`);
    t.equal(item.pubDate, Date.parse(SEED.publishedAt) / 1000, `${format}: date`);
    for (const [i, caption] of SEED.captions.entries()) {
      t.match(item.content, new RegExp(`<figure><img src="${SEED.images[i]!.replace(/[.]/g, '\\.')}"[^>]*/><figcaption>${caption}</figcaption></figure>`), `${format}: figure ${i + 1} with its caption`);
    }
    t.notMatch(item.content, /Leave a Reply/, `${format}: no comment form`);
  }
});
