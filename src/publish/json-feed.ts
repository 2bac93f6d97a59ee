// JSON Feed 1.1, written here because the `feed` library writes 1.0 (singular `author`, no
// `authors`, no `language`). Fields JSON Feed has no room for go in the `_feedrelay` extension.
import type { Article } from '../model/article.ts';
import { entryId, type FeedView } from './view.ts';

export interface JsonFeed {
  version: 'https://jsonfeed.org/version/1.1';
  title: string;
  home_page_url: string;
  feed_url: string;
  description: string;
  language?: string;
  next_url?: string;
  hubs?: Array<{ type: string; url: string }>;
  items: JsonFeedItem[];
}

export interface JsonFeedItem {
  id: string;
  url: string;
  title: string;
  content_html: string;
  summary: string;
  image?: string;
  date_published?: string;
  date_modified: string;
  authors?: Array<{ name: string; url?: string }>;
  tags?: string[];
  language?: string;
  _feedrelay: {
    about: string;
    id: string;
    byline: string | null;
    image: { url: string; caption?: string; alt?: string } | null;
    figures: Array<{ url: string; caption?: string; alt?: string }>;
    tags: Array<{ label: string; slug: string }>;
    word_count: number;
    /** False when the source stated no date (date_published is then left out). */
    published_at_stated: boolean;
  };
}

export const EXTENSION_DOCS = 'https://github.com/feedrelay/feedrelay#json-feed-extension-_feedrelay';

export function writeJsonFeed(view: FeedView, articles: Article[]): string {
  const doc: JsonFeed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: view.title,
    home_page_url: view.homeUrl,
    feed_url: view.selfUrl.json,
    description: view.description,
    ...(view.language && { language: view.language }),
    ...(view.nextUrl && { next_url: view.nextUrl.json }),
    ...(view.hubs && view.hubs.length > 0 && { hubs: view.hubs.map((url) => ({ type: 'WebSub', url })) }),
    items: articles.map((a) => ({
      id: entryId(a),
      url: a.url,
      title: a.title,
      content_html: a.contentHtml,
      summary: a.summary,
      ...(a.image && { image: a.image.url }),
      ...(a.publishedAtStated && { date_published: a.publishedAt }),
      date_modified: a.updatedAt,
      ...(a.authors.length > 0 && { authors: a.authors.map((p) => ({ name: p.name, ...(p.url && { url: p.url }) })) }),
      ...(a.tags.length > 0 && { tags: a.tags.map((t) => t.label) }),
      ...(a.language && { language: a.language }),
      _feedrelay: {
        about: EXTENSION_DOCS,
        id: a.id,
        byline: a.byline,
        image: a.image,
        figures: a.figures,
        tags: a.tags,
        word_count: a.wordCount,
        published_at_stated: a.publishedAtStated,
      },
    })),
  };
  return JSON.stringify(doc);
}
