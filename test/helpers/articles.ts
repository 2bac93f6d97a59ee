// A plain Article for store tests: post n, dated 2022-01-<n>, overridable field by field.
import type { Article } from '../../src/model/article.ts';

export function testArticle(n: number, over: Partial<Article> = {}, idPrefix = 'a'): Article {
  return {
    id: `${idPrefix}${String(n).padStart(23, '0')}`,
    sourceId: 'src',
    url: `https://x.example/${n}`,
    guid: `g${n}`,
    title: `Post ${n}`,
    byline: 'Jane Doe',
    authors: [{ name: 'Jane Doe' }],
    publishedAt: new Date(Date.UTC(2022, 0, n)).toISOString(),
    publishedAtStated: true,
    updatedAt: new Date(Date.UTC(2022, 0, n)).toISOString(),
    summary: 'S',
    contentHtml: `<p>Body ${n}</p>`,
    contentText: `Body ${n}`,
    image: null,
    figures: [],
    tags: [],
    language: 'en',
    wordCount: 2,
    ...over,
  };
}
