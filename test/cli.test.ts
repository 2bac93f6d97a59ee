// `feedrelay fetch` runs one cycle and says by its exit code whether every source worked.
import t from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { startWordPressOrigin } from './helpers/wordpress.ts';
import { tempEnv } from './helpers/service.ts';

const origin = await startWordPressOrigin();
t.teardown(() => origin.close());

// Asynchronous: the origin runs in this process and must keep answering while the CLI runs.
function fetchCli(env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/feedrelay.js', 'fetch'], { env: { ...process.env, ...env }, timeout: 60000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => { resolve({ status, stdout, stderr }); });
  });
}

t.test('exit 0 when every source worked', async (t) => {
  const e = tempEnv({ k: `title: K\nsources:\n  - {id: sw, url: "${origin.url}/feed/"}\n` });
  t.teardown(e.cleanup);
  const r = await fetchCli(e.env);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /^ok\s+sw\s+seen 1, new 1, updated 0, failed items 0$/m);
});

t.test('exit 1 when a source failed, and the others still ingest', async (t) => {
  const e = tempEnv({
    k: `title: K\nsources:\n  - {id: sw, url: "${origin.url}/feed/"}\n  - {id: gone, url: "${origin.url}/missing.xml"}\n`,
  });
  t.teardown(e.cleanup);
  const r = await fetchCli(e.env);
  t.equal(r.status, 1);
  t.match(r.stdout, /^failed\s+gone .*\(fetch: HTTP 404 from http:\/\/127\.0\.0\.1:\d+\/missing\.xml\)$/m);
  t.match(r.stdout, /^ok\s+sw\s+seen 1, new 1/m);
});

t.test('private addresses are refused unless allowed', async (t) => {
  const e = tempEnv({ k: `title: K\nsources:\n  - {id: sw, url: "${origin.url}/feed/"}\n` }, { FEEDRELAY_ALLOW_PRIVATE_NETWORKS: 'false' });
  t.teardown(e.cleanup);
  const r = await fetchCli(e.env);
  t.equal(r.status, 1);
  t.match(r.stdout, /failed\s+sw .*fetch: 127\.0\.0\.1:\d+ is not a public address/);
});

t.test('usage', async (t) => {
  const r = spawnSync(process.execPath, ['bin/feedrelay.js', 'nonsense'], { encoding: 'utf8' });
  t.equal(r.status, 64);
  t.match(r.stderr, /unknown command "nonsense"/);
});
