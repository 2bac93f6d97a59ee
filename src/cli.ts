// feedrelay's command line. Each command is the composition root for one job; what it prints on
// stdout is for people and scripts, progress goes to stderr on a terminal only.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from './config/load.ts';
import { readFeeds } from './config/feeds.ts';
import type { Config } from './config/schema.ts';
import { createLogger } from './log.ts';
import { createService, handleSignals, reportStartupError, serve, type Service } from './main.ts';
import type { SourceState } from './store/port.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const USAGE = `usage: feedrelay [command] [options]

commands:
  serve                  start the HTTP service and the schedule (default)
  fetch [--source <id>]  run one ingest cycle over every source (or the ones named), then exit
                         (1 if any source failed)
  check                  validate the config, every feed definition and its rules; print each
                         problem with its file, key and reason (1 if any)
  render --out <dir>     write every feed in every format, the tag feeds, the index and the
                         OPML as static files, for hosting without a server
  sources                a table of source health: status, last attempt and success, failures,
                         next attempt
  prune                  run retention now (articles older than retention.days)
  help, --help, -h       show this text
  --version, -V          print the version

Configuration comes from config/default.yaml, the file named by FEEDRELAY_CONFIG, and
environment variables; see the README and docs/operations.md.`;

class UsageError extends Error {}

/** On a terminal: one line rewritten in place on stderr. Elsewhere: nothing (the log says it). */
function progress(label: string): { step(done: number, total: number, item: string): void; end(): void } {
  if (!process.stderr.isTTY) return { step() {}, end() {} };
  return {
    step(done, total, item) {
      process.stderr.write(`\r\x1b[K${label} [${done}/${total}] ${item}`);
    },
    end() {
      process.stderr.write('\r\x1b[K');
    },
  };
}

/** A service for one job. On a terminal, info lines would fight the progress line: warn only. */
async function jobService(config: Config): Promise<Service> {
  const level = process.stderr.isTTY && ['info', 'debug', 'trace'].includes(config.log.level) ? 'warn' : config.log.level;
  return createService(config, createLogger({ ...config.log, level }));
}

async function fetchCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { source: { type: 'string', multiple: true } }, allowPositionals: false });
  const config = loadConfig();
  const service = await jobService(config);
  try {
    const wanted = values.source;
    const sources = wanted ? service.sources.filter((s) => wanted.includes(s.id)) : service.sources;
    const unknown = (wanted ?? []).filter((id) => !service.sources.some((s) => s.id === id));
    if (unknown.length > 0) throw new UsageError(`no source with id ${unknown.map((id) => `"${id}"`).join(', ')}; see "feedrelay sources"`);
    const bar = progress('fetch');
    const cycle = await service.runner.run(sources, { force: true, onSource: (r, done, total) => bar.step(done, total, `${r.sourceId} ${r.outcome}`) });
    bar.end();
    for (const s of cycle.sources) {
      process.stdout.write(`${s.outcome.padEnd(12)} ${s.sourceId}  seen ${s.seen}, new ${s.new}, updated ${s.updated}, failed items ${s.failed}${s.error ? `  (${s.error.message})` : ''}\n`);
    }
    return cycle.sources.some((s) => s.outcome === 'failed') ? 1 : 0;
  } finally {
    await service.stop();
  }
}

/** Reads everything without opening the store or the network: safe next to a running service. */
function checkCommand(): number {
  const config = loadConfig();
  const report = readFeeds(config.feeds.dir, { fileRoot: config.fetch.fileRoot, defaultLimit: config.feeds.defaultLimit });
  for (const p of report.problems) process.stdout.write(`${p.message}\n`);
  if (report.problems.length > 0) {
    process.stdout.write(`${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}; ${report.feeds.length} feed${report.feeds.length === 1 ? '' : 's'} fine\n`);
    return 1;
  }
  process.stdout.write(`ok: ${report.feeds.length} feeds, ${report.sources.length} sources\n`);
  return 0;
}

async function renderCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' } } });
  if (!values.out) throw new UsageError('render needs --out <dir>');
  const out = resolve(values.out);
  const config = loadConfig();
  const service = await jobService(config);
  try {
    // Through the app itself, so the files are byte for byte what the server answers.
    const formats = ['atom', 'rss', 'json'];
    const paths = ['/', '/feeds.opml', ...service.feeds.flatMap((f) => formats.map((x) => `/feeds/${f.id}.${x}`))];
    for (const slug of await service.store.listTagSlugs()) paths.push(...formats.map((x) => `/tags/${slug}.${x}`));
    const bar = progress('render');
    let written = 0;
    for (const [i, path] of paths.entries()) {
      bar.step(i + 1, paths.length, path);
      const res = await service.app.inject({ method: 'GET', url: path });
      if (res.statusCode === 404 && path.startsWith('/tags/')) continue; // a tag only filtered-out articles carry
      if (res.statusCode !== 200) throw new Error(`render: GET ${path} answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
      const file = join(out, path === '/' ? 'index.html' : path.slice(1));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, res.rawPayload);
      written++;
    }
    bar.end();
    process.stdout.write(`wrote ${written} files to ${out} (links point at ${config.server.baseUrl})\n`);
    return 0;
  } finally {
    await service.stop();
  }
}

function health(s: SourceState | undefined, now: number): string {
  if (!s || !s.lastAttemptAt) return 'never fetched';
  if (s.consecutiveFailures === 0) return 'ok';
  const waiting = s.nextAttemptAt && Date.parse(s.nextAttemptAt) > now;
  return `failing${waiting ? ', backing off' : ''}`;
}

async function sourcesCommand(): Promise<number> {
  const config = loadConfig();
  const service = await jobService(config);
  try {
    const states = new Map((await service.store.listSourceStates()).map((s) => [s.id, s]));
    const now = Date.now();
    const rows = service.sources.map((src) => {
      const s = states.get(src.id);
      return [src.id, health(s, now), s?.lastAttemptAt ?? '-', s?.lastSuccessAt ?? '-', String(s?.consecutiveFailures ?? 0), s?.nextAttemptAt ?? '-', s?.lastErrorMessage ?? ''];
    });
    const head = ['SOURCE', 'STATUS', 'LAST ATTEMPT', 'LAST SUCCESS', 'FAILURES', 'NEXT ATTEMPT', 'LAST ERROR'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    for (const r of [head, ...rows]) process.stdout.write(`${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()}\n`);
    return rows.some((r) => r[1]!.startsWith('failing')) ? 1 : 0;
  } finally {
    await service.stop();
  }
}

async function pruneCommand(): Promise<number> {
  const config = loadConfig();
  if (config.retention.days <= 0) {
    process.stdout.write('retention is off (retention.days 0); nothing pruned\n');
    return 0;
  }
  const service = await jobService(config);
  try {
    const bar = progress('prune');
    const r = await service.prune((id, done, total) => bar.step(done, total, id));
    bar.end();
    process.stdout.write(`pruned ${r.deleted} article${r.deleted === 1 ? '' : 's'} older than ${r.cutoff} (retention.days ${config.retention.days})\n`);
    return 0;
  } finally {
    await service.stop();
  }
}

export async function cli(argv: string[]): Promise<number> {
  const [cmd = 'serve', ...rest] = argv;
  try {
    switch (cmd) {
      case 'serve':
        handleSignals(await serve());
        return -1; // keeps running
      case 'fetch':
        return await fetchCommand(rest);
      case 'check':
        return checkCommand();
      case 'render':
        return await renderCommand(rest);
      case 'sources':
        return await sourcesCommand();
      case 'prune':
        return await pruneCommand();
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        return 0;
      case 'version':
      case '--version':
      case '-V':
        process.stdout.write(`feedrelay ${VERSION}\n`);
        return 0;
      default:
        throw new UsageError(`unknown command "${cmd}"`);
    }
  } catch (err) {
    // parseArgs says what was wrong with an option (ERR_PARSE_ARGS_*).
    if (err instanceof UsageError || (err as NodeJS.ErrnoException)?.code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`feedrelay: ${(err as Error).message}\n${USAGE}\n`);
      return 64;
    }
    throw err;
  }
}

export function runCli(argv: string[]): void {
  cli(argv)
    .then((code) => {
      if (code >= 0) process.exit(code);
    })
    .catch(reportStartupError);
}

if (import.meta.main) runCli(process.argv.slice(2));
