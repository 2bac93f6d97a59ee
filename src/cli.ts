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
import { migrateStore } from './store/migrate-store.ts';
import { importOpml, OpmlError } from './config/opml-import.ts';
import { createFetcher, ACCEPT_FEED } from './ingest/fetch/fetcher.ts';
import { decode } from './ingest/format/decode.ts';
import { detectFormat } from './ingest/format/detect.ts';
import { parseFeed } from './ingest/format/parse-feed.ts';
import { chooseFeed, readAs, readOffer, type FeedLink } from './ingest/page/discover.ts';
import { probeConventional } from './ingest/pipeline/site-address.ts';
import { asIngestError } from './ingest/errors.ts';

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
  migrate-store --from <store> --to <store>
                         copy sources, their fetch state and articles between stores (safe
                         to re-run), e.g. --from sqlite:./data/feedrelay.db --to postgres://host/db
  discover <url>         what a URL offers: a feed (its type and title), an article page, or a
                         site's feeds and the one a source with that url would follow
  import <file.opml> [--feed <id>] [--force]
                         write feed definitions from an OPML subscription list: folders become
                         feeds, subscriptions sources (--feed: all into one feed); never
                         replaces a definition without --force
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
    const cycle = await service.runner.run(sources, { force: true, onSource: (r, done, total) => { bar.step(done, total, `${r.sourceId} ${r.outcome}`); } });
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

const FEED_TYPE: Record<string, string> = { rss: 'RSS', atom: 'Atom', rdf: 'RSS 1.0', jsonfeed: 'JSON Feed', unknown: 'feed' };

async function discoverCommand(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true });
  const [url] = positionals;
  if (!url || positionals.length > 1) throw new UsageError('discover takes one URL');
  const config = loadConfig();
  const fetcher = createFetcher(config.fetch);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const list = (feeds: FeedLink[], chosen: FeedLink | undefined) => {
    for (const f of feeds) say(`  ${f === chosen ? '*' : ' '} ${FEED_TYPE[f.type]!.padEnd(9)} ${f.url}${f.title ? `  "${f.title}"` : ''}${f.secondary ? '  (comments, tag or author feed)' : ''}`);
  };
  try {
    const res = await fetcher.fetch({ url, accept: ACCEPT_FEED });
    const { text } = decode(res.body, res.contentType);
    const format = detectFormat(text, res.contentType);
    if (format === 'html') {
      const offer = readOffer(text, res.url);
      if (readAs(offer, res.url) === 'article') {
        say(`${res.url}: an article page${offer.title ? `, "${offer.title}"` : ''}; a source with this url stores it as one article`);
        if (offer.feeds.length > 0) {
          say('it also declares:');
          list(offer.feeds, undefined);
        }
        return 0;
      }
      const chosen = chooseFeed(offer.feeds);
      if (chosen) {
        say(`${res.url}: a site that declares ${offer.feeds.length} feed${offer.feeds.length === 1 ? '' : 's'} (* is the one a source follows):`);
        list(offer.feeds, chosen);
        return 0;
      }
      const found = await probeConventional(res.url, fetcher);
      if (found) {
        say(`${res.url}: a site that declares no feed; one answers at a conventional address:`);
        list([found.feed], found.feed);
        return 0;
      }
      say(`${res.url}: a home page with no feed (none declared, none at the conventional addresses)`);
      return 1;
    }
    if (format === 'unknown') {
      say(`${res.url}: neither a feed nor an HTML page (${res.contentType ?? 'no Content-Type'})`);
      return 1;
    }
    const feed = await parseFeed(text, format, res.url);
    say(`${res.url}: a feed (${FEED_TYPE[format]})${feed.title ? `, "${feed.title}"` : ''}, ${feed.items.length} item${feed.items.length === 1 ? '' : 's'}`);
    return 0;
  } catch (err) {
    process.stderr.write(`feedrelay: discover: ${asIngestError(err, 'fetch').message}\n`);
    return 1;
  } finally {
    await fetcher.close();
  }
}

function importCommand(args: string[]): number {
  const { values, positionals } = parseArgs({ args, options: { feed: { type: 'string' }, force: { type: 'boolean' } }, allowPositionals: true });
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new UsageError('import takes one OPML file');
  if (values.feed !== undefined && !/^[a-z0-9][a-z0-9_-]*$/.test(values.feed)) throw new UsageError(`--feed ${JSON.stringify(values.feed)}: a feed id is lowercase letters, digits, "-" and "_"`);
  const config = loadConfig();
  let xml: string;
  try {
    xml = readFileSync(file, 'utf8');
  } catch (err) {
    process.stderr.write(`feedrelay: import: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
    return 1;
  }
  try {
    const r = importOpml(xml, config.feeds.dir, {
      ...(values.feed !== undefined && { feed: values.feed }),
      overwrite: values.force === true,
      fileRoot: config.fetch.fileRoot,
      defaultLimit: config.feeds.defaultLimit,
      fallbackTitle: 'Imported',
    });
    for (const w of r.written) process.stdout.write(`wrote ${w.file}: ${w.feed.sources.length} source${w.feed.sources.length === 1 ? '' : 's'} ("${w.feed.title}")\n`);
    for (const s of r.skipped) process.stdout.write(`skipped ${s.url}: ${s.reason}\n`);
    process.stdout.write(`${r.written.length} feed definition${r.written.length === 1 ? '' : 's'} written; they load with the startup checks. A running feedrelay picks them up on its own (feeds.watch) or on SIGHUP.\n`);
    return 0;
  } catch (err) {
    if (err instanceof OpmlError || (err as Error).name === 'FeedDefinitionError') {
      process.stderr.write(`feedrelay: import: ${(err as Error).message}\n`);
      return 1;
    }
    throw err;
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
    const r = await service.prune((id, done, total) => { bar.step(done, total, id); });
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
      case 'migrate-store':
        return await migrateStoreCommand(rest);
      case 'discover':
        return await discoverCommand(rest);
      case 'import':
        return importCommand(rest);
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
    if (err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`feedrelay: ${(err as Error).message}\n${USAGE}\n`);
      return 64;
    }
    throw err;
  }
}

async function migrateStoreCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { from: { type: 'string' }, to: { type: 'string' } }, allowPositionals: false });
  const { from, to } = values;
  if (!from || !to) throw new UsageError('migrate-store needs --from <store> and --to <store>');
  const r = await migrateStore(from, to, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`copied and verified: ${r.sources} sources, ${r.articles} articles, ${r.links} source links, ${r.tags} tags\n`);
  return 0;
}

export function runCli(argv: string[]): void {
  cli(argv)
    .then((code) => {
      if (code >= 0) process.exit(code);
    })
    .catch(reportStartupError);
}

if (import.meta.main) runCli(process.argv.slice(2));
