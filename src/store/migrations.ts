// Numbered, forward-only schema migrations, written once in Kysely's schema builder so the
// same steps run on SQLite and PostgreSQL. Never edit a released migration: add the next one.
import { type Kysely, type Migration, type MigrationProvider } from 'kysely';

export const migrations: Record<string, Migration> = {
  '0001-articles-and-sources': {
    async up(db: Kysely<unknown>) {
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
};

export const LATEST_MIGRATION = Object.keys(migrations).sort().at(-1)!;

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
