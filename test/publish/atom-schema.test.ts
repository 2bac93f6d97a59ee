// Atom output against RFC 4287's own RELAX NG schema (schemas/atom.rnc, from the RFC's
// Appendix B), validated by Jing (Debian package jing, which .ci/run installs), plus the
// RFC's prose rules the schema leaves to Schematron: every entry has an author (or the feed
// does), and ids are URIs.
import { withRealPart } from '../helpers/real-part.ts';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { feedView, renderFeed } from '../../src/publish/render.ts';
import type { Article } from '../../src/model/article.ts';

const JING = '/usr/bin/jing';
const schema = new URL('../../schemas/atom.rnc', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'feedrelay-jing-'));

function jing(files: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(JING, ['-c', schema, ...files], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => { resolve({ code, out }); });
  });
}

const article = (n: number, over: Partial<Article> = {}): Article => ({
  id: `${n}`.padStart(24, 'a'),
  sourceId: 's',
  url: `https://x.example/${n}?a=1&b=2`,
  guid: `https://x.example/?p=${n}`,
  title: `Post ${n} & <friends> ]]>`,
  byline: 'Jane Doe',
  authors: [{ name: 'Jane Doe', url: 'https://x.example/jane' }],
  publishedAt: `2024-01-0${n}T10:00:00.000Z`,
  publishedAtStated: true,
  updatedAt: `2024-01-0${n}T12:00:00.000Z`,
  summary: 'A < B & C',
  contentHtml: '<p>Body</p><figure><img src="https://x.example/i.jpg" alt="" /><figcaption>Cap</figcaption></figure>',
  contentText: 'Body\n\nCap',
  image: { url: 'https://x.example/i.jpg', caption: 'Cap' },
  figures: [{ url: 'https://x.example/i.jpg', caption: 'Cap' }],
  tags: [{ label: 'Қазақстан', slug: 'qazaqstan' }],
  language: n === 2 ? 'kk' : 'en',
  wordCount: 2,
  ...over,
});

withRealPart('feedrelay Atom validates against the RFC 4287 schema', existsSync(JING), `no ${JING} (Debian package jing)`, async (t) => {
  const view = feedView({ id: 'k', title: 'K & co', description: 'D', language: 'en' }, 'https://feeds.example', '*/30 * * * *', { nextQuery: 'after=x', prevQuery: 'before=y', firstQuery: '' });
  const cases: Record<string, string> = {
    'paged.atom': renderFeed('atom', view, [article(1), article(2), article(3, { authors: [], byline: null, image: null, figures: [], tags: [] })]),
    'empty.atom': renderFeed('atom', view, []),
    'golden.atom': readFileSync(new URL('../fixtures/golden/feed.atom', import.meta.url), 'utf8'),
  };
  const files = Object.entries(cases).map(([name, text]) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  });
  // RFC 4287 4.1.1, a Schematron rule in the RFC: the feed has an author unless every entry does.
  for (const [name, text] of Object.entries(cases)) {
    const entries = text.split('<entry').slice(1);
    const feedHasAuthor = /<author>/.test(text.split('<entry')[0]!);
    t.ok(feedHasAuthor || entries.every((e) => e.includes('<author>')), `${name}: every entry has an author, its own or the feed's`);
  }
  const ok = await jing(files);
  t.equal(ok.code, 0, `jing: no errors\n${ok.out}`);
  t.equal(ok.out.trim(), '', 'and nothing to report');

  // The schema and validator really check: an entry without an id is refused.
  const broken = join(dir, 'broken.atom');
  writeFileSync(broken, cases['paged.atom']!.replace(/<id>urn:uuid:[^<]+<\/id>\s*<link href="https:\/\/x\.example\/1/, '<link href="https://x.example/1'));
  const bad = await jing([broken]);
  t.not(bad.code, 0, 'a feed with an entry missing its atom:id fails');
  t.match(bad.out, /element "entry" incomplete|missing required element "id"/);
});
