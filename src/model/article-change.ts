// What a store write changed, as the store tells its listeners and the render cache reads it:
// a type both layers share, so neither imports the other.
import type { Article } from './article.ts';

/** An article a write stored, changed, or newly listed under a source (one that already had it). */
export interface ArticleChange {
  kind: 'inserted' | 'updated' | 'linked';
  /** The article as stored now. */
  article: Article;
  /** The source the write came through: the feeds reading it list the article. */
  sourceId: string;
}

