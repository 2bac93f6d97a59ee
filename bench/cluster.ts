// Replicas sharing the work (issue 16): 2,000 sources on a loopback origin (its own process) that
// adds 50 ms to every answer, worked by 1 and then by 3 replica processes on one PostgreSQL, each
// run in a schema of its own. A cycle is POST /admin/refresh on one replica until every job is
// completed: first full feeds, then all 304. Reports cycle time, the ratio 3 vs 1 (the baseline,
// measured in the same run), the peak of connections the replicas held (pg_stat_activity), and
// the CPU a cycle cost: the replicas' CPU seconds per source and how many of the machine's cores
// were busy (replicas, PostgreSQL, the origin and anything else), since on a small machine the
// cores, not the origin's latency, bound how much three replicas can gain.
// BENCH_SOURCES sets the number of sources; FEEDRELAY_TEST_POSTGRES the server.
import { cpus } from 'node:os';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startChild, type Child } from '../test/helpers/child.ts';
import { SERVE_NODE_FLAGS, TICKS_PER_SECOND, cpuSeconds, startOrigin } from './harness.ts';

const SOURCES = Number(process.env['BENCH_SOURCES'] ?? 2000);
const DELAY_MS = 50;
const PG_URL = process.env['FEEDRELAY_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test';
// config/default.yaml's cluster.concurrency, store pool (10) and cluster.maxConnections; the
// bound per replica adds the LISTEN connection for changes and one for its version check.
const CONCURRENCY = 4;
const MAX_BOSS = 6;
const BOUND_PER_REPLICA = 10 + MAX_BOSS + 2;

/**
 * CPU seconds the local PostgreSQL has used (every client's, not only the bench's): its live
 * processes' own, plus what its ended backends left on the postmaster. 0 when it runs elsewhere.
 */
function postgresSeconds(): number {
  const procs = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return stat.includes('(postgres)') ? [{ pid: Number(pid), ppid: Number(fields[1]), fields }] : [];
      } catch {
        return []; // ended while being read
      }
    });
  const pids = new Set(procs.map((p) => p.pid));
  let ticks = 0;
  for (const p of procs) {
    ticks += Number(p.fields[11]) + Number(p.fields[12]);
    if (!pids.has(p.ppid)) ticks += Number(p.fields[13]) + Number(p.fields[14]);
  }
  return ticks / TICKS_PER_SECOND;
}

/** The machine's busy and total CPU seconds so far, over every core, from /proc/stat. */
function machineSeconds(): { busy: number; total: number } {
  const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
  const t = (cpu ?? '').split(/\s+/).slice(1, 9).map(Number);
  const total = t.reduce((a, b) => a + b, 0);
  const idle = (t[3] ?? 0) + (t[4] ?? 0);
  return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}

interface Cycle {
  seconds: number;
  /** The replicas' CPU seconds over the cycle, per source. */
  cpuPerSource: number;
  /** PostgreSQL's CPU seconds over the cycle, per source. */
  pgPerSource: number;
  /** Cores busy on average over the cycle, on the whole machine. */
  busyCores: number;
}

interface Run {
  replicas: number;
  full: Cycle;
  notModified: Cycle;
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
    for (let i = 0; i < replicas; i++) children.push(startChild([...SERVE_NODE_FLAGS, 'src/main.ts'], env));
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
    const replicaCpu = () => children.reduce((sum, c) => sum + cpuSeconds(c.proc.pid ?? 0), 0);
    const cycle = async (): Promise<Cycle> => {
      const { rows: before } = await db.query<{ n: number }>(`select count(*)::int as n from ${schema}_jobs.job where name = 'source-fetch' and state = 'completed'`);
      const cpu0 = replicaCpu();
      const pg0 = postgresSeconds();
      const m0 = machineSeconds();
      const t0 = performance.now();
      const res = await fetch(`http://127.0.0.1:${ports[0]}/admin/refresh`, { method: 'POST', headers: { authorization: 'Bearer bench' } });
      const body = (await res.json()) as { queued: string[] };
      if (body.queued.length !== SOURCES) throw new Error(`queued ${body.queued.length} of ${SOURCES}`);
      for (;;) {
        await connections();
        const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from ${schema}_jobs.job where name = 'source-fetch' and state = 'completed'`);
        if ((rows[0]?.n ?? 0) - (before[0]?.n ?? 0) >= SOURCES) {
          const seconds = (performance.now() - t0) / 1000;
          const m1 = machineSeconds();
          const cores = cpus().length;
          return { seconds, cpuPerSource: (replicaCpu() - cpu0) / SOURCES, pgPerSource: (postgresSeconds() - pg0) / SOURCES, busyCores: ((m1.busy - m0.busy) / (m1.total - m0.total)) * cores };
        }
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
  const cores = cpus().length;
  console.log(`cluster: ${r.sources} sources, origin +${DELAY_MS} ms, one PostgreSQL, concurrency ${CONCURRENCY} per replica, node ${SERVE_NODE_FLAGS.join(' ')}, ${cores} cores`);
  // "Else" is the origin, this bench, and whatever else the machine ran meanwhile.
  const cpu = (c: Cycle) => {
    const rest = c.busyCores - ((c.cpuPerSource + c.pgPerSource) * r.sources) / c.seconds;
    return `CPU/source: replicas ${(c.cpuPerSource * 1000).toFixed(1)} ms, PostgreSQL ${(c.pgPerSource * 1000).toFixed(1)} ms; ${c.busyCores.toFixed(2)} of ${cores} cores busy, ${rest.toFixed(2)} on else`;
  };
  for (const x of [r.one, r.three]) {
    console.log(`  ${x.replicas} replica${x.replicas > 1 ? 's' : ' '}   full    ${x.full.seconds.toFixed(1)} s (${cpu(x.full)})`);
    console.log(`               all 304 ${x.notModified.seconds.toFixed(1)} s (${cpu(x.notModified)})`);
    console.log(`               peak connections ${x.peakConnections} (bound ${x.replicas * BOUND_PER_REPLICA}); fetches per replica ${x.fetchedBy.join('/')}`);
  }
  console.log(`  3 vs 1: full ${(r.one.full.seconds / r.three.full.seconds).toFixed(2)}x, all 304 ${(r.one.notModified.seconds / r.three.notModified.seconds).toFixed(2)}x faster   (target >= 2.5x)`);
  // A cycle cannot beat the origin's latency, sources × delay / (replicas × concurrency), nor
  // its CPU: the replicas' and PostgreSQL's seconds spread over the cores (a replica's
  // JavaScript runs on one thread, so one replica alone gets about one core).
  for (const x of [r.one, r.three]) {
    const latency = (r.sources * DELAY_MS) / 1000 / (x.replicas * CONCURRENCY);
    const replicaCores = Math.min(cores, x.replicas);
    const cpu = Math.max((x.full.cpuPerSource * r.sources) / replicaCores, ((x.full.cpuPerSource + x.full.pgPerSource) * r.sources) / cores);
    console.log(`  ${x.replicas} replica${x.replicas > 1 ? 's' : ' '}   full cycle floor: origin latency ${latency.toFixed(1)} s, CPU ${cpu.toFixed(1)} s`);
  }
}

if (import.meta.main) printCluster(await benchCluster());
