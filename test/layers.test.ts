// The layer rules in .dependency-cruiser.mjs hold over src/, and each rule the issue named
// catches the import that used to break it (a throwaway tree with that one import).
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import t from 'tap';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';

const config = ((await import(new URL('../.dependency-cruiser.mjs', import.meta.url).href)) as { default: IConfiguration }).default;
const root = new URL('..', import.meta.url).pathname;

async function violations(baseDir: string): Promise<Array<{ rule: string; from: string; to: string }>> {
  const cwd = process.cwd();
  process.chdir(baseDir); // rule paths are relative to the cruised tree's root
  try {
    const { output } = await cruise(['src'], { ruleSet: config, validate: true, tsPreCompilationDeps: true, doNotFollow: { path: 'node_modules' } });
    return (output as ICruiseResult).summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
  } finally {
    process.chdir(cwd);
  }
}

t.test('src/ holds every layer rule', async (t) => {
  t.same(await violations(root), []);
});

const breaking: Array<[rule: string, from: string, to: string]> = [
  ['store-knows-no-ingest', 'src/store/kysely-store.ts', 'src/ingest/normalize/normalize.ts'],
  ['http-reaches-ingest-through-the-root', 'src/http/app.ts', 'src/schedule/runner.ts'],
  ['config-is-not-a-layer-above', 'src/config/feeds.ts', 'src/ingest/text.ts'],
  ['ingest-stores-through-the-port', 'src/ingest/fetch/fetcher.ts', 'src/config/feeds.ts'],
  ['publish-is-pure', 'src/publish/render.ts', 'src/ingest/text.ts'],
  ['model-is-neutral', 'src/model/article.ts', 'src/ingest/text.ts'],
  ['only-the-root-wires-adapters', 'src/http/routes/admin.ts', 'src/store/open.ts'],
];

for (const [rule, from, to] of breaking) {
  t.test(`${rule}: ${from} importing ${to} fails`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'feedrelay-layers-'));
    t.teardown(() => { rmSync(dir, { recursive: true, force: true }); });
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    const rel = relative(dirname(from), to);
    const spec = rel.startsWith('.') ? rel : `./${rel}`;
    write(from, `import { x } from '${spec}';\nexport const y = x;\n`);
    write(to, 'export const x = 1;\n');
    copyFileSync(join(root, 'tsconfig.json'), join(dir, 'tsconfig.json'));
    const found = await violations(dir);
    t.same(found, [{ rule, from, to }]);
  });
}
