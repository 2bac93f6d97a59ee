// A database made by the previous schema version (kept as a fixture) is migrated on start and
// keeps everything it held.
import t from 'tap';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { openSqlite } from '../../src/store/sqlite.ts';
import { LATEST } from '../../src/store/migrations.ts';

t.test('schema v1 -> latest', async (t) => {
  const path = join(mkdtempSync(join(tmpdir(), 'feedrelay-upgrade-')), 'old.db');
  copyFileSync(new URL('../fixtures/store/schema-v1.db', import.meta.url), path);
  const store = await openSqlite(path);
  const a = await store.getArticle('8a648468044a6696466a1fa3');
  t.equal(a?.title, 'Kazakhstan government calls for Russian help over protest', 'the article survived');
  t.equal((await store.getSourceState('steppewatch'))?.etag, '"v1-etag"', 'the source state survived');
  t.equal((await store.listArticles({ sourceIds: ['steppewatch'], limit: 10 })).articles.length, 1);
  t.same(
    (await store.listArticles({ sourceIds: ['steppewatch'], tag: 'csto', limit: 10 })).articles.map((x) => x.id),
    ['8a648468044a6696466a1fa3'],
    'migration 3 indexed the tags of articles stored before it',
  );
  await store.close();
  const raw = new Sqlite(path, { readonly: true });
  t.same(raw.prepare('select version from schema_migrations order by version').all().map((r) => (r as { version: number }).version), Array.from({ length: LATEST }, (_, i) => i + 1));
  t.ok(raw.prepare("select 1 from sqlite_master where type = 'index' and name = 'articles_by_guid'").get(), 'migration 2 applied');
  t.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
  raw.close();
});
