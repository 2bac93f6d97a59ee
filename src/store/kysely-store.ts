// The Store port over Kysely: one implementation for every SQL dialect feedrelay supports.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Article } from '../model/article.ts';
import { contentHash } from '../model/content-hash.ts';
import type { ArticlesTable, Database, SourcesTable } from './schema.ts';
import { LATEST, schemaVersion } from './migrations.ts';
import type { ArticleChange, ChangeListener, ListQuery, Page, SourceState, Store, UpsertItem, UpsertResult, WriteHook } from './port.ts';

const toState = (r: SourcesTable): SourceState => ({
  id: r.id,
  url: r.url,
  effectiveUrl: r.effective_url,
  etag: r.etag,
  lastModified: r.last_modified,
  lastAttemptAt: r.last_attempt_at,
  lastSuccessAt: r.last_success_at,
  lastStatus: r.last_status,
  consecutiveFailures: r.consecutive_failures,
  lastErrorClass: r.last_error_class,
  lastErrorMessage: r.last_error_message,
  nextAttemptAt: r.next_attempt_at,
  discoveredAt: r.discovered_at ?? null,
});

/**
 * The Article a row holds. Rows written before publishedAtStated existed lack it; for them it is
 * derived: an item upstream gave no date got publishedAt = the cycle's start, the same instant
 * the insert wrote as first_seen_at, and an undated update keeps the stored published_at; a stated
 * date equals that instant to the millisecond only when it was clamped from the future to now,
 * and then the time shown is the fetch time too.
 */
const ARTICLE_COLUMNS = ['data', 'published_at', 'first_seen_at'] as const;

function fromRow(r: { data: string; published_at: string; first_seen_at: string }): Article {
  const a = JSON.parse(r.data) as Omit<Article, 'publishedAtStated'> & { publishedAtStated?: boolean };
  return a.publishedAtStated === undefined ? { ...a, publishedAtStated: r.published_at !== r.first_seen_at } : (a as Article);
}

/** What deciding an upsert needs of a stored row. */
const HEAD_COLUMNS = ['id', 'source_id', 'content_hash', 'published_at', 'updated_at'] as const;
type StoredHead = Pick<ArticlesTable, (typeof HEAD_COLUMNS)[number]>;

// Bound parameters per statement: under better-sqlite3's 32,766 and PostgreSQL's 65,535.
const MAX_PARAMETERS = 30_000;

/** `rows` in runs that each bind at most MAX_PARAMETERS, at `perRow` parameters a row. */
function chunk<T>(rows: T[], perRow: number): T[][] {
  const size = Math.floor(MAX_PARAMETERS / perRow);
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** A guid that names one article anywhere (a URL, tag: or urn: URI), not a per-site counter. */
function globalGuid(guid: string): boolean {
  return /^(?:https?:\/\/[^/]+\/.|tag:|urn:)/i.test(guid);
}

const tagRows = (article: Article) => article.tags.map((t) => ({ article_id: article.id, slug: t.slug, label: t.label }));

async function writeTags(trx: Transaction<Database>, article: Article): Promise<void> {
  if (article.tags.length === 0) return;
  await trx.insertInto('article_tags').values(tagRows(article)).onConflict((oc) => oc.doNothing()).execute();
}

/** The row of an article stored for the first time. */
function newRow(article: Article, hash: string, nowIso: string): ArticlesTable {
  return { id: article.id, source_id: article.sourceId, url: article.url, guid: article.guid, published_at: article.publishedAt, updated_at: article.updatedAt, first_seen_at: nowIso, content_hash: hash, data: JSON.stringify(article) };
}

/** Whether an incoming version replaces the stored one. The source that first stored an article
 * owns its content; another source that reaches the same article only lists it, so two sources
 * never overwrite each other in turn. */
function replaces(row: StoredHead, hash: string, sourceId: string): boolean {
  return row.content_hash !== hash && row.source_id === sourceId;
}

/** The version an update stores. An undated version keeps the stored date, and with it whether
 * that date was stated (`storedStated`, read only for undated versions). */
function nextVersion(article: Article, row: StoredHead, dated: boolean, storedStated: boolean | undefined, nowIso: string): Article {
  if (!dated && storedStated === undefined) throw new Error(`article ${row.id} vanished while it was being updated`);
  const publishedAt = dated ? article.publishedAt : row.published_at;
  const publishedAtStated = dated ? article.publishedAtStated : storedStated === true;
  // Readers see a change: updatedAt moves forward, to upstream's date when it says so.
  const updatedAt = article.updatedAt > row.updated_at ? article.updatedAt : nowIso > row.updated_at ? nowIso : row.updated_at;
  return { ...article, publishedAt, publishedAtStated, updatedAt };
}

export class KyselyStore implements Store {
  readonly db: Kysely<Database>;
  readonly #onClose: () => Promise<void>;
  readonly #listeners = new Set<ChangeListener>();
  readonly #writeHooks = new Set<WriteHook>();

  constructor(db: Kysely<Database>, onClose: () => Promise<void> = () => db.destroy()) {
    this.db = db;
    this.#onClose = onClose;
  }

  onWrite(hook: WriteHook): () => void {
    this.#writeHooks.add(hook);
    return () => this.#writeHooks.delete(hook);
  }

  onArticlesChanged(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async upsertArticles(items: UpsertItem[], now: Date): Promise<UpsertResult> {
    const result: UpsertResult = { inserted: 0, updated: 0, unchanged: 0 };
    if (items.length === 0) return result;
    const changes: ArticleChange[] = [];
    const nowIso = now.toISOString();
    // One transaction per batch: a crash leaves either all of a source's items or none.
    await this.db.transaction().execute(async (trx) => {
      // A few statements for the whole batch rather than five per item: on PostgreSQL each
      // statement is a round trip and CPU on both ends, and the per-item writes made replicas
      // spend more time talking to the database than parsing (docs/scaling.md, the benchmark).
      const done = await this.#upsertBatch(trx, items, nowIso, result, changes);
      if (!done) for (const item of items) await this.#upsertOne(trx, item, nowIso, result, changes);
      if (changes.length > 0) for (const hook of this.#writeHooks) await hook(trx as unknown as Transaction<unknown>, changes);
    });
    // After the commit: whoever hears of a change and reads again sees it.
    if (changes.length > 0) for (const l of this.#listeners) l(changes);
    return result;
  }

  /**
   * The batch in a handful of statements, with the outcome #upsertOne would give item by item.
   * That holds while no item's write changes what another item finds; when two items name the
   * same article (one id, one global guid, or one stored row by guid) it writes nothing and
   * returns false, and the caller goes item by item.
   */
  async #upsertBatch(trx: Transaction<Database>, items: UpsertItem[], nowIso: string, result: UpsertResult, changes: ArticleChange[]): Promise<boolean> {
    const ids = items.map((i) => i.article.id);
    if (new Set(ids).size !== ids.length) return false;
    const guids = items.map((i) => i.article.guid).filter(globalGuid);
    if (new Set(guids).size !== guids.length) return false;

    const byId = new Map<string, StoredHead>();
    for (const part of chunk(ids, 1)) {
      for (const r of await trx.selectFrom('articles').select(HEAD_COLUMNS).where('id', 'in', part).execute()) byId.set(r.id, r);
    }
    const lookups = items.filter(({ article: a }) => !byId.has(a.id) && globalGuid(a.guid) && a.guid !== a.url).map((i) => i.article.guid);
    const byGuid = new Map<string, StoredHead>();
    for (const part of chunk(lookups, 1)) {
      const rows = await trx.selectFrom('articles').select([...HEAD_COLUMNS, 'guid']).where('guid', 'in', part).execute();
      // Several rows may share a guid (stored before this rule); any one stands for the article.
      for (const { guid, ...r } of rows) if (!byGuid.has(guid)) byGuid.set(guid, r);
    }
    const plans = items.map((item) => {
      const a = item.article;
      const row = byId.get(a.id) ?? (globalGuid(a.guid) && a.guid !== a.url ? byGuid.get(a.guid) : undefined);
      return { item, row, article: row ? { ...a, id: row.id } : a, hash: contentHash(a) };
    });
    const targets = plans.map((p) => p.article.id);
    if (new Set(targets).size !== targets.length) return false;

    const updating = new Set(plans.filter((p) => p.row && replaces(p.row, p.hash, p.article.sourceId)));
    // An undated version keeps whether the stored date was stated: read those rows' data.
    const undated = [...updating].filter((p) => !p.item.dated).map((p) => p.article.id);
    const statedOf = new Map<string, boolean>();
    for (const part of chunk(undated, 1)) {
      for (const r of await trx.selectFrom('articles').select(['id', ...ARTICLE_COLUMNS]).where('id', 'in', part).execute()) statedOf.set(r.id, fromRow(r).publishedAtStated);
    }

    const inserts: ArticlesTable[] = [];
    const updates: Array<Omit<ArticlesTable, 'source_id' | 'first_seen_at'>> = [];
    const tagged: Article[] = [];
    const outcomes: Array<(linked: boolean) => void> = [];
    for (const p of plans) {
      const { row, article, hash } = p;
      if (!row) {
        inserts.push(newRow(article, hash, nowIso));
        tagged.push(article);
        outcomes.push(() => {
          result.inserted++;
          changes.push({ kind: 'inserted', article, sourceId: article.sourceId });
        });
      } else if (!updating.has(p)) {
        outcomes.push((linked) => {
          result.unchanged++;
          // Listed under one more source: the feeds reading that source now show it.
          if (linked) changes.push({ kind: 'linked', article: { ...article, publishedAt: row.published_at, updatedAt: row.updated_at }, sourceId: article.sourceId });
        });
      } else {
        const next = nextVersion(article, row, p.item.dated, statedOf.get(row.id), nowIso);
        updates.push({ id: next.id, url: next.url, guid: next.guid, published_at: next.publishedAt, updated_at: next.updatedAt, content_hash: hash, data: JSON.stringify(next) });
        tagged.push(next);
        outcomes.push(() => {
          result.updated++;
          changes.push({ kind: 'updated', article: next, sourceId: article.sourceId });
        });
      }
    }

    for (const part of chunk(inserts, 9)) await trx.insertInto('articles').values(part).execute();
    // An updated row keeps its source_id (the owner is the only source that updates) and first_seen_at.
    for (const part of chunk(updates, 7)) {
      const values = sql.join(part.map((u) => sql`(${u.id}, ${u.url}, ${u.guid}, ${u.published_at}, ${u.updated_at}, ${u.content_hash}, ${u.data})`));
      await sql`update articles set url = v.column2, guid = v.column3, published_at = v.column4, updated_at = v.column5, content_hash = v.column6, data = v.column7
        from (values ${values}) as v where articles.id = v.column1`.execute(trx);
    }
    for (const part of chunk(updates.map((u) => u.id), 1)) await trx.deleteFrom('article_tags').where('article_id', 'in', part).execute();
    const tags = tagged.flatMap(tagRows);
    // DO NOTHING: of two tags with one slug on an article, the first one's label stays.
    for (const part of chunk(tags, 3)) await trx.insertInto('article_tags').values(part).onConflict((oc) => oc.doNothing()).execute();
    // After the article rows: a link references its article.
    const linked = new Set<string>();
    for (const part of chunk(plans.map((p) => ({ article_id: p.article.id, source_id: p.article.sourceId })), 2)) {
      const rows = await trx.insertInto('article_sources').values(part).onConflict((oc) => oc.doNothing()).returning('article_id').execute();
      for (const r of rows) linked.add(r.article_id);
    }
    plans.forEach((p, i) => outcomes[i]?.(linked.has(p.article.id)));
    return true;
  }

  /** One item, reading what the items before it in the batch wrote. */
  async #upsertOne(trx: Transaction<Database>, { article: incoming, dated }: UpsertItem, nowIso: string, result: UpsertResult, changes: ArticleChange[]): Promise<void> {
    let article = incoming;
    const hash = contentHash(article);
    const link = async () => {
      const [r] = await trx.insertInto('article_sources').values({ article_id: article.id, source_id: article.sourceId }).onConflict((oc) => oc.doNothing()).execute();
      return Number(r?.numInsertedOrUpdatedRows ?? 0) > 0;
    };
    let row = await trx.selectFrom('articles').select(HEAD_COLUMNS).where('id', '=', article.id).executeTakeFirst();
    if (!row && globalGuid(article.guid) && article.guid !== article.url) {
      // The same article under another URL (a feed's link vs. the page's canonical, a mirror):
      // a globally unique guid names one article, so it is stored once.
      row = await trx.selectFrom('articles').select(HEAD_COLUMNS).where('guid', '=', article.guid).limit(1).executeTakeFirst();
      if (row) article = { ...article, id: row.id };
    }
    if (!row) {
      await trx.insertInto('articles').values(newRow(article, hash, nowIso)).execute();
      await writeTags(trx, article);
    }
    const linked = await link(); // after the insert: the link references the article row
    if (!row) {
      result.inserted++;
      changes.push({ kind: 'inserted', article, sourceId: article.sourceId });
      return;
    }
    if (!replaces(row, hash, article.sourceId)) {
      result.unchanged++;
      // Listed under one more source: the feeds reading that source now show it.
      if (linked) changes.push({ kind: 'linked', article: { ...article, publishedAt: row.published_at, updatedAt: row.updated_at }, sourceId: article.sourceId });
      return;
    }
    const next = nextVersion(article, row, dated, dated ? undefined : (await this.#stored(trx, row.id)).publishedAtStated, nowIso);
    await trx
      .updateTable('articles')
      .set({
        source_id: next.sourceId,
        url: next.url,
        guid: next.guid,
        published_at: next.publishedAt,
        updated_at: next.updatedAt,
        content_hash: hash,
        data: JSON.stringify(next),
      })
      .where('id', '=', article.id)
      .execute();
    await trx.deleteFrom('article_tags').where('article_id', '=', article.id).execute();
    await writeTags(trx, next);
    result.updated++;
    changes.push({ kind: 'updated', article: next, sourceId: article.sourceId });
  }

  async #stored(db: Kysely<Database> | Transaction<Database>, id: string): Promise<Article> {
    return fromRow(await db.selectFrom('articles').select(ARTICLE_COLUMNS).where('id', '=', id).executeTakeFirstOrThrow());
  }

  async getArticle(id: string): Promise<Article | undefined> {
    const row = await this.db.selectFrom('articles').select(ARTICLE_COLUMNS).where('id', '=', id).executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  async listArticles(q: ListQuery): Promise<Page> {
    if (q.sourceIds.length === 0 || q.limit <= 0) return { articles: [], next: null, prev: null };
    // Newest first. "after" pages go back in time from the cursor; "before" pages come forward
    // to it (read oldest first, then turned around), so a feed can link to the previous page.
    const before = q.direction === 'before';
    let query = this.db
      .selectFrom('articles')
      .select(['id', ...ARTICLE_COLUMNS])
      // A correlated EXISTS, not "id in (subquery)": the planner then walks articles_by_date in
      // page order and stops after limit+1 members, instead of gathering and sorting every
      // article of the feed's sources (46 ms at 100,000 articles against 0.3 ms).
      .where((eb) =>
        eb.exists(eb.selectFrom('article_sources').select('article_sources.article_id').whereRef('article_sources.article_id', '=', 'articles.id').where('article_sources.source_id', 'in', q.sourceIds)),
      )
      .orderBy('published_at', before ? 'asc' : 'desc')
      .orderBy('id', before ? 'asc' : 'desc')
      .limit(q.limit + 1);
    if (q.tag !== undefined) {
      const tag = q.tag;
      query = query.where((eb) =>
        eb.exists(eb.selectFrom('article_tags').select('article_tags.article_id').whereRef('article_tags.article_id', '=', 'articles.id').where('article_tags.slug', '=', tag)),
      );
    }
    const c = q.cursor;
    if (c) {
      const cmp = before ? '>' : '<';
      query = query.where((eb) => eb.or([eb('published_at', cmp, c.publishedAt), eb.and([eb('published_at', '=', c.publishedAt), eb('id', cmp, c.id)])]));
    }
    const rows = await query.execute();
    const more = rows.length > q.limit;
    const page = rows.slice(0, q.limit);
    if (before) page.reverse();
    const cursorOf = (r: { published_at: string; id: string } | undefined) => (r ? { publishedAt: r.published_at, id: r.id } : null);
    return {
      articles: page.map(fromRow),
      // Coming forward from a cursor, there is always an older page: the one the cursor ended.
      next: before ? (c ? cursorOf(page.at(-1)) : null) : more ? cursorOf(page.at(-1)) : null,
      prev: before ? (more ? cursorOf(page[0]) : null) : c ? cursorOf(page[0]) : null,
    };
  }


  async getSourceState(id: string): Promise<SourceState | undefined> {
    const row = await this.db.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toState(row) : undefined;
  }

  async listSourceStates(): Promise<SourceState[]> {
    return (await this.db.selectFrom('sources').selectAll().orderBy('id').execute()).map(toState);
  }

  async saveSourceState(s: SourceState): Promise<void> {
    const values: SourcesTable = {
      id: s.id,
      url: s.url,
      effective_url: s.effectiveUrl,
      etag: s.etag,
      last_modified: s.lastModified,
      last_attempt_at: s.lastAttemptAt,
      last_success_at: s.lastSuccessAt,
      last_status: s.lastStatus,
      consecutive_failures: s.consecutiveFailures,
      last_error_class: s.lastErrorClass,
      last_error_message: s.lastErrorMessage,
      next_attempt_at: s.nextAttemptAt,
      discovered_at: s.discoveredAt,
    };
    const { id: _id, ...rest } = values;
    await this.db.insertInto('sources').values(values).onConflict((oc) => oc.column('id').doUpdateSet(rest)).execute();
  }

  async countArticles(): Promise<number> {
    const row = await this.db.selectFrom('articles').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async listTagSlugs(): Promise<string[]> {
    return (await this.db.selectFrom('article_tags').select('slug').distinct().orderBy('slug').execute()).map((r) => r.slug);
  }

  async pruneSource(sourceId: string, before: string, keep: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const linked = trx.selectFrom('article_sources').select('article_id').where('source_id', '=', sourceId);
      // The keep-th newest of this source (the feed order: published_at, then id) bounds what goes.
      const edge = keep > 0
        ? await trx.selectFrom('articles').select(['published_at', 'id']).where('id', 'in', linked).orderBy('published_at', 'desc').orderBy('id', 'desc').offset(keep - 1).limit(1).executeTakeFirst()
        : undefined;
      if (keep > 0 && !edge) return 0; // fewer than `keep` articles: nothing may go
      let doomed = trx.selectFrom('articles').select('id').where('id', 'in', linked).where('published_at', '<', before);
      if (edge) doomed = doomed.where((eb) => eb.or([eb('published_at', '<', edge.published_at), eb.and([eb('published_at', '=', edge.published_at), eb('id', '<', edge.id)])]));
      const ids = (await doomed.execute()).map((r) => r.id);
      let deleted = 0;
      // Batches stay under every dialect's bound-parameter limit.
      for (let i = 0; i < ids.length; i += 500) {
        const batch = ids.slice(i, i + 500);
        await trx.deleteFrom('article_sources').where('source_id', '=', sourceId).where('article_id', 'in', batch).execute();
        // An article another source still lists stays for that source's feeds.
        const gone = await trx
          .deleteFrom('articles')
          .where('id', 'in', batch)
          .where((eb) => eb.not(eb.exists(eb.selectFrom('article_sources').select('article_id').whereRef('article_sources.article_id', '=', 'articles.id'))))
          .executeTakeFirst();
        deleted += Number(gone.numDeletedRows);
      }
      return deleted;
    });
  }

  async ping(): Promise<void> {
    await this.db.selectFrom('articles').select('id').limit(1).execute();
  }

  async schema(): Promise<{ current: number; expected: number }> {
    return { current: await schemaVersion(this.db as Kysely<unknown>), expected: LATEST };
  }

  async close(): Promise<void> {
    await this.#onClose();
  }
}
