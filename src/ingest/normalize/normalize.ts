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
import { toLanguage } from './language.ts';
import { leadImage, mediaImages } from './media.ts';
import { tagsOf } from './tags.ts';

export interface NormalizeContext {
  sourceId: string;
  /** Where the item came from: relative links resolve against it. */
  baseUrl: string;
  now: Date;
  feedLanguage?: string | undefined;
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
  const found = absoluteUrl(item.link, ctx.baseUrl) ?? absoluteUrl(item.guid, ctx.baseUrl);
  // Readers get the link without utm_* and other tracking parameters.
  const url = found && canonicalUrl(found);
  if (!url) throw new IngestError('normalize', 'malformed', `item ${JSON.stringify(item.guid ?? item.title ?? '')} has no usable link`);
  const guid = item.guid?.trim() || url;
  const title = normalizeSpace(decodeEntities(item.title ?? '')) || UNTITLED;

  const body = item.contentHtml ?? item.summaryHtml ?? '';
  const content = cleanContent(body, url, title);
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
  const authors = authorsOf(item, url);
  const language = toLanguage(item.language) ?? toLanguage(ctx.feedLanguage) ?? toLanguage(item.page?.locale);
  const article: Article = {
    id: articleId(ctx.sourceId, url, guid),
    sourceId: ctx.sourceId,
    url,
    guid,
    title,
    byline: formatByline(authors.map((a) => a.name), language),
    authors,
    publishedAt: published.toISOString(),
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
  return { article, dated, ...(clampedFrom && { clampedFrom }) };
}
