// GET /: the HTML index, read by a real HTML parser (linkedom) and rendered by a real browser
// (Debian's chromium, headless) that must draw the cards and take a screenshot.
import t from 'tap';
import { withRealPart } from '../helpers/real-part.ts';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { parseDocument } from '../../src/ingest/dom.ts';
import { startWordPressOrigin, SEED, POST_PATH } from '../helpers/wordpress.ts';
import { tempEnv, startService } from '../helpers/service.ts';

// The root <html> element, typed by the project's one DOM layer; its queries cover head and body.
const parse = (html: string) => parseDocument(html).documentElement;

const origin = await startWordPressOrigin();
t.teardown(() => origin.close());
const env = tempEnv({
  kazakhstan: `title: Kazakhstan unrest\ndescription: The January 2022 protests\nlanguage: en\nsources:\n  - id: steppewatch\n    url: ${origin.url}/feed/\n`,
  'r-and-d': `title: "R&D <notes>"\nsources:\n  - id: steppewatch\n    url: ${origin.url}/feed/\n`,
});
t.teardown(env.cleanup);
const service = await startService(env.env);
t.teardown(() => service.stop());
await service.runner.run(service.sources, { force: true });

t.test('the index names every feed and shows the articles as cards', async (t) => {
  const res = await service.app.inject({ url: '/' });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'text/html; charset=utf-8');
  const document = parse(res.body);
  t.equal(document.getAttribute('lang'), 'en');
  const alternates = Array.from(document.querySelectorAll('head link[rel="alternate"]')).map((l) => [l.getAttribute('type'), l.getAttribute('href')]);
  for (const id of ['kazakhstan', 'r-and-d']) {
    t.ok(alternates.some(([type, href]) => type === 'application/atom+xml' && href === `http://feeds.example.test/feeds/${id}.atom`), `${id}: Atom autodiscovery`);
    t.ok(alternates.some(([type, href]) => type === 'application/rss+xml' && href === `http://feeds.example.test/feeds/${id}.rss`), `${id}: RSS autodiscovery`);
    t.ok(alternates.some(([type, href]) => type === 'application/feed+json' && href === `http://feeds.example.test/feeds/${id}.json`), `${id}: JSON Feed autodiscovery`);
  }
  t.ok(res.body.includes('R&amp;D &lt;notes&gt;'), 'feed titles escaped');
  const cards = Array.from(document.querySelectorAll('.card'));
  t.equal(cards.length, 1, 'one card: the seed post, stored once');
  const card = cards[0]!;
  t.equal(card.querySelector('h3 a')?.textContent, SEED.title);
  t.equal(card.querySelector('h3 a')?.getAttribute('href'), `${origin.url}${POST_PATH}`);
  t.match(card.querySelector('.meta')?.textContent ?? '', new RegExp(`^${SEED.byline} · Jan 6, 2022$`));
  t.equal(card.querySelector('time')?.getAttribute('datetime'), SEED.publishedAt);
  t.equal(card.querySelector('img')?.getAttribute('src'), SEED.images[0]);
  t.ok(card.querySelector('img')?.getAttribute('alt'), 'the image has alt text');
  t.equal(card.querySelector('figcaption')?.textContent, SEED.captions[0]);
  t.same(
    Array.from(card.querySelectorAll('.tags a')).map((a) => [a.textContent, a.getAttribute('href')]),
    SEED.tags.map((x) => [x.label, `http://feeds.example.test/tags/${x.slug}.atom`]),
  );
  t.notOk(document.querySelector('script'), 'no script');
});

function run(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium';
withRealPart('headless Chromium renders the cards and a screenshot', existsSync(CHROMIUM), `no ${CHROMIUM} (Debian package chromium; .ci/run installs it)`, async (t) => {
  await service.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(service.app.server.address() as AddressInfo).port}/`;
  const dir = mkdtempSync(join(tmpdir(), 'feedrelay-chromium-'));
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', `--user-data-dir=${join(dir, 'profile')}`];
  const dom = await run(CHROMIUM, [...flags, '--dump-dom', url]);
  t.equal(dom.code, 0, `chromium --dump-dom exits 0 ${dom.stderr.slice(-300)}`);
  const document = parse(dom.stdout);
  t.equal(document.querySelectorAll('.card').length, 1, 'the browser sees the card');
  t.equal(document.querySelector('.card h3')?.textContent, SEED.title);
  const png = join(dir, 'index.png');
  const shot = await run(CHROMIUM, [...flags, '--hide-scrollbars', '--window-size=1200,900', `--screenshot=${png}`, url]);
  t.equal(shot.code, 0, 'chromium --screenshot exits 0');
  t.ok(existsSync(png) && statSync(png).size > 5_000, 'a screenshot was written');
  t.same([...readFileSync(png).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'it is a PNG');
});
