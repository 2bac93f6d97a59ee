import t from 'tap';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadConfig, ConfigError } from '../../src/config/load.ts';

const dir = mkdtempSync(join(tmpdir(), 'feedrelay-config-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

t.test('defaults', async (t) => {
  const c = loadConfig({ env: {} });
  t.equal(c.server.port, 8080);
  t.equal(c.server.baseUrl, 'http://localhost:8080', 'base URL derived from the port');
  t.equal(c.store.url, 'sqlite:./data/feedrelay.db');
  t.equal(c.feeds.dir, './feeds');
  t.equal(c.fetch.allowPrivateNetworks, false);
  t.equal(c.fetch.maxBodyBytes, 10 * 1024 * 1024);
  t.equal(c.admin.token, '');
  t.equal(c.log.level, 'info');
});

t.test('file, then env, each on top', async (t) => {
  const f = file('layer.yaml', 'server:\n  port: 9000\n  baseUrl: https://feeds.example.org/\nlog:\n  level: debug\nschedule:\n  cron: "0 * * * *"\n');
  const c = loadConfig({ env: { FEEDRELAY_CONFIG: f, PORT: '9100', FEEDRELAY_ALLOW_PRIVATE_NETWORKS: 'true', DATABASE_URL: 'sqlite:/tmp/x.db', FEEDRELAY_ADMIN_TOKEN: 's3cret', FEEDRELAY_FEEDS_DIR: '/etc/feeds', HOST: '127.0.0.1' } });
  t.equal(c.server.port, 9100, 'env beats the file');
  t.equal(c.server.host, '127.0.0.1');
  t.equal(c.server.baseUrl, 'https://feeds.example.org', 'trailing slash dropped');
  t.equal(c.log.level, 'debug', 'file beats defaults');
  t.equal(c.schedule.cron, '0 * * * *');
  t.equal(c.fetch.allowPrivateNetworks, true);
  t.equal(c.store.url, 'sqlite:/tmp/x.db');
  t.equal(c.admin.token, 's3cret');
  t.equal(c.feeds.dir, '/etc/feeds');
  t.equal(c.fetch.connectTimeoutMs, 10000, 'untouched keys keep their defaults');
  t.equal(loadConfig({ env: { FEEDRELAY_SCHEDULE: '*/5 * * * *' } }).schedule.cron, '*/5 * * * *');
});

const bad: Array<[string, Record<string, string>, RegExp]> = [
  ['a port that is not a number', { PORT: 'eighty' }, /^config: server\.port = "eighty" \(from env PORT\): expected an integer from 0 to 65535$/],
  ['a port out of range', { PORT: '70000' }, /^config: server\.port = 70000 \(from env PORT\): expected an integer from 0 to 65535$/],
  ['a bad boolean', { FEEDRELAY_ALLOW_PRIVATE_NETWORKS: 'maybe' }, /^config: fetch\.allowPrivateNetworks = "maybe" \(from env FEEDRELAY_ALLOW_PRIVATE_NETWORKS\): expected true or false$/],
  ['a bad log level', { LOG_LEVEL: 'loud' }, /^config: log\.level = "loud" \(from env LOG_LEVEL\): expected one of fatal, error, warn, info, debug, trace, silent$/],
  ['a bad cron', { FEEDRELAY_SCHEDULE: 'every hour' }, /^config: schedule\.cron = "every hour" \(from env FEEDRELAY_SCHEDULE\): expected a cron expression/],
  ['a bad database URL', { DATABASE_URL: 'mysql://x' }, /^config: store\.url = "mysql:\/\/x" \(from env DATABASE_URL\): expected sqlite:<path> or postgres/],
  ['a bad base URL', { FEEDRELAY_BASE_URL: 'feeds.example.org' }, /^config: server\.baseUrl = "feeds\.example\.org" \(from env FEEDRELAY_BASE_URL\): expected an http\(s\) URL/],
  ['a missing config file', { FEEDRELAY_CONFIG: '/nonexistent/feedrelay.yaml' }, /^config: cannot read FEEDRELAY_CONFIG file \/nonexistent\/feedrelay\.yaml: ENOENT$/],
];
for (const [what, env, message] of bad) {
  t.test(`refuses ${what} with one clear line`, async (t) => {
    t.throws(() => loadConfig({ env }), { name: 'ConfigError', message });
  });
}

t.test('refuses a bad file with one line naming the key', async (t) => {
  t.throws(() => loadConfig({ env: { FEEDRELAY_CONFIG: file('typo.yaml', 'server:\n  prot: 80\n') } }), {
    message: /^config: unknown key "server\.prot" \(from .*typo\.yaml\): expected one of host, port, baseUrl, trustProxy, shutdownTimeoutMs$/,
  });
  t.throws(() => loadConfig({ env: { FEEDRELAY_CONFIG: file('broken.yaml', 'server: [1, 2\n') } }), { message: /^config: FEEDRELAY_CONFIG file .*broken\.yaml is not valid YAML: / });
  t.throws(() => loadConfig({ env: { FEEDRELAY_CONFIG: file('list.yaml', '- a\n- b\n') } }), { message: /must be a mapping of settings, got a list/ });
  t.throws(() => loadConfig({ env: { FEEDRELAY_CONFIG: file('type.yaml', 'fetch:\n  maxBodyBytes: lots\n') } }), ConfigError);
});

t.test('a bad config stops the real process with one line and exit code 2', async (t) => {
  const r = spawnSync(process.execPath, ['src/main.ts'], { env: { ...process.env, PORT: 'eighty', LOG_LEVEL: 'silent' }, encoding: 'utf8', timeout: 30000 });
  t.equal(r.status, 2);
  t.equal(r.stderr, 'feedrelay: config: server.port = "eighty" (from env PORT): expected an integer from 0 to 65535\n');
  t.equal(r.stdout, '');
});
