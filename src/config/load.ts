// Config = config/default.yaml, then the YAML file named by FEEDRELAY_CONFIG, then env vars.
// Any problem stops startup with one line naming the key, the value and what was expected.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { explain } from '../lib/explain.ts';
import cron from 'node-cron';
import { ConfigSchema, type Config } from './schema.ts';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const DEFAULTS_PATH = fileURLToPath(new URL('../../config/default.yaml', import.meta.url));

type Env = Record<string, string | undefined>;
type Tree = Record<string, unknown>;

/** env var -> config path and how to read its string. */
const ENV_MAP: Array<[string, string[], 'string' | 'int' | 'bool' | 'database' | 'list']> = [
  ['HOST', ['server', 'host'], 'string'],
  ['PORT', ['server', 'port'], 'int'],
  ['FEEDRELAY_BASE_URL', ['server', 'baseUrl'], 'string'],
  ['DATABASE_URL', ['store', 'url'], 'database'],
  ['FEEDRELAY_FEEDS_DIR', ['feeds', 'dir'], 'string'],
  ['FEEDRELAY_SCHEDULE', ['schedule', 'cron'], 'string'],
  ['FEEDRELAY_ADMIN_TOKEN', ['admin', 'token'], 'string'],
  ['FEEDRELAY_ALLOW_PRIVATE_NETWORKS', ['fetch', 'allowPrivateNetworks'], 'bool'],
  ['FEEDRELAY_FETCH_ALLOW', ['fetch', 'allow'], 'list'],
  ['FEEDRELAY_METRICS_ENABLED', ['metrics', 'enabled'], 'bool'],
  ['FEEDRELAY_METRICS_TOKEN', ['metrics', 'token'], 'string'],
  ['FEEDRELAY_WEBSUB_HUBS', ['websub', 'hubs'], 'list'],
  ['FEEDRELAY_RETENTION_DAYS', ['retention', 'days'], 'int'],
  ['FEEDRELAY_RATE_LIMIT', ['protection', 'rateLimit', 'enabled'], 'bool'],
  ['LOG_LEVEL', ['log', 'level'], 'string'],
  ['LOG_PRETTY', ['log', 'pretty'], 'bool'],
];

function readYaml(path: string, what: string): Tree {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`config: cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let doc: unknown;
  try {
    doc = YAML.parse(text, { prettyErrors: true });
  } catch (err) {
    const first = (err as Error).message.split('\n')[0];
    throw new ConfigError(`config: ${what} ${path} is not valid YAML: ${first}`);
  }
  if (doc == null) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ConfigError(`config: ${what} ${path} must be a mapping of settings, got ${Array.isArray(doc) ? 'a list' : typeof doc}`);
  }
  return doc as Tree;
}

function isTree(v: unknown): v is Tree {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep-merges `over` into `base`, recording where each leaf came from. */
function merge(base: Tree, over: Tree, origin: string, origins: Map<string, string>, prefix = ''): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isTree(v) && isTree(base[k])) out[k] = merge(base[k], v, origin, origins, key);
    else {
      out[k] = v;
      origins.set(key, origin);
    }
  }
  return out;
}

function coerce(raw: string, kind: 'string' | 'int' | 'bool' | 'database' | 'list'): unknown {
  if (kind === 'int') return /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
  if (kind === 'list') return raw.split(',').map((x) => x.trim()).filter(Boolean);
  if (kind === 'bool') {
    const s = raw.trim().toLowerCase();
    if (s === 'true' || s === '1' || s === 'yes') return true;
    if (s === 'false' || s === '0' || s === 'no') return false;
    return raw;
  }
  return raw;
}

export interface LoadOptions {
  env?: Env;
  defaultsPath?: string;
}

export function loadConfig(opts: LoadOptions = {}): Config {
  const env = opts.env ?? process.env;
  const defaultsPath = opts.defaultsPath ?? DEFAULTS_PATH;
  const origins = new Map<string, string>();
  let tree = readYaml(defaultsPath, 'defaults file');
  const file = env['FEEDRELAY_CONFIG'];
  if (file) tree = merge(tree, readYaml(file, 'FEEDRELAY_CONFIG file'), file, origins);
  for (const [name, path, kind] of ENV_MAP) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const over: Tree = {};
    let node = over;
    path.slice(0, -1).forEach((p) => (node = node[p] = {} as Tree));
    node[path[path.length - 1]!] = coerce(raw, kind);
    tree = merge(tree, over, `env ${name}`, origins);
  }

  const problem = explain(ConfigSchema, tree, (key) => origins.get(key) ?? 'defaults');
  if (problem) throw new ConfigError(`config: ${problem}`);
  const config = tree as Config;
  if (!cron.validate(config.schedule.cron)) {
    throw new ConfigError(
      `config: schedule.cron = ${JSON.stringify(config.schedule.cron)} (from ${origins.get('schedule.cron') ?? 'defaults'}): expected a cron expression such as "*/30 * * * *"`,
    );
  }
  if (!cron.validate(config.retention.cron)) {
    throw new ConfigError(
      `config: retention.cron = ${JSON.stringify(config.retention.cron)} (from ${origins.get('retention.cron') ?? 'defaults'}): expected a cron expression such as "17 3 * * *"`,
    );
  }
  if (config.feeds.defaultLimit > config.feeds.maxLimit) {
    throw new ConfigError(
      `config: feeds.defaultLimit = ${config.feeds.defaultLimit}: expected at most feeds.maxLimit (${config.feeds.maxLimit})`,
    );
  }
  config.server.baseUrl = (config.server.baseUrl || `http://localhost:${config.server.port}`).replace(/\/+$/, '');
  return config;
}
