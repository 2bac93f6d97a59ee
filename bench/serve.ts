// Serving (issue 11): feedrelay answering a feed of 100 full-content posts, against baselines
// measured in the same run on the same bytes: a bare Fastify route answering them from memory
// (identity, gzip, JSON Feed, a 304) and nginx serving the file (the practical limit). Load from
// wrk on 127.0.0.1 only, every run bounded in time (BENCH_SERVE_SECONDS, default 5 s) and
// connections (50). Each server runs in its own process, so its memory is its own.
// Also: cold render per format, the 50-item page query at 1,000 and 100,000 articles,
// ingest-to-first-fresh-response latency, and feedrelay's resident memory with 10,000 articles.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { openSqlite } from '../src/store/sqlite.ts';
import type { Store } from '../src/store/port.ts';
import type { Article } from '../src/model/article.ts';
import { feedView, renderFeed, FORMATS } from '../src/publish/render.ts';
import { loadConfig } from '../src/config/load.ts';
import { createService } from '../src/main.ts';
import { createLogger } from '../src/log.ts';
import { SERVE_NODE_FLAGS, cpuSeconds, median, parseWrk, rssMb } from './harness.ts';

const SECONDS = Number(process.env['BENCH_SERVE_SECONDS'] ?? 4);
/** Every row is measured this many times, the rows taking turns, and each ratio is the median of
 * the ratios to the baseline measured in the same round: on a shared machine load comes and goes
 * within minutes, and rows measured far apart compare different machines. */
const ROUNDS = Number(process.env['BENCH_SERVE_ROUNDS'] ?? 3);
const CONNECTIONS = 50;
const FEED_POSTS = 100;
const STORED = 10_000;

const PARAGRAPH =
  '<p>The long-delayed extension of the Almaty metro line opened on Tuesday, two years behind schedule, with three new stations serving the <a href="https://example.org/districts">southern districts</a>. Officials said the line would carry <strong>forty thousand</strong> riders a day.</p>';

/** A child tells its parent where it listens (the bench's children run with an IPC channel). */
function reportPort(port: number): void {
  if (!process.send) throw new Error('run as a bench child, with an IPC channel');
  process.send(port);
}

function pidOfProcess(p: { pid?: number | undefined }): number {
  if (p.pid === undefined) throw new Error('a bench process has no pid');
  return p.pid;
}

export function benchArticle(n: number, sourceId: string, paragraphs: number): Article {
  const at = new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString();
  const id = `${sourceId.replace(/[^a-z0-9]/g, '')}${String(n).padStart(20, '0')}`.slice(-24).padStart(24, 'x');
  return {
    id,
    sourceId,
    url: `https://${sourceId}.example/post/${n}`,
    guid: `https://${sourceId}.example/?p=${n}`,
    title: `Post ${n}: Almaty metro extension opens`,
    byline: 'Aigerim Seitkali',
    authors: [{ name: 'Aigerim Seitkali', url: `https://${sourceId}.example/author/aigerim/` }],
    publishedAt: at,
    publishedAtStated: true,
    updatedAt: at,
    summary: 'The long-delayed extension of the Almaty metro line opened on Tuesday.',
    contentHtml: `${PARAGRAPH.repeat(paragraphs)}<figure><img src="https://${sourceId}.example/i${n}.jpg" alt="Platform"><figcaption>The new platform</figcaption></figure>`,
    contentText: 'The long-delayed extension of the Almaty metro line opened on Tuesday. '.repeat(paragraphs * 4),
    image: { url: `https://${sourceId}.example/i${n}.jpg`, caption: 'The new platform', alt: 'Platform' },
    figures: [{ url: `https://${sourceId}.example/i${n}.jpg`, caption: 'The new platform', alt: 'Platform' }],
    tags: [{ label: 'Almaty', slug: 'almaty' }, { label: 'Transport', slug: 'transport' }],
    language: 'en',
    wordCount: 40 * paragraphs,
  };
}

async function seed(store: Store, sourceId: string, count: number, paragraphs: number, from = 0): Promise<void> {
  for (let i = from; i < from + count; i += 500) {
    const batch = Array.from({ length: Math.min(500, from + count - i) }, (_, k) => ({ article: benchArticle(i + k, sourceId, paragraphs), dated: true }));
    await store.upsertArticles(batch, new Date());
  }
}

// --- the servers, each a child process printing its port ---------------------------------------

function feedrelayEnv(dir: string, logLevel = 'silent'): Record<string, string> {
  return {
    FEEDRELAY_FEEDS_DIR: join(dir, 'feeds'),
    DATABASE_URL: `sqlite:${join(dir, 'serve.db')}`,
    FEEDRELAY_BASE_URL: 'http://127.0.0.1',
    LOG_LEVEL: logLevel,
    HOST: '127.0.0.1',
    PORT: '0',
  };
}

/** feedrelay with the logger `npm start` builds: at `silent` for the rows compared with bare
 * Fastify (which logs nothing; at the default `info`, successful reads are not logged either),
 * at `debug` (a line for every request) for the row that shows what the request log costs.
 * Its stdout goes to /dev/null. */
async function serveFeedrelay(dir: string, logLevel: string) {
  const config = loadConfig({ env: { ...process.env, ...feedrelayEnv(dir, logLevel) } });
  const service = await createService(config, createLogger(config.log));
  // The bare route's 304, inside feedrelay's process and app: what the process itself costs a request.
  service.app.get('/_bench/304', (_req, reply) => reply.code(304).header('etag', '"x"').send());
  await service.app.listen({ host: '127.0.0.1', port: 0 });
  reportPort((service.app.server.address() as { port: number }).port);
}

async function serveBare(dir: string) {
  const atom = readFileSync(join(dir, 'www', 'feed.atom'));
  const json = readFileSync(join(dir, 'www', 'feed.json'));
  const atomGz = gzipSync(atom, { level: 9 });
  const app = Fastify({ logger: false });
  const type = 'application/atom+xml; charset=utf-8';
  app.get('/identity', (_req, reply) => reply.type(type).send(atom));
  app.get('/gzip', (_req, reply) => reply.type(type).header('content-encoding', 'gzip').send(atomGz));
  app.get('/json', (_req, reply) => reply.type('application/feed+json; charset=utf-8').send(json));
  app.get('/304', (_req, reply) => reply.code(304).header('etag', '"x"').send());
  await app.listen({ host: '127.0.0.1', port: 0 });
  reportPort((app.server.address() as { port: number }).port);
}

/** A server in a child process: stdout to /dev/null, the port back over IPC. */
async function child(args: string[], nodeFlags: string[] = []): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn(process.execPath, [...nodeFlags, new URL(import.meta.url).pathname, ...args], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    proc.once('message', (m) => {
      resolve(Number(m));
    });
    proc.once('exit', (code) => {
      reject(new Error(`${args[0] ?? 'child'} exited ${String(code)}`));
    });
  });
  return { proc, port };
}

function startNginx(dir: string): { proc: ChildProcess; port: number } {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `daemon off; master_process off; worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off; sendfile on; tcp_nopush on; keepalive_requests 1000000;
  client_body_temp_path ${dir}/t1; proxy_temp_path ${dir}/t2; fastcgi_temp_path ${dir}/t3; uwsgi_temp_path ${dir}/t4; scgi_temp_path ${dir}/t5;
  types { application/atom+xml atom; }
  server { listen 127.0.0.1:${port}; root ${dir}/www; }
}
`,
  );
  const proc = spawn('/usr/sbin/nginx', ['-p', dir, '-e', `${dir}/nginx-error.log`, '-c', conf], { stdio: 'ignore' });
  return { proc, port };
}

// --- load ----------------------------------------------------------------------------------------

interface WrkResult {
  rps: number;
  /** The server's CPU time (user + system) per request answered, in µs: steadier than req/s
   * on a shared machine, since another process's load slows the server but does not add to it. */
  cpuUsPerReq: number;
  p99ms: number;
  errors: number;
  non2xx3xx: number;
  mbPerSec: number;
}

const cpuUs = (pid: number) => cpuSeconds(pid) * 1e6;

function wrk(url: string, headers: Record<string, string>, seconds = SECONDS, pid?: number): WrkResult {
  const h = Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const cpu0 = pid ? cpuUs(pid) : 0;
  const r = spawnSync('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--timeout', '5s', '--latency', ...h, url], { encoding: 'utf8', timeout: (seconds + 30) * 1000 });
  const cpu = pid ? cpuUs(pid) - cpu0 : NaN;
  const w = parseWrk(r.stdout);
  return {
    rps: w.rps,
    cpuUsPerReq: w.requests ? cpu / w.requests : NaN,
    p99ms: w.p99ms,
    errors: Object.values(w.socketErrors).reduce((a, n) => a + n, 0),
    non2xx3xx: w.non2xx3xx,
    mbPerSec: w.mbPerSec,
  };
}


async function timeMs(fn: () => unknown, rounds: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

// --- the benchmark -------------------------------------------------------------------------------

async function coldRender(articles: Article[]) {
  const view = feedView({ id: 'bench', title: 'Bench', description: 'd', language: 'en' }, 'http://127.0.0.1', '*/30 * * * *');
  const perFormat: Record<string, number> = {};
  const bytes: Record<string, number> = {};
  for (const f of FORMATS) {
    const first = performance.now();
    const body = renderFeed(f, view, articles);
    perFormat[f] = performance.now() - first;
    bytes[f] = Buffer.byteLength(body);
  }
  const warm = await timeMs(() => {
    for (const f of FORMATS) renderFeed(f, view, articles);
  }, 5);
  return { perFormat, bytes, allThreeWarmMs: warm };
}

async function pageBuild(dir: string) {
  const out: Record<number, number> = {};
  const store = await openSqlite(join(dir, 'scale.db'));
  let stored = 0;
  for (const target of [1_000, 100_000]) {
    // Ten sources, the feed reads one of them: the page query must not walk the others.
    for (let s = 0; s < 10; s++) await seed(store, `scale${s}`, (target - stored) / 10, 1, stored / 10);
    stored = target;
    out[target] = await timeMs(() => store.listArticles({ sourceIds: ['scale3'], limit: 50 }), 20);
  }
  await store.close();
  return out;
}

export async function benchServe() {
  const dir = mkdtempSync(join(tmpdir(), 'feedrelay-serve-'));
  const procs: ChildProcess[] = [];
  try {
    mkdirSync(join(dir, 'feeds'));
    mkdirSync(join(dir, 'www'));
    writeFileSync(join(dir, 'feeds', 'bench.yaml'), 'title: Bench\nsources:\n  - {id: bench, url: "http://127.0.0.1:9/bench"}\nlimit: 100\n');
    writeFileSync(join(dir, 'feeds', 'other.yaml'), 'title: Other\nsources:\n  - {id: other, url: "http://127.0.0.1:9/other"}\n');
    const store = await openSqlite(join(dir, 'serve.db'));
    await seed(store, 'bench', FEED_POSTS, 18);
    await seed(store, 'other', STORED - FEED_POSTS, 4);
    const feedArticles = (await store.listArticles({ sourceIds: ['bench'], limit: FEED_POSTS })).articles;
    await store.close();
    const render = await coldRender(feedArticles);

    const fr = await child(['--feedrelay', dir, 'silent'], SERVE_NODE_FLAGS);
    procs.push(fr.proc);
    const base = `http://127.0.0.1:${fr.port}`;
    const fetchBody = async (path: string) => Buffer.from(await (await fetch(`${base}${path}`, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer());
    // The bytes feedrelay serves, saved for the baselines to serve.
    const t0 = performance.now();
    writeFileSync(join(dir, 'www', 'feed.atom'), await fetchBody('/feeds/bench.atom'));
    const firstResponseMs = performance.now() - t0;
    writeFileSync(join(dir, 'www', 'feed.json'), await fetchBody('/feeds/bench.json'));
    const etag = (await fetch(`${base}/feeds/bench.atom`, { method: 'HEAD', headers: { 'accept-encoding': 'identity' } })).headers.get('etag');
    if (!etag) throw new Error('the bench feed answered without an ETag');
    const rssBeforeMb = rssMb(pidOfProcess(fr.proc));

    const bare = await child(['--bare', dir]);
    procs.push(bare.proc);
    const logged = await child(['--feedrelay', dir, 'debug'], SERVE_NODE_FLAGS);
    procs.push(logged.proc);
    const nginx = startNginx(dir);
    procs.push(nginx.proc);
    await new Promise((r) => setTimeout(r, 500));
    const b = `http://127.0.0.1:${bare.port}`;

    const targets: Array<{ name: string; url: string; headers?: Record<string, string>; baseline?: string; pid?: number | undefined }> = [
      { name: 'bare Fastify, identity', url: `${b}/identity` },
      { name: 'bare Fastify, gzip', url: `${b}/gzip` },
      { name: 'bare Fastify, JSON Feed', url: `${b}/json` },
      { name: 'bare Fastify, 304', url: `${b}/304` },
      { name: 'nginx, the file', url: `http://127.0.0.1:${nginx.port}/feed.atom`, baseline: 'bare Fastify, identity' },
      { name: 'feedrelay, identity', url: `${base}/feeds/bench.atom`, baseline: 'bare Fastify, identity' },
      { name: 'feedrelay, gzip', url: `${base}/feeds/bench.atom`, headers: { 'accept-encoding': 'gzip' }, baseline: 'bare Fastify, gzip' },
      { name: 'feedrelay, br', url: `${base}/feeds/bench.atom`, headers: { 'accept-encoding': 'br' }, baseline: 'bare Fastify, gzip' },
      { name: 'bare route inside feedrelay, 304', url: `${base}/_bench/304`, baseline: 'bare Fastify, 304' },
      { name: 'feedrelay, 304', url: `${base}/feeds/bench.atom`, headers: { 'if-none-match': etag }, baseline: 'bare Fastify, 304' },
      { name: 'feedrelay, JSON Feed', url: `${base}/feeds/bench.json`, baseline: 'bare Fastify, JSON Feed' },
      { name: 'feedrelay, 304, every request logged (debug)', url: `http://127.0.0.1:${logged.port}/feeds/bench.atom`, headers: { 'if-none-match': etag }, baseline: 'bare Fastify, 304' },
    ];
    const pidOf = (name: string) => (name.startsWith('bare Fastify') ? bare.proc.pid : name.startsWith('nginx') ? nginx.proc.pid : name.includes('every request logged') ? logged.proc.pid : fr.proc.pid);
    for (const t of targets) t.pid = pidOf(t.name);
    const runs = new Map<string, WrkResult[]>(targets.map((t) => [t.name, []]));
    const runsOf = (name: string): WrkResult[] => {
      const r = runs.get(name);
      if (!r) throw new Error(`no bench row named ${name}`);
      return r;
    };
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of targets) {
        wrk(t.url, t.headers ?? {}, 1); // warm-up: connections, JIT
        runsOf(t.name).push(wrk(t.url, t.headers ?? {}, SECONDS, t.pid));
      }
    }
    const rows = targets.map((t) => {
      const rs = runsOf(t.name);
      const bl = t.baseline ? runsOf(t.baseline) : undefined;
      const pick = (f: (w: WrkResult) => number) => median(rs.map(f));
      return {
        name: t.name,
        baseline: t.baseline,
        r: { rps: pick((w) => w.rps), p99ms: pick((w) => w.p99ms), cpuUsPerReq: pick((w) => w.cpuUsPerReq), mbPerSec: pick((w) => w.mbPerSec), errors: rs.reduce((a, w) => a + w.errors, 0), non2xx3xx: rs.reduce((a, w) => a + w.non2xx3xx, 0) },
        ratios: bl && {
          rps: rs.map((w, i) => w.rps / bl[i]!.rps),
          p99: rs.map((w, i) => w.p99ms / bl[i]!.p99ms),
          cpu: rs.map((w, i) => w.cpuUsPerReq / bl[i]!.cpuUsPerReq),
        },
      };
    });
    const rssAfterLoadMb = rssMb(pidOfProcess(fr.proc));
    const rssBareMb = rssMb(pidOfProcess(bare.proc));

    // Ingest to first fresh response, measured inside one service (its store hears the write).
    const inProcess = await ingestToFresh(dir);

    return { render, firstResponseMs, rows, rssBeforeMb, rssAfterLoadMb, rssBareMb, ingestToFreshMs: inProcess, pageBuildMs: await pageBuild(dir) };
  } finally {
    for (const p of procs) p.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Inside one service: an upsert the way an ingest cycle writes it, then the first request that shows it. */
async function ingestToFresh(dir: string): Promise<number> {
  const config = loadConfig({ env: { ...process.env, ...feedrelayEnv(dir) } });
  const service = await createService(config, createLogger(config.log));
  try {
    const before = await service.app.inject({ url: '/feeds/bench.atom' });
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const a = benchArticle(FEED_POSTS + 2_000_000 + i, 'bench', 18);
      const t0 = performance.now();
      await service.store.upsertArticles([{ article: a, dated: true }], new Date());
      const res = await service.app.inject({ url: '/feeds/bench.atom', headers: { 'accept-encoding': 'br' } });
      if (res.headers['etag'] === before.headers['etag'] || !res.rawPayload.length) throw new Error('the fresh response did not change');
      times.push(performance.now() - t0);
    }
    return median(times);
  } finally {
    await service.stop(0);
  }
}

export function printServe(r: Awaited<ReturnType<typeof benchServe>>) {
  console.log(`serving a ${FEED_POSTS}-post feed (${(r.render.bytes['atom']! / 1024).toFixed(0)} KB Atom, ${(r.render.bytes['json']! / 1024).toFixed(0)} KB JSON Feed), ${STORED} articles stored; wrk -t1 -c${CONNECTIONS} -d${SECONDS}s on 127.0.0.1, ${ROUNDS} rounds (rows take turns): medians, and each ratio the median of the per-round ratios [min–max]`);
  console.log('  | row | req/s | p99 ms | MB/s | server CPU µs/req | socket errors | ratio (req/s) | p99 ratio | CPU/req ratio |');
  console.log('  |---|---:|---:|---:|---:|---:|---:|---:|---:|');
  const fmt = (xs: number[]) => `${median(xs).toFixed(2)}× [${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}]`;
  for (const { name, baseline, r: w, ratios } of r.rows) {
    const ratio = ratios ? `${fmt(ratios.rps)} ${baseline}` : 'baseline';
    console.log(`  | ${name} | ${w.rps.toFixed(0)} | ${w.p99ms.toFixed(1)} | ${w.mbPerSec.toFixed(0)} | ${w.cpuUsPerReq.toFixed(0)} | ${w.errors}${w.non2xx3xx ? ` (+${w.non2xx3xx} non-2xx/3xx)` : ''} | ${ratio} | ${ratios ? fmt(ratios.p99) : ''} | ${ratios ? fmt(ratios.cpu) : ''} |`);
  }
  const pf = r.render.perFormat;
  console.log(`  cold render, 100 articles: atom ${pf['atom']!.toFixed(1)} ms, rss ${pf['rss']!.toFixed(1)} ms, json ${pf['json']!.toFixed(1)} ms (first call); all three warm ${r.render.allThreeWarmMs.toFixed(1)} ms   (target < 50 ms)`);
  console.log(`  first response (query, render, gzip, brotli) ${r.firstResponseMs.toFixed(0)} ms; ingest to first fresh response ${r.ingestToFreshMs.toFixed(1)} ms`);
  console.log(`  50-item page query: ${r.pageBuildMs[1_000]!.toFixed(2)} ms at 1,000 articles, ${r.pageBuildMs[100_000]!.toFixed(2)} ms at 100,000 (${(r.pageBuildMs[100_000]! / r.pageBuildMs[1_000]!).toFixed(2)}×, target ≤ 2×)`);
  console.log(`  feedrelay resident memory (node ${SERVE_NODE_FLAGS.join(' ')}): ${r.rssBeforeMb.toFixed(0)} MB before load, ${r.rssAfterLoadMb.toFixed(0)} MB after (target < 200 MB); the bare Fastify process, which loads the same modules, ${r.rssBareMb.toFixed(0)} MB`);
}

if (import.meta.main) {
  if (process.argv[2] === '--feedrelay') await serveFeedrelay(process.argv[3]!, process.argv[4] ?? 'silent');
  else if (process.argv[2] === '--bare') await serveBare(process.argv[3]!);
  else printServe(await benchServe());
}
