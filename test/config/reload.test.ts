// Live reload in a real process: SIGHUP and a change in the feeds directory swap the definitions
// without a restart or a dropped request; a broken file keeps the last good ones, logged with
// its file and reason.
import t from 'tap';
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { startOrigin } from '../helpers/origin.ts';
import { startChild, rssFeed, type Child } from '../helpers/child.ts';
import { tempEnv } from '../helpers/service.ts';

const origin = await startOrigin({
  '/a.xml': (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('alpha', 2)),
  '/b.xml': (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('beta', 3)),
});
t.teardown(() => origin.close());

const feedA = `title: A\nsources:\n  - {id: alpha, url: "${origin.url}/a.xml"}\n`;
const feedB = `title: B\nsources:\n  - {id: beta, url: "${origin.url}/b.xml"}\n`;
const reloaded = (l: Record<string, unknown>) => l['msg'] === 'feed definitions reloaded';
const refused = (l: Record<string, unknown>) => l['msg'] === 'feed definitions not reloaded; the last good ones stay in force';

async function serve(t: { teardown(f: () => void): void }, watch: boolean, prepare?: (e: ReturnType<typeof tempEnv>) => void) {
  const e = tempEnv({ a: feedA }, { PORT: '0', LOG_LEVEL: 'info' });
  t.teardown(e.cleanup);
  prepare?.(e);
  writeFileSync(join(e.dir, 'config.yaml'), `feeds:\n  watch: ${watch}\n`);
  const child = startChild(['src/main.ts'], { ...e.env, FEEDRELAY_CONFIG: join(e.dir, 'config.yaml') });
  t.teardown(() => child.proc.kill('SIGKILL'));
  await child.waitFor((l) => l['msg'] === 'startup cycle done');
  const port = Number(child.lines.find((l) => l['msg'] === 'feedrelay listening')?.['port']);
  return { e, child, base: `http://127.0.0.1:${port}` };
}

async function refreshedSources(base: string): Promise<string[]> {
  const r = await fetch(`${base}/admin/refresh`, { method: 'POST', headers: { authorization: 'Bearer test-token' } });
  return ((await r.json()) as { sources: Array<{ id: string }> }).sources.map((s) => s.id).sort();
}

/** Requests the service while `during` runs; every answer must be a 200. */
async function underLoad(base: string, during: () => Promise<void>): Promise<number[]> {
  let go = true;
  const codes: number[] = [];
  const poll = async () => {
    while (go) codes.push(await fetch(`${base}/feeds/a.atom`).then((r) => (r.arrayBuffer(), r.status), () => -1));
  };
  const loop = poll();
  await during();
  go = false;
  await loop;
  return codes;
}

t.test('SIGHUP: a new feed file joins, its source is fetched at once; nothing dropped', async (t) => {
  const { e, child, base } = await serve(t, false);
  t.same(await refreshedSources(base), ['alpha']);
  const codes = await underLoad(base, async () => {
    writeFileSync(join(e.feedsDir, 'b.yaml'), feedB);
    child.proc.kill('SIGHUP');
    await child.waitFor(reloaded);
    await child.waitFor((l) => l['msg'] === 'source fetched' && l['source'] === 'beta');
    await new Promise((r) => setTimeout(r, 300));
  });
  t.ok(codes.length > 0 && codes.every((c) => c === 200), `${codes.length} requests during the reload, all 200`);
  t.match(child.lines.find(reloaded), { reason: 'SIGHUP', changed: ['b'], feeds: 2, sources: 2 });
  t.equal(child.proc.exitCode, null, 'still running');
  t.same(await refreshedSources(base), ['alpha', 'beta'], 'the admin routes see the new definitions');

  // A broken file: the last good definitions stay, the file and the reason are logged.
  writeFileSync(join(e.feedsDir, 'c.yaml'), 'title: C\nsources:\n  - {id: gamma, url: "not a url"}\n');
  writeFileSync(join(e.feedsDir, 'b.yaml'), 'title: B2\nsources: []\n');
  child.proc.kill('SIGHUP');
  await child.waitFor(refused, 2);
  const problems = child.lines.filter(refused);
  t.same(problems.map((l) => String(l['file']).split('/').pop()).sort(), ['b.yaml', 'c.yaml']);
  t.match(problems.find((l) => String(l['file']).endsWith('c.yaml')), { reason: 'SIGHUP', problem: /c\.yaml: sources\.0\.url = "not a url": expected an http\(s\) URL/ });
  t.match(problems.find((l) => String(l['file']).endsWith('b.yaml')), { problem: /b\.yaml: sources/ });
  t.same(await refreshedSources(base), ['alpha', 'beta'], 'the last good definitions are in force');

  // Fixed: the next reload takes it.
  unlinkSync(join(e.feedsDir, 'c.yaml'));
  writeFileSync(join(e.feedsDir, 'b.yaml'), feedB);
  child.proc.kill('SIGHUP');
  await child.waitFor((l) => l['msg'] === 'feed definitions reloaded; nothing changed');
  t.same(await refreshedSources(base), ['alpha', 'beta']);

  // Removing a feed takes its source out of the schedule.
  unlinkSync(join(e.feedsDir, 'b.yaml'));
  child.proc.kill('SIGHUP');
  await child.waitFor(reloaded, 2);
  t.match(child.lines.filter(reloaded)[1], { changed: ['b'], feeds: 1 });
  t.same(await refreshedSources(base), ['alpha']);
});

t.test('a file changed in the feeds directory reloads without a signal', async (t) => {
  const { e, child, base }: { e: ReturnType<typeof tempEnv>; child: Child; base: string } = await serve(t, true);
  writeFileSync(join(e.feedsDir, 'b.yaml'), feedB);
  await child.waitFor(reloaded);
  t.match(child.lines.find(reloaded), { reason: /^file change/, changed: ['b'] });
  t.same(await refreshedSources(base), ['alpha', 'beta']);
  writeFileSync(join(e.feedsDir, 'a.yaml'), 'title: [unclosed\n');
  await child.waitFor(refused);
  t.match(child.lines.find(refused), { file: /a\.yaml$/, problem: /not valid YAML/ });
  t.same(await refreshedSources(base), ['alpha', 'beta']);
});

t.test('a Kubernetes-style ConfigMap swap (the ..data link replaced) reloads', async (t) => {
  // The layout kubelet writes: a timestamped dir, ..data -> it, and each key a link through ..data.
  const { e, child, base } = await serve(t, true, (e) => {
    rmSync(join(e.feedsDir, 'a.yaml'));
    mkdirSync(join(e.feedsDir, '..v1'));
    writeFileSync(join(e.feedsDir, '..v1', 'a.yaml'), feedA);
    symlinkSync('..v1', join(e.feedsDir, '..data'));
    symlinkSync('..data/a.yaml', join(e.feedsDir, 'a.yaml'));
  });
  t.same(await refreshedSources(base), ['alpha']);
  const seen = child.lines.length;
  // An update: a new dir, then ..data swapped atomically by a rename; a.yaml's own link is untouched.
  mkdirSync(join(e.feedsDir, '..v2'));
  writeFileSync(join(e.feedsDir, '..v2', 'a.yaml'), feedA.replace('title: A', 'title: A renamed') + `  - {id: beta, url: "${origin.url}/b.xml"}\n`);
  symlinkSync('..v2', join(e.feedsDir, '..data_tmp'));
  renameSync(join(e.feedsDir, '..data_tmp'), join(e.feedsDir, '..data'));
  await child.waitFor((l) => reloaded(l) && child.lines.indexOf(l) >= seen);
  t.match(child.lines.slice(seen).find(reloaded), { reason: /^file change: \.\.data/, changed: ['a'] });
  t.same(await refreshedSources(base), ['alpha', 'beta']);
});

t.test('POST /admin/reload answers with the problems', async (t) => {
  const { e, base } = await serve(t, false);
  writeFileSync(join(e.feedsDir, 'c.yaml'), 'title: C\n');
  const r = await fetch(`${base}/admin/reload`, { method: 'POST', headers: { authorization: 'Bearer test-token' } });
  t.equal(r.status, 422);
  t.match(await r.json(), { ok: false, problems: [{ file: /c\.yaml$/, message: /sources/ }] });
});
