// Feed items that carry only an excerpt are completed from their own page. Pure: deciding
// whether an item is an excerpt, and merging the page's article into the feed's item. The
// pipeline does the fetching.
import type { RawItem } from '../format/raw.ts';
import { platformRules } from '../rules/rules.ts';
import { countWords, normalizeSpace } from '../text.ts';

export type FullTextMode = 'auto' | 'always' | 'never';

/** Below this many characters of text an item is a teaser, not a post. */
const SHORT_TEXT = 300;

function textOfHtml(html: string): string {
  return normalizeSpace(
    html
      .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]*>/g, ' ')
      .replace(/&hellip;|&#8230;|&#x2026;/gi, '…')
      .replace(/&nbsp;|&#160;/gi, ' ')
      .replace(/&amp;/gi, '&'),
  );
}

/** True when the feed gave only an excerpt: no full content, a short text, or a truncation mark. */
export function isExcerpt(item: RawItem): boolean {
  if (!item.contentHtml) return true;
  const text = textOfHtml(item.contentHtml);
  // How a feed says "the rest is on the site" is the rules' "readMore".
  return text.length < SHORT_TEXT || platformRules().readMore.test(text);
}

export function excerptWords(item: RawItem): number {
  return countWords(textOfHtml(item.contentHtml ?? item.summaryHtml ?? ''));
}

export function wantsPage(item: RawItem, mode: FullTextMode): boolean {
  if (mode === 'never' || !item.link || !/^https?:/i.test(item.link)) return false;
  return mode === 'always' || isExcerpt(item);
}

/**
 * The feed's item completed by its page: the feed's metadata wins where a feed is the better
 * witness (guid, link, dates, categories, title, authors when it names any); the page wins for
 * content, figures and the lead image. The feed's excerpt stays the summary.
 */
export function mergePage(feed: RawItem, page: RawItem): RawItem {
  const categories = [...feed.categories];
  for (const c of page.categories) if (!categories.some((x) => x.toLowerCase() === c.toLowerCase())) categories.push(c);
  const merged: RawItem = {
    ...feed,
    authors: feed.authors.length ? feed.authors : page.authors,
    categories,
    // Feed media (Media RSS captions, thumbnails) still count; normalize dedupes by image.
    media: feed.media,
  };
  if (page.contentHtml) merged.contentHtml = page.contentHtml;
  merged.summaryHtml = feed.summaryHtml ?? feed.contentHtml ?? page.summaryHtml;
  if (!merged.summaryHtml) delete merged.summaryHtml;
  if (!feed.title?.trim() && page.title) merged.title = page.title;
  if (!feed.published && page.published) merged.published = page.published;
  if (!feed.updated && page.updated) merged.updated = page.updated;
  if (!feed.language && page.language) merged.language = page.language;
  if (page.page) merged.page = page.page;
  return merged;
}
