// Our Atom and RSS, judged by the W3C Feed Validator (../shared/tools/feedvalidate): zero errors
// and zero warnings. Skips only where the validator or its Python modules are missing; .ci/run
// installs them, so CI always runs it.
import { withRealPart } from '../helpers/real-part.ts';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWordPressOrigin } from '../helpers/wordpress.ts';
import { tempEnv, startService } from '../helpers/service.ts';

const validator = new URL('../../../shared/tools/feedvalidate', import.meta.url).pathname;
const ready = existsSync(validator) && spawnSync('/usr/bin/python3', ['-c', 'import lxml, html5lib, rdflib']).status === 0;

function validate(file: string, base: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(validator, [file, base]);
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('close', (code) => { resolve({ code, out }); });
  });
}

withRealPart('W3C Feed Validator', ready, 'feedvalidate or python3-lxml/html5lib/rdflib not installed', async (t) => {
  const origin = await startWordPressOrigin();
  t.teardown(() => origin.close());
  const env = tempEnv({ kazakhstan: `title: Kazakhstan unrest\nlanguage: en\nsources:\n  - {id: sw, url: "${origin.url}/feed/"}\n` });
  t.teardown(env.cleanup);
  const service = await startService(env.env);
  t.teardown(() => service.stop());
  await service.runner.run(service.sources);
  const dir = mkdtempSync(join(tmpdir(), 'feedrelay-w3c-'));
  for (const format of ['atom', 'rss']) {
    const res = await service.app.inject({ url: `/feeds/kazakhstan.${format}` });
    const file = join(dir, `k.${format}`);
    writeFileSync(file, res.body);
    const { code, out } = await validate(file, `http://feeds.example.test/feeds/kazakhstan.${format}`);
    t.equal(code, 0, `${format}: ${out.trim()}`);
    t.match(out, 'feedvalidate: 0 errors, 0 warnings');
  }
  // The other shapes of output: golden files (three entries, one with no author, a next link)
  // and a tag feed.
  const golden = new URL('../fixtures/golden/', import.meta.url).pathname;
  for (const [file, self] of [
    [join(golden, 'feed.atom'), 'https://feeds.example/feeds/kazakhstan.atom'],
    [join(golden, 'feed.rss'), 'https://feeds.example/feeds/kazakhstan.rss'],
  ] as const) {
    const { code, out } = await validate(file, self);
    t.equal(code, 0, `${file}: ${out.trim()}`);
    t.match(out, 'feedvalidate: 0 errors, 0 warnings', file);
  }
  for (const format of ['atom', 'rss']) {
    const file = join(dir, `tag.${format}`);
    writeFileSync(file, (await service.app.inject({ url: `/tags/csto.${format}` })).body);
    const { code, out } = await validate(file, `http://feeds.example.test/tags/csto.${format}`);
    t.equal(code, 0, `tag ${format}: ${out.trim()}`);
    t.match(out, 'feedvalidate: 0 errors, 0 warnings');
  }
});
