// Numbered, forward-only schema migrations, written in Kysely's schema builder so the same steps
// run on SQLite and PostgreSQL. Never edit a released migration: add the next number.
import { sql, type Kysely, type Transaction } from 'kysely';
import { StoreError } from './port.ts';

export interface Migration {
  version: number;
  name: string;
  up(db: Transaction<unknown>): Promise<void>;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'articles and sources',
    async up(db) {
      await db.schema
        .createTable('articles')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('guid', 'text', (c) => c.notNull())
        .addColumn('published_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('first_seen_at', 'text', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('articles_by_date').on('articles').columns(['published_at desc', 'id desc']).execute();
      await db.schema.createIndex('articles_by_source').on('articles').columns(['source_id', 'published_at desc', 'id desc']).execute();
      await db.schema
        .createTable('sources')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('effective_url', 'text')
        .addColumn('etag', 'text')
        .addColumn('last_modified', 'text')
        .addColumn('last_attempt_at', 'text')
        .addColumn('last_success_at', 'text')
        .addColumn('last_status', 'integer')
        .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error_class', 'text')
        .addColumn('last_error_message', 'text')
        .addColumn('next_attempt_at', 'text')
        .execute();
      // One article reached through several sources is stored once and listed by each.
      await db.schema
        .createTable('article_sources')
        .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('article_sources_pk', ['article_id', 'source_id'])
        .execute();
      await db.schema.createIndex('article_sources_by_source').on('article_sources').columns(['source_id', 'article_id']).execute();
    },
  },
  {
    version: 2,
    name: 'articles by guid',
    async up(db) {
      // Finding an article already stored under the same guid through another source.
      await db.schema.createIndex('articles_by_guid').on('articles').column('guid').execute();
    },
  },
  {
    version: 3,
    name: 'article tags',
    async up(db) {
      // Per-tag feeds (/tags/<slug>.atom) list articles by tag slug across every feed.
      await db.schema
        .createTable('article_tags')
        .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
        .addColumn('slug', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('article_tags_pk', ['article_id', 'slug'])
        .execute();
      await db.schema.createIndex('article_tags_by_slug').on('article_tags').columns(['slug', 'article_id']).execute();
      // Articles stored before this migration get their rows from the tags they carry.
      const rows = await sql<{ id: string; data: string }>`select id, data from articles`.execute(db);
      for (const r of rows.rows) {
        const tags = (JSON.parse(r.data) as { tags?: Array<{ slug: string; label: string }> }).tags ?? [];
        for (const t of tags) await sql`insert into article_tags (article_id, slug, label) values (${r.id}, ${t.slug}, ${t.label})`.execute(db);
      }
    },
  },
  {
    version: 4,
    name: 'sources found by autodiscovery',
    async up(db) {
      // Set when the source's address is a site whose feed autodiscovery found (then effective_url).
      await db.schema.alterTable('sources').addColumn('discovered_at', 'text').execute();
    },
  },
];

export const LATEST = Math.max(...migrations.map((m) => m.version));

/**
 * Applies pending migrations, each in its own transaction together with the row that records
 * it, so a crash leaves a migration either wholly applied and recorded or not at all. (Kysely's
 * Migrator runs SQLite DDL outside transactions and PostgreSQL's all in one.) A database that a
 * newer feedrelay migrated is refused and left untouched.
 */
export async function migrate(db: Kysely<unknown>, target = LATEST): Promise<{ from: number; to: number }> {
  await db.schema
    .createTable('schema_migrations')
    .ifNotExists()
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute();
  const current = await schemaVersion(db);
  if (current > LATEST) {
    throw new StoreError(
      `store: the database is at schema version ${current}, newer than this feedrelay's ${LATEST}; refusing to start (run a newer feedrelay, or restore a backup)`,
    );
  }
  for (const m of migrations.filter((m) => m.version > current && m.version <= target)) {
    try {
      await db.transaction().execute(async (trx) => {
        await m.up(trx);
        await sql`insert into schema_migrations (version, name, applied_at) values (${m.version}, ${m.name}, ${new Date().toISOString()})`.execute(trx);
      });
    } catch (err) {
      throw new StoreError(`store: migration ${m.version} (${m.name}) failed and was rolled back: ${(err as Error).message}`);
    }
  }
  return { from: current, to: Math.max(current, Math.min(target, LATEST)) };
}

export async function schemaVersion(db: Kysely<unknown>): Promise<number> {
  const { rows } = await sql<{ v: number | null }>`select max(version) as v from schema_migrations`.execute(db);
  return rows[0]?.v ?? 0;
}
