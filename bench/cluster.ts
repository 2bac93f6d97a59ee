// Replicas sharing the work (issue 16): 2,000 sources on a loopback origin (its own process) that
// adds 50 ms to every answer, worked by 1 and then by 3 replica processes on one PostgreSQL, each
// run in a schema of its own. A cycle is POST /admin/refresh on one replica until every job is
// completed: first full feeds, then all 304. Reports cycle time, the ratio 3 vs 1 (the baseline,
// measured in the same run) and the peak of connections the replicas held (pg_stat_activity).
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startChild, type Child } from '../test/helpers/child.ts';
import { startOrigin } from './harness.ts';

const SOURCES = Number(process.env['BENCH_SOURCES'] ?? 2000);
const DELAY_MS = 50;
const PG_URL = process.env['FEEDRELAY_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test';
// config/default.yaml's cluster.concurrency, store pool (10) and cluster.maxConnections; the
// bound per replica adds the LISTEN connection for changes and one for its version check.
const CONCURRENCY = 4;
const MAX_BOSS = 6;
const BOUND_PER_REPLICA = 10 + MAX_BOSS + 2;

interface Run {
  replicas: number;
  full: number;
  notModified: number;
  peakConnections: number;
  fetchedBy: number[];
}

async function runWith(replicas: number, dir: string): Promise<Run> {
  const schema = `feedrelay_bench_${process.pid}_${replicas}`;
  const appName = `feedrelay-bench-${process.pid}-${replicas}`;
  const db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  const children: Child[] = [];
  try {
    const env = {
      FEEDRELAY_FEEDS_DIR: join(dir, 'feeds'),
      FEEDRELAY_CONFIG: join(dir, 'config.yaml'),
      DATABASE_URL: `${PG_URL}?schema=${schema}`,
      FEEDRELAY_ALLOW_PRIVATE_NETWORKS: 'true',
      FEEDRELAY_ADMIN_TOKEN: 'bench',
      PGAPPNAME: appName,
      PORT: '0',
      LOG_LEVEL: 'info',
    };
    for (let i = 0; i < replicas; i++) children.push(startChild(['src/main.ts'], env));
    const ports: number[] = [];
    for (const c of children) {
      await c.waitFor((l) => l['msg'] === 'feedrelay listening', 1, 120_000);
      const line = c.lines.find((l) => /^Server listening at http:\/\/127\.0\.0\.1:/.test(String(l['msg'])));
      const port = line && /:(\d+)$/.exec(String(line['msg']))?.[1];
      if (!port) throw new Error('a replica started without saying where it listens');
      ports.push(Number(port));
    }
    let peak = 0;
    const connections = async () => {
      const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where application_name = $1 or application_name like $2`, [appName, `feedrelay-changes ${schema}%`]);
      peak = Math.max(peak, rows[0]?.n ?? 0);
    };
    const cycle = async (): Promise<number> => {
      const { rows: before } = await db.query<{ n: number }>(`select count(*)::int as n from ${schema}_jobs.job where name = 'source-fetch' and state = 'completed'`);
      const t0 = performance.now();
      const res = await fetch(`http://127.0.0.1:${ports[0]}/admin/refresh`, { method: 'POST', headers: { authorization: 'Bearer bench' } });
      const body = (await res.json()) as { queued: string[] };
      if (body.queued.length !== SOURCES) throw new Error(`queued ${body.queued.length} of ${SOURCES}`);
      for (;;) {
        await connections();
        const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from ${schema}_jobs.job where name = 'source-fetch' and state = 'completed'`);
        if ((rows[0]?.n ?? 0) - (before[0]?.n ?? 0) >= SOURCES) return (performance.now() - t0) / 1000;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const full = await cycle();
    const notModified = await cycle();
    const fetchedBy = children.map((c) => c.lines.filter((l) => l['msg'] === 'source fetched').length);
    return { replicas, full, notModified, peakConnections: peak, fetchedBy };
  } finally {
    for (const c of children) c.proc.kill('SIGTERM');
    await Promise.all(children.map((c) => c.exited));
    await db.query(`drop schema if exists ${schema} cascade`);
    await db.query(`drop schema if exists ${schema}_jobs cascade`);
    await db.end();
  }
}

export async function benchCluster() {
  const origin = await startOrigin({ ORIGIN_DELAY_MS: String(DELAY_MS) });
  const dir = mkdtempSync(join(tmpdir(), 'feedrelay-bench-cluster-'));
  try {
    mkdirSync(join(dir, 'feeds'));
    const sources = Array.from({ length: SOURCES }, (_, n) => `  - {id: s${n}, url: "${origin.url}/s/${n}"}`).join('\n');
    writeFileSync(join(dir, 'feeds', 'bench.yaml'), `title: Bench\nsources:\n${sources}\n`);
    writeFileSync(
      join(dir, 'config.yaml'),
      `schedule:\n  cron: "0 0 1 1 *"\n  runAtStart: false\nfetch:\n  perHostConcurrency: 64\ncluster:\n  concurrency: ${CONCURRENCY}\n  maxConnections: ${MAX_BOSS}\n`,
    );
    const one = await runWith(1, dir);
    const three = await runWith(3, dir);
    return { sources: SOURCES, one, three };
  } finally {
    origin.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printCluster(r: Awaited<ReturnType<typeof benchCluster>>) {
  console.log(`cluster: ${r.sources} sources, origin +${DELAY_MS} ms, one PostgreSQL, concurrency ${CONCURRENCY} per replica`);
  for (const x of [r.one, r.three]) {
    console.log(`  ${x.replicas} replica${x.replicas > 1 ? 's' : ' '}   full ${x.full.toFixed(1)} s, all 304 ${x.notModified.toFixed(1)} s; peak connections ${x.peakConnections} (bound ${x.replicas * BOUND_PER_REPLICA}); fetches per replica ${x.fetchedBy.join('/')}`);
  }
  console.log(`  3 vs 1: full ${(r.one.full / r.three.full).toFixed(2)}x, all 304 ${(r.one.notModified / r.three.notModified).toFixed(2)}x faster   (target >= 2.5x)`);
}

if (import.meta.main) printCluster(await benchCluster());
