// Fixture pairs: an upstream feed or page (and the pages its items link to) -> the Articles
// feedrelay stores. Each case in test/fixtures/articles/<case>/ is served by a loopback origin
// and read by a real ingest cycle into a real SQLite file; the stored Articles must equal
// expected.json. Fixture files name their site https://fixture.example; the origin serves them
// with its own address in its place, and the Articles are compared with it put back.
//
// case.json: { "source": "/feed.xml" | "/post/", "fullText"?, "timezone"?, "tags"?,
//              "files": { "/path": ["file", "content type"] } }
// FEEDRELAY_UPDATE_FIXTURES=1 rewrites expected.json from what feedrelay does now: review the
// diff before committing it.
import t from 'tap';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Value } from 'typebox/value';
import { startOrigin, serveText } from '../helpers/origin.ts';
import { tempEnv, startService } from '../helpers/service.ts';
import { ArticleSchema, type Article } from '../../src/model/article.ts';
import { articleId } from '../../src/ingest/normalize/identity.ts';

const FIXTURE_HOST = 'https://fixture.example';
const dir = new URL('../fixtures/articles/', import.meta.url).pathname;
const update = process.env['FEEDRELAY_UPDATE_FIXTURES'] === '1';

interface Case {
  source: string;
  fullText?: 'auto' | 'always' | 'never';
  timezone?: string;
  tags?: Record<string, string[]>;
  files: Record<string, [string, string]>;
}

for (const name of readdirSync(dir).sort()) {
  const caseDir = join(dir, name);
  if (!existsSync(join(caseDir, 'case.json'))) continue;
  t.test(name, async (t) => {
    const spec = JSON.parse(readFileSync(join(caseDir, 'case.json'), 'utf8')) as Case;
    const origin = await startOrigin();
    t.teardown(() => origin.close());
    for (const [path, [file, type]] of Object.entries(spec.files)) {
      // Bytes are served as they are, apart from the host: encodings other than UTF-8 stay intact.
      const bytes = readFileSync(join(caseDir, file)).toString('latin1').replaceAll(FIXTURE_HOST, origin.url);
      origin.routes.set(path, serveText(Buffer.from(bytes, 'latin1'), type));
    }
    const yaml = [
      `title: ${name}`,
      'sources:',
      `  - id: ${name}`,
      `    url: ${origin.url}${spec.source}`,
      ...(spec.fullText ? [`    fullText: ${spec.fullText}`] : []),
      ...(spec.timezone ? [`    timezone: ${spec.timezone}`] : []),
      ...(spec.tags ? ['tags:', ...Object.entries(spec.tags).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`)] : []),
    ].join('\n');
    const env = tempEnv({ [name]: yaml });
    t.teardown(env.cleanup);
    const service = await startService(env.env);
    t.teardown(() => service.stop());
    const cycle = await service.runner.run(service.sources, { force: true });
    t.equal(cycle.sources[0]?.outcome, 'ok', `the cycle reads the source (${cycle.sources[0]?.error?.message ?? 'ok'})`);
    const { articles } = await service.store.listArticles({ sourceIds: [name], limit: 100 });
    for (const a of articles) {
      t.ok(Value.Check(ArticleSchema, a), `${a.title}: a valid Article`);
      t.equal(a.id, articleId(a.sourceId, a.url, a.guid), `${a.title}: id derived from the canonical URL`);
    }
    // Ids hash the URL, whose port changes from run to run: compare them as if served from the fixture host.
    const got = (JSON.parse(JSON.stringify(articles).replaceAll(origin.url, FIXTURE_HOST)) as Article[]).map((a) => ({ ...a, id: articleId(a.sourceId, a.url, a.guid) }));
    const expectedFile = join(caseDir, 'expected.json');
    if (update) writeFileSync(expectedFile, `${JSON.stringify(got, null, 2)}\n`);
    t.ok(existsSync(expectedFile), `${expectedFile} exists (FEEDRELAY_UPDATE_FIXTURES=1 writes it)`);
    if (existsSync(expectedFile)) t.same(got, JSON.parse(readFileSync(expectedFile, 'utf8')), 'the stored Articles equal expected.json');
  });
}
