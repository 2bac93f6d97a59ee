// feedrelay's command line: `serve` (the default), `fetch` (one cycle, then exit), `check`.
import { loadConfig } from './config/load.ts';
import { createLogger } from './log.ts';
import { createService, handleSignals, reportStartupError, serve } from './main.ts';
import { migrateStore } from './store/migrate-store.ts';

const USAGE = `usage: feedrelay [command]

commands:
  serve    start the HTTP service and the schedule (default)
  fetch    run one ingest cycle over every source, then exit (1 if any source failed)
  check    validate the config and feed definitions, then exit
  migrate-store --from <store> --to <store>
           copy sources, their fetch state and articles between stores (safe to re-run),
           e.g. --from sqlite:./data/feedrelay.db --to postgres://host/db
  help     show this text

Configuration comes from config/default.yaml, the file named by FEEDRELAY_CONFIG, and
environment variables; see the README.`;

export async function cli(argv: string[]): Promise<number> {
  const cmd = argv[0] ?? 'serve';
  switch (cmd) {
    case 'serve': {
      handleSignals(await serve());
      return -1; // keeps running
    }
    case 'fetch': {
      const config = loadConfig();
      const service = await createService(config, createLogger(config.log));
      try {
        const cycle = await service.runner.run(service.sources, { force: true });
        const failed = cycle.sources.filter((s) => s.outcome === 'failed');
        for (const s of cycle.sources) {
          process.stdout.write(`${s.outcome.padEnd(12)} ${s.sourceId}  seen ${s.seen}, new ${s.new}, updated ${s.updated}, failed items ${s.failed}${s.error ? `  (${s.error.message})` : ''}\n`);
        }
        return failed.length > 0 ? 1 : 0;
      } finally {
        await service.stop();
      }
    }
    case 'check': {
      const config = loadConfig();
      const service = await createService(config, createLogger({ ...config.log, level: 'warn' as const }));
      process.stdout.write(`ok: ${service.feeds.length} feeds, ${service.sources.length} sources, store ${config.store.url}\n`);
      await service.stop();
      return 0;
    }
    case 'migrate-store':
      return migrateStoreCommand(argv.slice(1));
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    default:
      process.stderr.write(`feedrelay: unknown command "${cmd}"\n${USAGE}\n`);
      return 64;
  }
}

async function migrateStoreCommand(args: string[]): Promise<number> {
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const from = opt('--from');
  const to = opt('--to');
  if (!from || !to) {
    process.stderr.write('feedrelay: migrate-store needs --from <store> and --to <store>\n');
    return 64;
  }
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
