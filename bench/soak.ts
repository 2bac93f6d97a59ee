// Soak (issue 11): readers poll feedrelay without pause while its sources change and are fetched
// every 10 s. Does its memory level off, does any request time out, and do the feeds keep up?
//
// A loopback origin (bench/origin.ts, its own process) serves 50 sources; 40 of them gain a post
// and revise an older one every 10 s, every fifth stays still. feedrelay runs as `npm start` runs
// it (src/main.ts, the same V8 flags) on a fresh SQLite file, fetching every source every 10 s.
// wrk polls a mix of its feed URLs for BENCH_SOAK_SECONDS (default 180): 10 feeds of 5 sources and
// one of all 50, each as Atom, RSS and JSON Feed, with gzip, brotli or identity, half of the
// requests conditional on the ETag the bench last saw. Every 5 s the bench samples the service's
// resident memory (/proc/<pid>/status), its /metrics and how far the feed is behind the origin.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild } from '../test/helpers/child.ts';
import { SERVE_NODE_FLAGS, cpuSeconds, median, parseWrk, rssMb, startOrigin, type WrkReport } from './harness.ts';

const SECONDS = Number(process.env['BENCH_SOAK_SECONDS'] ?? 180);
const SOURCES = 50;
const PER_FEED = 5;
const CHANGE_SECONDS = 10;
const CONNECTIONS = 50;
const SAMPLE_MS = 5000;
/** How often the bench refreshes the ETags the conditional requests send (and wrk re-reads them). */
const ETAG_REFRESH_MS = 2000;
/** Source 0 is one of those that change (bench/origin.ts keeps every fifth, 4, 9, …, still). */
const WATCHED_SOURCE = 0;

interface Sample {
  t: number;
  rssMb: number;
  heapMb: number;
  heapTotalMb: number;
  externalMb: number;
  cpuPct: number;
  articles: number;
  cycles: number;
  renderCacheMb: number;
  originGeneration: number;
  feedGeneration: number;
}

interface Variant {
  path: string;
  encoding: string;
  conditional: boolean;
}

/** Prometheus text: the sum of every series of a metric whose labels contain `labels`. */
function metric(text: string, name: string, labels = ''): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== ' ' && line[name.length] !== '{')) continue;
    if (labels && !line.includes(labels)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** The heap still in use after full collections, in MB, asked of a process through its inspector
 * (`--inspect`): what the process keeps, as opposed to garbage not yet collected and the pages V8
 * holds on to, which RSS and the heap-used gauge also count. */
async function retainedHeapMb(inspectorUrl: string): Promise<number> {
  const ws = new WebSocket(inspectorUrl);
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve);
    ws.addEventListener('error', reject);
  });
  const answers = new Map<number, (result: Record<string, unknown>) => void>();
  ws.addEventListener('message', (e) => {
    const m = JSON.parse(String(e.data)) as { id?: number; result?: Record<string, unknown> };
    if (m.id !== undefined) answers.get(m.id)?.(m.result ?? {});
  });
  let id = 0;
  const call = (method: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      answers.set(++id, resolve);
      ws.send(JSON.stringify({ id, method }));
    });
  try {
    // Twice: what the first collection frees (finalizers, weak callbacks) may let the second free more.
    await call('HeapProfiler.collectGarbage');
    await call('HeapProfiler.collectGarbage');
    return Number((await call('Runtime.getHeapUsage'))['usedSize']) / 2 ** 20;
  } finally {
    ws.close();
  }
}

/** wrk's script: the variants in turn; conditional ones send the ETag last written to `etagFile`. */
function luaScript(variants: Variant[], etagFile: string): string {
  const rows = variants.map((v) => `{ path = "${v.path}", ae = "${v.encoding}", cond = ${String(v.conditional)} }`).join(',\n  ');
  return `local variants = {
  ${rows}
}
local etags = {}
local n, sent = 0, 0
local function load()
  local f = io.open("${etagFile}", "r")
  if not f then return end
  for line in f:lines() do
    local i, tag = line:match("^(%d+) (.+)$")
    if i then etags[tonumber(i)] = tag end
  end
  f:close()
end
request = function()
  if sent % 200 == 0 then load() end
  sent = sent + 1
  n = n % #variants + 1
  local v = variants[n]
  local h = { ["Accept-Encoding"] = v.ae }
  if v.cond and etags[n] then h["If-None-Match"] = etags[n] end
  return wrk.format("GET", v.path, h)
end
`;
}

function runWrk(base: string, script: string): Promise<{ report: WrkReport; out: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--timeout', '5s', '--latency', '-s', script, base], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => {
      if (code === 0) resolve({ report: parseWrk(out), out });
      else reject(new Error(`wrk exited ${String(code)}: ${out}`));
    });
  });
}

/** The newest generation of the watched source a feed shows: its newest post is post g+9. */
function feedGeneration(body: string): number {
  const feed = JSON.parse(body) as { items: Array<{ title?: string }> };
  let newest = -Infinity;
  for (const it of feed.items) {
    const m = new RegExp(`^Source ${WATCHED_SOURCE} post (\\d+):`).exec(it.title ?? '');
    if (m) newest = Math.max(newest, Number(m[1]) - 9);
  }
  return newest;
}

export async function benchSoak() {
  const origin = await startOrigin({ ORIGIN_CHANGE_SECONDS: String(CHANGE_SECONDS) });
  const dir = mkdtempSync(join(tmpdir(), 'feedrelay-soak-'));
  const service = { stop: () => Promise.resolve() };
  try {
    mkdirSync(join(dir, 'feeds'));
    const src = (n: number) => `  - {id: s${n}, url: "${origin.url}/s/${n}"}`;
    const feedIds: string[] = [];
    for (let f = 0; f < SOURCES / PER_FEED; f++) {
      feedIds.push(`f${f}`);
      writeFileSync(join(dir, 'feeds', `f${f}.yaml`), `title: Feed ${f}\nsources:\n${Array.from({ length: PER_FEED }, (_, k) => src(f * PER_FEED + k)).join('\n')}\n`);
    }
    feedIds.push('all');
    writeFileSync(join(dir, 'feeds', 'all.yaml'), `title: All\nsources:\n${Array.from({ length: SOURCES }, (_, n) => src(n)).join('\n')}\n`);
    // Loopback is a private address: the fetcher refuses it unless it is opened, here only it.
    writeFileSync(join(dir, 'config.yaml'), `schedule:\n  cron: "*/${CHANGE_SECONDS} * * * * *"\nfetch:\n  allow: ["127.0.0.1"]\n`);

    // The inspector (on a port of its own, idle but for two calls) is how the bench makes the
    // service collect its garbage before and after the load; nothing else differs from npm start.
    const child = startChild([...SERVE_NODE_FLAGS, '--inspect=127.0.0.1:0', new URL('../src/main.ts', import.meta.url).pathname], {
      FEEDRELAY_CONFIG: join(dir, 'config.yaml'),
      FEEDRELAY_FEEDS_DIR: join(dir, 'feeds'),
      DATABASE_URL: `sqlite:${join(dir, 'soak.db')}`,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
    });
    service.stop = async () => {
      child.proc.kill('SIGTERM');
      await child.exited;
    };
    await child.waitFor((l) => l['msg'] === 'feedrelay listening', 1, 60_000);
    const port = Number(child.lines.find((l) => l['msg'] === 'feedrelay listening')?.['port']);
    const pid = child.proc.pid;
    if (!port || pid === undefined) throw new Error('feedrelay started without saying where it listens');
    const inspector = /ws:\/\/\S+/.exec(child.stderr())?.[0];
    if (!inspector) throw new Error(`feedrelay started without its inspector: ${child.stderr()}`);
    const base = `http://127.0.0.1:${port}`;
    const metrics = async () => (await fetch(`${base}/metrics`)).text();
    // The start-up cycle has stored every source's posts before the readers come.
    const startedAt = performance.now();
    while (metric(await metrics(), 'feedrelay_cycles_total') < 1) {
      if (performance.now() - startedAt > 60_000) throw new Error('no ingest cycle finished within 60 s of start');
      await new Promise((r) => setTimeout(r, 250));
    }

    const variants: Variant[] = feedIds.flatMap((id) =>
      ['atom', 'rss', 'json'].flatMap((ext) => {
        const path = `/feeds/${id}.${ext}`;
        return [
          { path, encoding: 'gzip', conditional: false },
          { path, encoding: 'br', conditional: false },
          { path, encoding: 'gzip', conditional: true },
          { path, encoding: 'identity', conditional: true },
        ];
      }),
    );
    const etagFile = join(dir, 'etags.txt');
    const refreshEtags = async () => {
      const lines = await Promise.all(
        variants.map(async (v, i) => {
          if (!v.conditional) return '';
          const res = await fetch(`${base}${v.path}`, { method: 'HEAD', headers: { 'accept-encoding': v.encoding } });
          const etag = res.headers.get('etag');
          // Lua counts from 1.
          return etag ? `${i + 1} ${etag}\n` : '';
        }),
      );
      // Renamed into place, so wrk never reads half a file.
      writeFileSync(`${etagFile}.tmp`, lines.join(''));
      renameSync(`${etagFile}.tmp`, etagFile);
    };
    await refreshEtags();
    const script = join(dir, 'soak.lua');
    writeFileSync(script, luaScript(variants, etagFile));

    const sampleNow = async (t: number, cpu: { at: number; s: number }): Promise<Sample> => {
      const [text, gen, feed] = await Promise.all([
        metrics(),
        fetch(`${origin.url}/generation`).then((r) => r.json() as Promise<number>),
        fetch(`${base}/feeds/f${Math.floor(WATCHED_SOURCE / PER_FEED)}.json`).then((r) => r.text()),
      ]);
      const now = performance.now();
      const s = cpuSeconds(pid);
      const cpuPct = ((s - cpu.s) / ((now - cpu.at) / 1000)) * 100;
      cpu.at = now;
      cpu.s = s;
      return {
        t,
        rssMb: rssMb(pid),
        heapMb: metric(text, 'nodejs_heap_size_used_bytes') / 2 ** 20,
        heapTotalMb: metric(text, 'nodejs_heap_size_total_bytes') / 2 ** 20,
        externalMb: metric(text, 'nodejs_external_memory_bytes') / 2 ** 20,
        cpuPct,
        articles: metric(text, 'feedrelay_articles_stored'),
        cycles: metric(text, 'feedrelay_cycles_total'),
        renderCacheMb: metric(text, 'feedrelay_render_cache_bytes') / 2 ** 20,
        originGeneration: gen,
        feedGeneration: feedGeneration(feed),
      };
    };

    const retainedBefore = await retainedHeapMb(inspector);
    const cpu = { at: performance.now(), s: cpuSeconds(pid) };
    const before = await sampleNow(0, cpu);
    const textBefore = await metrics();
    const samples: Sample[] = [];
    const t0 = performance.now();
    const errors: unknown[] = [];
    const sampler = setInterval(() => {
      sampleNow(Math.round((performance.now() - t0) / 1000), cpu).then((s) => samples.push(s), (err: unknown) => errors.push(err));
    }, SAMPLE_MS);
    const refresher = setInterval(() => {
      refreshEtags().catch((err: unknown) => errors.push(err));
    }, ETAG_REFRESH_MS);
    let load: Awaited<ReturnType<typeof runWrk>>;
    try {
      load = await runWrk(base, script);
    } finally {
      clearInterval(sampler);
      clearInterval(refresher);
    }
    if (errors.length > 0) throw new Error(`sampling failed during the run: ${String(errors[0])}`);
    const text = await metrics();

    // Fresh content: within two fetch periods, the feeds must show the origin's current
    // generation: the watched source's new post in its feed and in the feed of all sources, and
    // the post it revised in its feed (the feed of all, 50 items, has no room for posts that old).
    const finalGen = await (await fetch(`${origin.url}/generation`)).json() as number;
    const waitStart = performance.now();
    let fresh = false;
    let revised = false;
    while (performance.now() - waitStart < 2 * CHANGE_SECONDS * 1000) {
      const own = await (await fetch(`${base}/feeds/f${Math.floor(WATCHED_SOURCE / PER_FEED)}.json`)).text();
      const all = await (await fetch(`${base}/feeds/all.json`)).text();
      fresh = feedGeneration(own) >= finalGen && feedGeneration(all) >= finalGen;
      revised = own.includes(`Source ${WATCHED_SOURCE} post ${finalGen + 4}: Almaty metro news (revised in generation ${finalGen})`);
      if (fresh && revised) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const freshAfterS = (performance.now() - waitStart) / 1000;
    const rssAtEnd = rssMb(pid);
    const retainedAfter = await retainedHeapMb(inspector);
    const rssAfterGc = rssMb(pid);
    await service.stop();

    const statuses = (t: string) => ({
      ok: metric(t, 'feedrelay_http_requests_total', 'status="200"'),
      notModified: metric(t, 'feedrelay_http_requests_total', 'status="304"'),
      other: metric(t, 'feedrelay_http_requests_total') - metric(t, 'feedrelay_http_requests_total', 'status="200"') - metric(t, 'feedrelay_http_requests_total', 'status="304"'),
    });
    const s0 = statuses(textBefore);
    const s1 = statuses(text);
    const fetches = (t: string, outcome: string) => metric(t, 'feedrelay_fetches_total', `outcome="${outcome}"`);
    return {
      seconds: SECONDS,
      before,
      samples,
      rssAtEnd,
      rssAfterGc,
      retained: { before: retainedBefore, after: retainedAfter },
      wrk: load.report,
      http: { ok: s1.ok - s0.ok, notModified: s1.notModified - s0.notModified, other: s1.other - s0.other },
      fetches: {
        ok: fetches(text, 'ok') - fetches(textBefore, 'ok'),
        notModified: fetches(text, 'not_modified') - fetches(textBefore, 'not_modified'),
        failed: fetches(text, 'failed') - fetches(textBefore, 'failed'),
        skipped: fetches(text, 'skipped') - fetches(textBefore, 'skipped'),
      },
      items: { new: metric(text, 'feedrelay_items_total', 'change="new"'), updated: metric(text, 'feedrelay_items_total', 'change="updated"') },
      cycles: metric(text, 'feedrelay_cycles_total') - metric(textBefore, 'feedrelay_cycles_total'),
      cycleSeconds:
        (metric(text, 'feedrelay_cycle_duration_seconds_sum') - metric(textBefore, 'feedrelay_cycle_duration_seconds_sum')) /
        (metric(text, 'feedrelay_cycle_duration_seconds_count') - metric(textBefore, 'feedrelay_cycle_duration_seconds_count')),
      articles: metric(text, 'feedrelay_articles_stored'),
      fresh: { finalGen, fresh, revised, afterS: freshAfterS },
      warnings: child.lines.filter((l) => Number(l['level']) >= 40).length,
    };
  } finally {
    await service.stop();
    origin.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const maxOf = (xs: number[]) => Math.max(...xs);

export function printSoak(r: Awaited<ReturnType<typeof benchSoak>>) {
  console.log(`soak: ${SECONDS} s of wrk -t1 -c${CONNECTIONS} --timeout 5s on 127.0.0.1 over 33 feed URLs (11 feeds × Atom/RSS/JSON; gzip, br, gzip + If-None-Match, identity + If-None-Match), ${SOURCES} sources fetched every ${CHANGE_SECONDS} s, ${(SOURCES * 4) / 5} of them changing every ${CHANGE_SECONDS} s; feedrelay as npm start runs it (node ${SERVE_NODE_FLAGS.join(' ')} src/main.ts), fresh SQLite`);
  console.log('');
  console.log('| t (s) | RSS MB | heap used MB | heap total MB | external MB | CPU % | render cache MB | articles | cycles | origin gen | feed gen |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const row = (label: string, s: Sample, cpu = s.cpuPct.toFixed(0)) => {
    console.log(`| ${label} | ${s.rssMb.toFixed(0)} | ${s.heapMb.toFixed(0)} | ${s.heapTotalMb.toFixed(0)} | ${s.externalMb.toFixed(0)} | ${cpu} | ${s.renderCacheMb.toFixed(1)} | ${s.articles} | ${s.cycles} | ${s.originGeneration} | ${s.feedGeneration} |`);
  };
  row('before load', r.before, '');
  for (const s of r.samples) row(String(s.t), s);
  console.log('');
  const w = r.wrk;
  const se = w.socketErrors;
  console.log(`wrk: ${w.requests} requests, ${w.rps.toFixed(0)} req/s, ${w.mbPerSec.toFixed(1)} MB/s, p50 ${w.p50ms.toFixed(1)} ms, p99 ${w.p99ms.toFixed(1)} ms; socket errors: connect ${se.connect}, read ${se.read}, write ${se.write}, timeout ${se.timeout}; non-2xx/3xx ${w.non2xx3xx}`);
  console.log(`feedrelay answered (its metrics): ${r.http.ok} × 200, ${r.http.notModified} × 304, ${r.http.other} other`);
  console.log(`ingest during the load: ${r.cycles} cycles (one per ${CHANGE_SECONDS} s would be ${Math.floor(SECONDS / CHANGE_SECONDS)}) of ${r.cycleSeconds.toFixed(1)} s on average, fetches ${r.fetches.ok} ok, ${r.fetches.notModified} not modified, ${r.fetches.failed} failed, ${r.fetches.skipped} skipped; articles new ${r.items.new}, updated ${r.items.updated} since start; ${r.articles} articles stored at the end; ${r.warnings} warning/error log lines`);

  // Memory: RSS is what the issue asks about. The thirds compare the middle and the last third of
  // the run (the first includes the climb from idle to load) by their medians: a level that keeps
  // rising moves the median, while a single sample's spike (renders after a change meeting a major
  // collection), gone by the next sample, is not growth. The peaks are printed beside them.
  const third = Math.floor(r.samples.length / 3);
  const mid = r.samples.slice(third, 2 * third);
  const last = r.samples.slice(2 * third);
  const midMax = maxOf(mid.map((s) => s.rssMb));
  const lastMax = maxOf(last.map((s) => s.rssMb));
  const midMedian = median(mid.map((s) => s.rssMb));
  const lastMedian = median(last.map((s) => s.rssMb));
  const heapMid = maxOf(mid.map((s) => s.heapMb));
  const heapLast = maxOf(last.map((s) => s.heapMb));
  // And the heap retained after full collections, which garbage does not blur: a leak shows there
  // first, even one too slow to lift the RSS of a few minutes.
  const levelled = third > 0 && lastMedian <= midMedian * 1.1 && r.retained.after <= r.retained.before * 1.1;
  console.log(`memory: RSS ${r.before.rssMb.toFixed(0)} MB before load; median of the middle third ${midMedian.toFixed(0)} MB, of the last third ${lastMedian.toFixed(0)} MB (${(lastMedian / midMedian).toFixed(3)}×); peaks ${midMax.toFixed(0)} and ${lastMax.toFixed(0)} MB (${(lastMax / midMax).toFixed(3)}×); heap used peaks ${heapMid.toFixed(0)} and ${heapLast.toFixed(0)} MB; RSS ${r.rssAtEnd.toFixed(0)} MB at the end, ${r.rssAfterGc.toFixed(0)} MB after full collections`);
  console.log(`heap retained after full collections: ${r.retained.before.toFixed(1)} MB before the load, ${r.retained.after.toFixed(1)} MB after it (${(r.retained.after / r.retained.before).toFixed(3)}×)`);
  console.log(`fresh content: origin at generation ${r.fresh.finalGen} when the load ended; the feeds showed its new post ${r.fresh.fresh ? 'yes' : 'NO'}, its revised post ${r.fresh.revised ? 'yes' : 'NO'} (${r.fresh.afterS.toFixed(1)} s after the load ended)`);
  const lag = maxOf(r.samples.map((s) => s.originGeneration - s.feedGeneration));
  console.log(`feed lag during the load: at most ${lag} generation${lag === 1 ? '' : 's'} behind the origin (samples every ${SAMPLE_MS / 1000} s)`);
  const ok = levelled && se.timeout === 0 && r.fresh.fresh && r.fresh.revised;
  console.log(`verdict: memory ${levelled ? 'levelled off' : 'DID NOT level off'} (last third's median RSS within 10% of the middle third's, heap retained after the load within 10% of before), ${se.timeout === 0 ? 'no request timed out' : `${se.timeout} requests TIMED OUT`}, feeds ${r.fresh.fresh && r.fresh.revised ? 'fresh' : 'NOT fresh'}: ${ok ? 'PASS' : 'FAIL'}`);
  return ok;
}

if (import.meta.main) {
  if (!printSoak(await benchSoak())) process.exitCode = 1;
}
