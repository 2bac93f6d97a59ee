// The store compares it to decide whether a re-fetched article changed; it depends only on the
// Article, so it lives with the model and the store needs nothing from ingest.
import { createHash } from 'node:crypto';
import type { Article } from './article.ts';

/** What a reader sees; updatedAt moves only when this changes. */
export function contentHash(a: Article): string {
  return createHash('sha256')
    .update(JSON.stringify([a.title, a.byline, a.contentHtml, a.summary, a.figures, a.image, a.tags]))
    .digest('hex');
}
