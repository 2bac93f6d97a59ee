// withRealPart: a test whose real part is missing is skipped on a developer's machine and fails
// under CI=true (run in a real child process, as CI would run it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';

const helper = new URL('./helpers/real-part.ts', import.meta.url).href;
const dir = mkdtempSync(join(tmpdir(), 'feedrelay-real-part-'));
t.teardown(() => { rmSync(dir, { recursive: true, force: true }); });
const file = join(dir, 'needs.test.ts');
writeFileSync(file, `import { withRealPart } from '${helper}';\nwithRealPart('uses the part', false, 'no /usr/bin/nothing', async (t) => void t.pass('ran'));\n`);

const run = (ci: string | undefined) => {
  const env = { ...process.env };
  delete env['CI'];
  delete env['TAP']; // a child tap run of its own, not reporting to this one
  if (ci !== undefined) env['CI'] = ci;
  return spawnSync(process.execPath, [file], { env, encoding: 'utf8' });
};

t.test('without CI a missing part skips, saying what is missing', async (t) => {
  const r = run(undefined);
  t.equal(r.status, 0, r.stdout + r.stderr);
  t.match(r.stdout, /# SKIP no \/usr\/bin\/nothing/);
});

t.test('under CI=true a missing part fails the test', async (t) => {
  const r = run('true');
  t.equal(r.status, 1, r.stdout + r.stderr);
  t.match(r.stdout, /not ok 1 - uses the part/);
  t.match(r.stdout, /no \/usr\/bin\/nothing; CI=true runs every test/);
});
