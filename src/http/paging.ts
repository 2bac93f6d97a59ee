// Pages of a filtered feed: the store pages by cursor, the feed's rules drop articles, and this
// keeps reading until a page is full, so a filtered feed pages exactly like an unfiltered one.
import type { Article } from '../model/article.ts';
import type { Cursor, ListQuery, Page, Store } from '../store/port.ts';

// Articles read for one request at most: a rule that matches almost nothing costs bounded work.
const MAX_SCAN = 5_000;
const BATCH = 100;

const cursorOf = (a: Article | undefined): Cursor | null => (a ? { publishedAt: a.publishedAt, id: a.id } : null);

export async function filteredPage(store: Store, q: ListQuery, accept: (a: Article) => boolean): Promise<Page> {
  const before = q.direction === 'before';
  const found: Article[] = []; // in reading order: older for "after", newer for "before"
  let cursor = q.cursor;
  let scanned = 0;
  let exhausted = false;
  while (found.length <= q.limit && scanned < MAX_SCAN) {
    const batch = await store.listArticles({ ...q, limit: BATCH, cursor });
    const inOrder = before ? [...batch.articles].reverse() : batch.articles;
    for (const a of inOrder) {
      scanned++;
      cursor = { publishedAt: a.publishedAt, id: a.id };
      if (accept(a)) found.push(a);
      if (found.length > q.limit) break;
    }
    if ((before ? batch.prev : batch.next) === null && found.length <= q.limit) {
      exhausted = true;
      break;
    }
  }
  const more = found.length > q.limit || (!exhausted && scanned >= MAX_SCAN);
  const page = found.slice(0, q.limit);
  // Out of budget with the page not full: the cursor of the last article read lets the reader go on.
  const edge = found.length > q.limit ? cursorOf(page.at(-1)) : more ? (cursor ?? null) : null;
  if (before) {
    page.reverse();
    return { articles: page, prev: edge, next: q.cursor ? cursorOf(page.at(-1)) ?? q.cursor : null };
  }
  return { articles: page, next: edge, prev: q.cursor ? cursorOf(page[0]) ?? q.cursor : null };
}
