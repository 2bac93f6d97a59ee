// Builds a feedrelay service the way main.ts does, on a temp directory with a real SQLite file.
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config/load.ts';
import { createService, type Service } from '../../src/main.ts';

export interface TestEnv {
  dir: string;
  feedsDir: string;
  dbPath: string;
  env: Record<string, string>;
  cleanup: () => void;
}

export function tempEnv(feeds: Record<string, string>, extraEnv: Record<string, string> = {}): TestEnv {
  const dir = mkdtempSync(join(tmpdir(), 'feedrelay-test-'));
  const feedsDir = join(dir, 'feeds');
  mkdirSync(feedsDir);
  for (const [name, yaml] of Object.entries(feeds)) writeFileSync(join(feedsDir, `${name}.yaml`), yaml);
  const dbPath = join(dir, 'data', 'feedrelay.db');
  return {
    dir,
    feedsDir,
    dbPath,
    env: {
      FEEDRELAY_FEEDS_DIR: feedsDir,
      DATABASE_URL: `sqlite:${dbPath}`,
      FEEDRELAY_BASE_URL: 'http://feeds.example.test',
      FEEDRELAY_ALLOW_PRIVATE_NETWORKS: 'true',
      FEEDRELAY_ADMIN_TOKEN: 'test-token',
      LOG_LEVEL: 'silent',
      ...extraEnv,
    },
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startService(env: Record<string, string>): Promise<Service> {
  const config = loadConfig({ env });
  return createService(config, pino({ level: 'silent' }));
}
