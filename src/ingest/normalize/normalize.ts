// RawItem -> Article. Pure: everything it needs comes in as arguments (including "now").
// The assembly: each field comes from the module named for it, in this folder or content/.
import type { Article, Image } from '../../model/article.ts';
import { cleanContent, summaryText } from '../content/clean.ts';
import { imageKey } from '../content/images.ts';
import type { RawItem } from '../format/raw.ts';
import { IngestError } from '../errors.ts';
import { platformRules } from '../rules/rules.ts';
import { countWords, normalizeSpace, summarize } from '../text.ts';
import { absoluteUrl } from '../url.ts';
import { authorsOf, formatByline } from './bylines.ts';
import { parseDate } from './dates.ts';
import { decodeEntities } from './entities.ts';
import { articleId, canonicalUrl } from './identity.ts';
import { cleanStrings } from './clean-text.ts';
import { createHash } from 'node:crypto';
import { declaredLanguage, detectLanguage } from './language.ts';
import { leadImage, mediaImages } from './media.ts';
import { tagsOf } from './tags.ts';

export interface NormalizeContext {
  sourceId: string;
  /** Where the item came from: relative links resolve against it. */
  baseUrl: string;
  now: Date;
  feedLanguage?: string | undefined;
  /** The feed's site (its channel link): where an item with no link of its own points. */
  siteUrl?: string | undefined;
  tagRules?: Record<string, string[]>;
  timezone?: string | undefined;
  maxTags?: number;
}

export interface Normalized {
  article: Article;
  /** False when upstream gave no usable date and publishedAt is the time first seen. */
  dated: boolean;
  /** Set when a date was in the future and clamped to now. */
  clampedFrom?: string;
}

/** The title of an item upstream gave none: Atom and RSS readers need some text to show. */
export const UNTITLED = '(untitled)';
const FUTURE_SKEW_MS = 5 * 60 * 1000;

export function normalize(item: RawItem, ctx: NormalizeContext): Normalized {
  // A guid stands in for the link only where it is itself a web address (RSS isPermaLink).
  const found = absoluteUrl(item.link, item.base ?? ctx.baseUrl) ?? (/^https?:\/\//i.test(item.guid?.trim() ?? '') ? absoluteUrl(item.guid, ctx.baseUrl) : undefined);
  const body = item.contentHtml ?? item.summaryHtml ?? '';
  let url: string;
  let guid: string;
  let id: string | undefined;
  if (found) {
    // Readers get the link without utm_* and other tracking parameters.
    url = canonicalUrl(found);
    guid = item.guid?.trim() || url;
  } else {
    // Neither link nor web-address guid (most Atom 0.3 and RSS 0.9x items, notices): kept as
    // feedparser keeps them, pointing at the feed's site, identified by its guid or its content.
    const site = absoluteUrl(ctx.siteUrl, ctx.baseUrl) ?? absoluteUrl(ctx.baseUrl, ctx.baseUrl);
    if (!site || !(item.guid?.trim() || item.title?.trim() || body.trim())) {
      throw new IngestError('normalize', 'malformed', `item ${JSON.stringify(item.guid ?? item.title ?? '')} has no link, no id and nothing to show`);
    }
    url = canonicalUrl(site);
    guid = item.guid?.trim() || `feedrelay:content:${createHash('sha256').update(`${item.title ?? ''}\u0000${body}`).digest('hex').slice(0, 32)}`;
    id = articleId(ctx.sourceId, undefined, guid);
  }
  // item.page: the content was extracted from the page (extractPage, or mergePage's full text).
  const content = cleanContent(body, item.base ?? url, normalizeSpace(decodeEntities(item.title ?? '')) || undefined, { page: item.page !== undefined });
  // A feed item with no title (RSS 0.92 and JSON Feed allow it) is named by its first words, as
  // readers show it; a page with no title has none to show.
  const title = normalizeSpace(decodeEntities(item.title ?? '')) || (item.page ? '' : summarize(content.storyText || content.text, 80)) || UNTITLED;
  const figures: Image[] = [...content.figures];
  const keys = new Set([...figures.map((f) => imageKey(f.url)), ...content.aliases]);
  let lead: Image | null = leadImage(item.page?.leadImage, figures);
  for (const m of mediaImages(item, url)) {
    const key = imageKey(m.url);
    if (keys.has(key)) {
      // The feed's media caption fills in one the content lacks.
      const f = figures.find((x) => imageKey(x.url) === key);
      if (f && !f.caption && m.caption) f.caption = m.caption;
      continue;
    }
    keys.add(key);
    const { thumbnail, ...img } = m;
    if (thumbnail) lead ??= img;
    else figures.push(img);
  }
  lead ??= figures[0] ?? null;

  const tz = ctx.timezone ?? 'UTC';
  let published = parseDate(item.published, tz);
  let updated = parseDate(item.updated, tz);
  const dated = published !== undefined || updated !== undefined;
  const limit = ctx.now.getTime() + FUTURE_SKEW_MS;
  let clampedFrom: string | undefined;
  if (published && published.getTime() > limit) {
    clampedFrom = published.toISOString();
    published = ctx.now;
  }
  if (updated && updated.getTime() > limit) updated = ctx.now;
  published ??= updated ?? ctx.now;
  if (!updated || updated < published) updated = published;

  // The summary is the content's own story text when the content is the summary (an item with
  // only an excerpt), unless the content lost a title heading the summary keeps.
  const summaryStory = !item.summaryHtml
    ? content.storyText
    : item.contentHtml == null && !content.repeatedTitle
      ? content.storyText
      : summaryText(item.summaryHtml, url);
  const summarySource = summaryStory.replace(platformRules().feedFooter, '');
  // What the publisher declares comes first (the item or page, the feed, og:locale); the text is
  // asked only when none of them says.
  const language = declaredLanguage(item, ctx.feedLanguage) ?? detectLanguage(content.text);
  // The language says whether "por", "di", "door" opening a byline is its label.
  const authors = authorsOf(item, url, language);
  const article: Article = {
    id: id ?? articleId(ctx.sourceId, url, guid),
    sourceId: ctx.sourceId,
    url,
    guid,
    title,
    byline: formatByline(authors.map((a) => a.name), language),
    authors,
    publishedAt: published.toISOString(),
    publishedAtStated: dated,
    updatedAt: updated.toISOString(),
    summary: summarize(summarySource || content.storyText || content.text),
    contentHtml: content.html,
    contentText: content.text,
    image: lead,
    figures,
    // Stored generously; each feed shows its own maxTags (default 10).
    tags: tagsOf(item, content.text, title, ctx.tagRules ?? {}, ctx.maxTags ?? 30),
    language,
    wordCount: countWords(content.text),
  };
  return { article: cleanStrings(article), dated, ...(clampedFrom && { clampedFrom }) };
}
