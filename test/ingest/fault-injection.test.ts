// A fault-injection origin on loopback: per path, one way for an upstream to misbehave. For each,
// the source records a classified error, the fetch ends within the configured limits, a backoff
// is scheduled, and the feed still serves what it stored before.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ServerResponse } from 'node:http';
import { startOrigin } from '../helpers/origin.ts';
import { rssFeed } from '../helpers/child.ts';
import { tempEnv, startService } from '../helpers/service.ts';

const HEADERS_MS = 400;
const BODY_MS = 800;

const origin = await startOrigin();
t.teardown(() => origin.close());
const feedXml = (name: string) => rssFeed(name, 2);
const good = new Set<string>(); // paths that answer well, for the first cycle

// Every faulty path answers a good feed until it is switched to its fault.
const faults: Record<string, { expect: string; fault: (res: ServerResponse) => void }> = {
  'slow-headers': { expect: 'timeout', fault: () => undefined /* never answers */ },
  'drip-body': {
    expect: 'timeout',
    fault: (res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const timer = setInterval(() => res.write('<'), 50); // a byte at a time, forever
      res.on('close', () => { clearInterval(timer); });
    },
  },
  'reset-mid-body': {
    expect: 'network',
    fault: (res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': '100000' });
      res.write('<?xml version="1.0"?><rss version="2.0"><channel>');
      setTimeout(() => res.socket?.destroy(), 20);
    },
  },
  'server-error': { expect: 'http_status', fault: (res) => res.writeHead(500).end('boom') },
  'rate-limited': { expect: 'http_status', fault: (res) => res.writeHead(429, { 'retry-after': '7200' }).end() },
  'redirect-loop': { expect: 'redirect_loop', fault: (res) => res.writeHead(302, { location: '/redirect-loop-b' }).end() },
  'redirect-private': { expect: 'refused_address', fault: (res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end() },
  'gzip-bomb': {
    expect: 'too_large',
    fault: (res) => res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' }).end(gzipSync(Buffer.alloc(64 * 2 ** 20, 0x20))),
  },
  'huge-body': {
    expect: 'too_large',
    fault: (res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' }); // no length: caught while streaming
      const chunk = Buffer.alloc(2 ** 20, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 50 && res.write(chunk)) sent++;
        if (sent < 50) res.once('drain', pump);
        else res.end();
      };
      res.on('error', () => undefined);
      pump();
    },
  },
  garbage: { expect: 'unsupported_format', fault: (res) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 0x81, 7, 8, 9])) },
  truncated: { expect: 'malformed', fault: (res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feedXml('truncated').slice(0, 200)) },
};
for (const name of Object.keys(faults)) {
  good.add(name);
  origin.routes.set(`/${name}`, (_req, res) => {
    if (good.has(name)) res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feedXml(name));
    else faults[name]!.fault(res);
  });
}
origin.routes.set('/redirect-loop-b', (_req, res) => res.writeHead(302, { location: '/redirect-loop' }).end());

const env = tempEnv({
  faults: ['title: Faults', 'sources:', ...Object.keys(faults).map((n) => `  - {id: ${n}, url: "${origin.url}/${n}"}`)].join('\n'),
});
t.teardown(env.cleanup);
const configFile = join(env.dir, 'config.yaml');
writeFileSync(configFile, `fetch:\n  connectTimeoutMs: 1000\n  headersTimeoutMs: ${HEADERS_MS}\n  bodyTimeoutMs: ${BODY_MS}\n  maxBodyBytes: 1048576\nschedule:\n  concurrency: 16\n`);
// Loopback opened by the allow-list alone, so the redirect to the metadata address stays refused.
const service = await startService({ ...env.env, FEEDRELAY_CONFIG: configFile, FEEDRELAY_ALLOW_PRIVATE_NETWORKS: 'false', FEEDRELAY_FETCH_ALLOW: '127.0.0.1/32' });
t.teardown(() => service.stop(1000));

t.test('every fault is classified, bounded in time, backed off, and costs nothing stored', async (t) => {
  const first = await service.runner.run(service.sources, { force: true });
  t.same(first.sources.filter((s) => s.outcome !== 'ok').map((s) => s.sourceId), [], 'all sources read while they behave');
  const before = (await service.app.inject({ url: '/feeds/faults.json?limit=100' })).json<{ items: unknown[] }>().items.length;
  t.equal(before, 2 * Object.keys(faults).length);

  good.clear();
  const started = Date.now();
  const second = await service.runner.run(service.sources, { force: true });
  const states = new Map((await service.store.listSourceStates()).map((s) => [s.id, s]));
  for (const r of second.sources) {
    const want = faults[r.sourceId]!.expect;
    t.equal(r.outcome, 'failed', `${r.sourceId}: failed`);
    t.equal(r.error?.class, want, `${r.sourceId}: ${r.error?.message}`);
    // Headers, then the whole body, each within its limit (plus scheduling slack).
    t.ok(r.durationMs < HEADERS_MS + BODY_MS + 1500, `${r.sourceId}: ended in ${r.durationMs} ms`);
    const s = states.get(r.sourceId);
    t.equal(s?.lastErrorClass, want, `${r.sourceId}: error class stored on the source`);
    t.equal(s?.consecutiveFailures, 1);
    t.ok(s?.nextAttemptAt && Date.parse(s.nextAttemptAt) > started, `${r.sourceId}: next attempt scheduled`);
  }
  const limited = states.get('rate-limited');
  t.ok(Date.parse(String(limited?.nextAttemptAt)) - started >= 7_100_000, 'Retry-After: 7200 is honoured');
  t.equal(limited?.lastStatus, 429);
  t.equal(states.get('server-error')?.lastStatus, 500);

  const after = (await service.app.inject({ url: '/feeds/faults.json?limit=100' })).json<{ items: unknown[] }>().items.length;
  t.equal(after, before, 'the feed still serves every article stored before');
  const skipped = await service.runner.run(service.sources);
  t.ok(skipped.sources.every((s) => s.outcome === 'skipped'), 'a cycle that is not forced leaves backed-off sources alone');
});
