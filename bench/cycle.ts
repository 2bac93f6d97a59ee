// A cycle over many sources (issue 5): 2,000 sources on a loopback origin (its own process),
// first answering full feeds (10 items each), then all 304 Not Modified. Reports sources per
// second and peak resident memory, and, as the baseline measured in the same run, the same
// 2,000 conditional requests made with bare undici at the same concurrency: the least any
// fetcher could spend.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Agent, request } from 'undici';
import { openSqlite } from '../src/store/sqlite.ts';
import { createFetcher } from '../src/ingest/fetch/fetcher.ts';
import { CycleRunner } from '../src/schedule/runner.ts';
import type { Source } from '../src/model/feed.ts';
import { SERVE_NODE_FLAGS, startOrigin } from './harness.ts';

const SOURCES = Number(process.env['BENCH_SOURCES'] ?? 2000);
const CONCURRENCY = 4; // config/default.yaml schedule.concurrency
// The defaults from config/default.yaml, with the loopback origin allowed.
const DEFAULT_FETCH = { connectTimeoutMs: 10000, headersTimeoutMs: 15000, bodyTimeoutMs: 30000, maxBodyBytes: 10485760, maxRedirects: 5, userAgent: 'feedrelay-bench', allowPrivateNetworks: true, fileRoot: '.', perHostConcurrency: 2 };

/** The bench's sources, one origin path each. */
const sourcesAt = (originUrl: string): Source[] => Array.from({ length: SOURCES }, (_, n) => ({ id: `s${n}`, url: `${originUrl}/s/${n}`, tagRules: {} }));

const peakRssMb = () => process.resourceUsage().maxRSS / 1024;
const gc = (globalThis as { gc?: () => void }).gc;
/** Heap still in use after a full collection: what a cycle keeps, as opposed to garbage V8 has
 * not yet collected (which RSS also counts). */
const retainedMb = () => {
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

interface CycleOutcome { seconds: number; ok: number; notModified: number; articles: number; peakRssMb: number; retainedGrowthMb: number }

/** One cycle in a fresh process run as `npm start` runs the service, so its peak RSS is its own
 * (maxRSS is the peak of the whole process: in `npm run bench`, the extraction bench before it
 * would otherwise count). */
function cycleInChild(dbPath: string, originUrl: string): Promise<CycleOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', ...SERVE_NODE_FLAGS, new URL(import.meta.url).pathname, '--cycle', dbPath, originUrl], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(out) as CycleOutcome);
      else reject(new Error(`cycle exited ${code}`));
    });
  });
}

async function runCycle(dbPath: string, originUrl: string) {
  const store = await openSqlite(dbPath);
  const fetcher = createFetcher(DEFAULT_FETCH);
  const runner = new CycleRunner({ store, fetcher, log: pino({ level: 'silent' }) }, CONCURRENCY);
  const retainedBefore = retainedMb();
  const r = await runner.run(sourcesAt(originUrl), { force: true });
  const peak = peakRssMb();
  const retainedAfter = retainedMb();
  await fetcher.close();
  await store.close();
  const count = (o: string) => r.sources.filter((s) => s.outcome === o).length;
  const outcome: CycleOutcome = { seconds: r.durationMs / 1000, ok: count('ok'), notModified: count('not_modified'), articles: r.sources.reduce((a, s) => a + s.new, 0), peakRssMb: peak, retainedGrowthMb: retainedAfter - retainedBefore };
  console.log(JSON.stringify(outcome));
}

export async function benchCycle() {
  const origin = await startOrigin();
  const dir = mkdtempSync(join(tmpdir(), 'feedrelay-bench-'));
  try {
    // The first cycle finds every feed new (full bodies); the second, on the same store, gets 304s.
    const full = await cycleInChild(join(dir, 'bench.db'), origin.url);
    const notModified = await cycleInChild(join(dir, 'bench.db'), origin.url);

    // Baseline: the same conditional GETs, bare, same concurrency and per-host limit.
    const agent = new Agent({ connections: 2 });
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 2 }, async () => {
        while (next < SOURCES) {
          const n = next++;
          const res = await request(`${origin.url}/s/${n}`, { dispatcher: agent, headers: { 'if-none-match': `"s${n}-v1"` } });
          await res.body.dump();
        }
      }),
    );
    const bareMs = performance.now() - t0;
    await agent.close();

    return {
      sources: SOURCES,
      full: { ...full, perSec: SOURCES / full.seconds },
      notModified: { ...notModified, perSec: SOURCES / notModified.seconds },
      bare304: { seconds: bareMs / 1000, perSec: SOURCES / (bareMs / 1000) },
    };
  } finally {
    origin.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printCycle(r: Awaited<ReturnType<typeof benchCycle>>) {
  console.log(`cycle over ${r.sources} sources on a loopback origin (concurrency ${CONCURRENCY}, 2 per host), each cycle in its own process (node ${SERVE_NODE_FLAGS.join(' ')}, as npm start)`);
  console.log(`  full feeds     ${r.full.seconds.toFixed(1)} s, ${r.full.perSec.toFixed(0)} sources/s, ${r.full.articles} articles stored, ${r.full.ok} ok; peak RSS ${r.full.peakRssMb.toFixed(0)} MB (target < 300 MB), heap retained after the cycle +${r.full.retainedGrowthMb.toFixed(1)} MB`);
  console.log(`  all 304        ${r.notModified.seconds.toFixed(1)} s, ${r.notModified.perSec.toFixed(0)} sources/s, ${r.notModified.notModified} not modified; peak RSS ${r.notModified.peakRssMb.toFixed(0)} MB (own process)   (target < 30 s, < 300 MB)`);
  console.log(`  baseline: bare undici 304s ${r.bare304.seconds.toFixed(1)} s (${r.bare304.perSec.toFixed(0)}/s); feedrelay's 304 cycle runs at ${(r.notModified.perSec / r.bare304.perSec).toFixed(2)}x of it`);
}

if (import.meta.main) {
  if (process.argv[2] === '--cycle') await runCycle(process.argv[3]!, process.argv[4]!);
  else printCycle(await benchCycle());
}
