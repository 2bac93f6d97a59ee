// The render cache on its own: bounded memory (least recently used out first), one build per
// missing key, failures not kept, and invalidation that drops exactly what a change can touch.
import t from 'tap';
import { RenderCache, type Scope } from '../../src/publish/render-cache.ts';
import { represent } from '../../src/publish/representation.ts';
import { Freshness } from '../../src/publish/freshness.ts';
import type { ArticleChange } from '../../src/store/port.ts';
import { testArticle } from '../helpers/articles.ts';

const doc = async (text: string, ids: string[] = []) => ({ representation: await represent(text, 'text/plain', null), articleIds: ids });
const scopeOf = (feed: string, sources: string[], accepts?: Scope['accepts']): Scope => ({ feeds: [feed], sources: new Set(sources), ...(accepts ? { accepts } : {}) });
const change = (n: number, sourceId: string, over = {}): ArticleChange => ({ kind: 'inserted', article: testArticle(n, { sourceId, ...over }), sourceId });

t.test('bounded by bytes, least recently used evicted first', async (t) => {
  const one = (await doc('x'.repeat(1000))).representation.bytes;
  const cache = new RenderCache({ maxBytes: one * 3 });
  let builds = 0;
  const get = (k: string) => cache.get(k, scopeOf('f', ['s']), () => (builds++, doc('x'.repeat(1000))));
  await get('a');
  await get('b');
  await get('c');
  await get('a'); // a is now the most recent; b the least
  await get('d');
  t.equal(cache.stats().evictions, 1);
  t.equal(cache.stats().entries, 3);
  t.ok(cache.stats().bytes <= cache.stats().maxBytes);
  builds = 0;
  await get('a');
  await get('c');
  await get('d');
  t.equal(builds, 0, 'a, c and d were kept');
  await get('b');
  t.equal(builds, 1, 'b was the one evicted');
  const tiny = new RenderCache({ maxBytes: 10 });
  await tiny.get('big', scopeOf('f', ['s']), () => doc('y'.repeat(1000)));
  t.equal(tiny.stats().entries, 0, 'a document larger than the budget is served, not kept');
});

t.test('one build per missing key; a failed build is not kept', async (t) => {
  const cache = new RenderCache({ maxBytes: 1e6 });
  let builds = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const build = async () => {
    builds++;
    await gate;
    return doc('shared');
  };
  const waiting = Array.from({ length: 10 }, () => cache.get('k', scopeOf('f', ['s']), build));
  release();
  const reps = await Promise.all(waiting.map((r) => Promise.resolve(r))); // a hit answers without a promise
  t.equal(builds, 1);
  t.ok(reps.every((r) => r === reps[0]), 'every caller got the same representation');
  t.match(cache.stats(), { renders: 1, misses: 1, coalesced: 9 });
  await t.rejects(async () => cache.get('bad', scopeOf('f', ['s']), async () => Promise.reject(new Error('store down'))), /store down/);
  t.equal((await cache.get('bad', scopeOf('f', ['s']), () => doc('fine'))).bodies.identity.toString(), 'fine', 'the next request builds again');
});

t.test('a change drops what it can touch: same source, passing the rule, or an article shown', async (t) => {
  const cache = new RenderCache({ maxBytes: 1e6 });
  const article1 = testArticle(1, { sourceId: 's1' });
  await cache.get('f1', scopeOf('f1', ['s1']), () => doc('f1', [article1.id]));
  await cache.get('f2', scopeOf('f2', ['s2']), () => doc('f2'));
  await cache.get('tagged', { feeds: 'all', sources: null, accepts: (a) => a.tags.some((x) => x.slug === 'cats') }, () => doc('tag', []));
  await cache.get('linked', scopeOf('f3', ['s3']), () => doc('f3', [article1.id]));
  const has = async (k: string) => (await cache.get(k, scopeOf('?', []), () => doc('rebuilt'))).bodies.identity.toString() !== 'rebuilt';

  cache.articlesChanged([change(9, 's2')]);
  t.ok(await has('f1'), 'a change at s2 leaves f1');
  t.notOk(await has('f2'), 'and drops f2');
  t.ok(await has('tagged'), 'an untagged article leaves the tag feed');
  cache.articlesChanged([change(10, 's9', { tags: [{ label: 'Cats', slug: 'cats' }] })]);
  t.notOk(await has('tagged'), 'a cats article drops the cats feed');
  cache.articlesChanged([{ kind: 'updated', article: article1, sourceId: 's1' }]);
  t.notOk(await has('f1'));
  t.notOk(await has('linked'), 'a feed showing the article through another source is dropped too');
});

t.test('invalidateFeed drops that feed and documents of every feed; a change during a build is not kept', async (t) => {
  const cache = new RenderCache({ maxBytes: 1e6 });
  await cache.get('a', scopeOf('a', ['s']), () => doc('a'));
  await cache.get('b', scopeOf('b', ['s']), () => doc('b'));
  await cache.get('opml', { feeds: 'all', sources: new Set() }, () => doc('opml'));
  cache.invalidateFeed('a');
  t.equal(cache.stats().entries, 1, 'b remains');
  cache.invalidateAll();
  t.equal(cache.stats().entries, 0);
  t.equal(cache.stats().bytes, 0);

  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const building = cache.get('slow', scopeOf('a', ['s']), async () => (await gate, doc('old')));
  cache.articlesChanged([change(3, 's')]);
  release();
  t.equal((await building).bodies.identity.toString(), 'old', 'the waiters get what was built');
  t.equal(cache.stats().entries, 0, 'but it is not kept');
});

t.test('Freshness: max-age is the time to the next scheduled fetch, within a minute and an hour', async (t) => {
  const f = new Freshness('*/30 * * * *');
  const age = (cc: string) => Number(/max-age=(\d+)/.exec(cc)?.[1]);
  const src = (schedule?: string) => ({ id: 's', url: 'file:x', tagRules: {}, ...(schedule ? { schedule } : {}) });
  t.equal(age(f.cacheControl([src('* * * * *')])), 60, 'every minute: the floor');
  t.equal(age(f.cacheControl([src('0 0 1 1 *')])), 3600, 'once a year: the ceiling');
  const now = Date.now();
  const half = age(f.cacheControl([src()], now));
  const toNextHalfHour = Math.ceil((1_800_000 - (now % 1_800_000)) / 1000);
  t.ok(Math.abs(half - Math.max(60, toNextHalfHour)) <= 1, `the global */30 schedule: ${half}s`);
  t.equal(age(f.cacheControl([src('0 0 1 1 *'), src('* * * * *')])), 60, 'the soonest source decides');
  t.match(f.cacheControl([src()]), /^public, max-age=\d+, stale-if-error=\d+$/);
});
