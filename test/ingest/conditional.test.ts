// Polite re-fetching: validators saved and sent back, a 304 skips parsing, a permanent
// redirect moves the source (logged once), an empty 200 is a classified failure, and backoff
// grows exponentially with jitter, is capped, and resets on success.
import t from 'tap';
import pino from 'pino';
import { startOrigin } from '../helpers/origin.ts';
import { rssFeed } from '../helpers/child.ts';
import { tempEnv, startService } from '../helpers/service.ts';
import { ingestSource } from '../../src/ingest/pipeline/pipeline.ts';
import { backoffMs } from '../../src/ingest/pipeline/source-state.ts';

t.test('backoff: exponential, jittered within the upper half, capped', async (t) => {
  const cap = 24 * 3600_000;
  t.same([1, 2, 3, 4].map((n) => backoffMs(n, cap, () => 1)), [60_000, 120_000, 240_000, 480_000], 'doubling from a minute');
  t.same([1, 2, 3].map((n) => backoffMs(n, cap, () => 0)), [30_000, 60_000, 120_000], 'never below half');
  t.equal(backoffMs(40, cap, () => 1), cap, 'capped at 24 h');
  t.equal(backoffMs(40, 3600_000, () => 1), 3600_000, 'the cap is configurable');
});

t.test('ETag and Last-Modified round trip; 304 skips parsing; a permanent redirect moves the source', async (t) => {
  const seen: Array<Record<string, string | undefined>> = [];
  let body = rssFeed('c', 3);
  let mode: 'ok' | 'empty' | 'moved' = 'ok';
  const origin = await startOrigin();
  t.teardown(() => origin.close());
  origin.routes.set('/feed', (req, res) => {
    seen.push({ inm: req.headers['if-none-match'], ims: req.headers['if-modified-since'], ua: req.headers['user-agent'], accept: req.headers['accept'] });
    if (mode === 'moved') return res.writeHead(301, { location: '/new-feed' }).end();
    if (mode === 'empty') return res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('');
    if (req.headers['if-none-match'] === '"v1"') return res.writeHead(304, { etag: '"v1"' }).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"', 'last-modified': 'Mon, 01 Jan 2024 10:00:00 GMT' }).end(body);
  });
  origin.routes.set('/new-feed', (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('c', 4)));
  const env = tempEnv({ c: `title: C\nsources:\n  - {id: c, url: "${origin.url}/feed"}\n` });
  t.teardown(env.cleanup);
  const service = await startService(env.env);
  t.teardown(() => service.stop());
  const source = service.sources[0]!;
  const lines: Array<{ msg: string; movedTo?: string }> = [];
  const log = pino({ level: 'info' }, { write: (l: string) => lines.push(JSON.parse(l) as { msg: string; movedTo?: string }) });
  const deps = { store: service.store, fetcher: service.fetcher, log };

  const first = await ingestSource(source, deps, { force: true });
  t.equal(first.new, 3);
  t.match(seen[0]!.ua, /^feedrelay\//, 'User-Agent names feedrelay');
  t.match(seen[0]!.accept, /^application\/atom\+xml, application\/rss\+xml/, 'Accept prefers feeds');
  t.equal(seen[0]!.inm, undefined, 'no validator the first time');
  const state = await service.store.getSourceState('c');
  t.equal(state?.etag, '"v1"', 'ETag saved');
  t.equal(state?.lastModified, 'Mon, 01 Jan 2024 10:00:00 GMT', 'Last-Modified saved');

  body = '<not even xml'; // a 304 must not reach the parser
  const second = await ingestSource(source, deps, { force: true });
  t.equal(seen[1]!.inm, '"v1"', 'If-None-Match sent back');
  t.equal(seen[1]!.ims, 'Mon, 01 Jan 2024 10:00:00 GMT', 'If-Modified-Since sent back');
  t.equal(second.outcome, 'not_modified');
  t.equal(second.seen, 0, 'nothing parsed');

  mode = 'empty';
  const empty = await ingestSource(source, deps, { force: true });
  t.equal(empty.outcome, 'failed');
  t.equal(empty.error?.class, 'empty', 'an empty 200 is a classified failure');
  t.equal((await service.store.getSourceState('c'))?.consecutiveFailures, 1);

  mode = 'moved';
  const moved = await ingestSource(source, deps, { force: true });
  t.equal(moved.outcome, 'ok');
  t.equal(moved.new, 1, 'the new location has one more post');
  const after = await service.store.getSourceState('c');
  t.equal(after?.effectiveUrl, `${origin.url}/new-feed`, 'the source moved');
  t.equal(after?.consecutiveFailures, 0, 'success resets the failure count');
  t.equal(after?.nextAttemptAt, null, 'and the backoff');
  await ingestSource(source, deps, { force: true });
  t.equal(origin.hits.get('/feed'), 4, 'the old URL is not asked again');
  t.equal(lines.filter((l) => l.msg.startsWith('source moved permanently')).length, 1, 'the move is logged once');
});
