// What the rest of feedrelay needs from storage. SQLite and PostgreSQL both implement it.
import type { Transaction } from 'kysely';
import type { Article } from '../model/article.ts';
import type { ArticleChange } from '../model/article-change.ts';

export type { ArticleChange } from '../model/article-change.ts';

export interface Cursor {
  publishedAt: string;
  id: string;
}

export interface SourceState {
  id: string;
  url: string;
  /** Where the source is fetched now: after a permanent redirect, or the feed autodiscovery found
   * for a source whose address is a site. */
  effectiveUrl: string | null;
  etag: string | null;
  lastModified: string | null;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastStatus: number | null;
  consecutiveFailures: number;
  lastErrorClass: string | null;
  lastErrorMessage: string | null;
  nextAttemptAt: string | null;
  /** When autodiscovery last resolved the source's address to effectiveUrl; null when the
   * address is itself a feed or an article. */
  discoveredAt: string | null;
}

export interface UpsertItem {
  article: Article;
  /** False when upstream gave no date: keep the first-seen publishedAt already stored. */
  dated: boolean;
}

export interface UpsertResult {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** One page, newest first, with the cursors of the pages on either side (null at an end). */
export interface Page {
  articles: Article[];
  next: Cursor | null;
  prev: Cursor | null;
}

export interface ListQuery {
  sourceIds: string[];
  /** after (default): older than the cursor; before: newer than it (the previous page). */
  direction?: 'after' | 'before';
  /** Only articles carrying this tag slug. */
  tag?: string | undefined;
  limit: number;
  cursor?: Cursor | undefined;
}

export type ChangeListener = (changes: ArticleChange[]) => void;

/** Runs inside a write's own transaction, after its rows: what it writes commits or rolls back
 * with the articles (a transactional outbox: the cluster's WebSub jobs). A hook that throws
 * fails the write. `trx` is the store's Kysely transaction. */
export type WriteHook = (trx: Transaction<unknown>, changes: ArticleChange[]) => Promise<void>;

export interface Store {
  upsertArticles(items: UpsertItem[], now: Date): Promise<UpsertResult>;
  /** Calls `listener` after every committed write that changed what some feed lists; returns the unsubscribe. */
  onArticlesChanged(listener: ChangeListener): () => void;
  /** Adds a hook every write that changes something runs inside its transaction; returns the removal. */
  onWrite(hook: WriteHook): () => void;
  getArticle(id: string): Promise<Article | undefined>;
  listArticles(q: ListQuery): Promise<Page>;
  getSourceState(id: string): Promise<SourceState | undefined>;
  saveSourceState(state: SourceState): Promise<void>;
  listSourceStates(): Promise<SourceState[]>;
  countArticles(): Promise<number>;
  /** Every tag slug some stored article carries (the static render writes a feed per tag). */
  listTagSlugs(): Promise<string[]>;
  /** Retention: unlinks from `sourceId` its articles published before `before`, except its `keep`
   * newest, and deletes the articles no source links any more. Returns how many were deleted. */
  pruneSource(sourceId: string, before: string, keep: number): Promise<number>;
  /** Throws when the store cannot answer a query. */
  ping(): Promise<void>;
  /** The schema version the database is at, and the one this feedrelay expects. */
  schema(): Promise<{ current: number; expected: number }>;
  close(): Promise<void>;
}

export class StoreError extends Error {
  override name = 'StoreError';
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.publishedAt}|${c.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(s: string): Cursor | null {
  const text = Buffer.from(s, 'base64url').toString('utf8');
  const m = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)\|([a-z0-9]{16,64})$/.exec(text);
  return m ? { publishedAt: m[1]!, id: m[2]! } : null;
}
