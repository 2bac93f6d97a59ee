// Table shapes as Kysely sees them.
export interface ArticlesTable {
  id: string;
  source_id: string;
  url: string;
  guid: string;
  published_at: string;
  updated_at: string;
  first_seen_at: string;
  content_hash: string;
  data: string;
}

export interface SourcesTable {
  id: string;
  url: string;
  effective_url: string | null;
  etag: string | null;
  last_modified: string | null;
  last_attempt_at: string | null;
  last_success_at: string | null;
  last_status: number | null;
  consecutive_failures: number;
  last_error_class: string | null;
  last_error_message: string | null;
  next_attempt_at: string | null;
  discovered_at: string | null;
}

export interface ArticleSourcesTable {
  article_id: string;
  source_id: string;
}

export interface ArticleTagsTable {
  article_id: string;
  slug: string;
  label: string;
}

export interface Database {
  article_tags: ArticleTagsTable;
  articles: ArticlesTable;
  sources: SourcesTable;
  article_sources: ArticleSourcesTable;
}
