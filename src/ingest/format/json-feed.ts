// The JSON Feed adapter (1.0 and 1.1): plain JSON, read by hand into RawItem.
import { IngestError } from '../errors.ts';
import { textAsHtml } from '../text.ts';
import type { RawAuthor, RawFeed, RawItem, RawMedia } from './raw.ts';

type X = Record<string, unknown>;

export function parseJsonFeed(json: string): RawFeed {
  let doc: X;
  try {
    doc = JSON.parse(json) as X;
  } catch (err) {
    throw new IngestError('parse', 'malformed', `not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (!Array.isArray(doc['items'])) throw new IngestError('parse', 'malformed', 'JSON Feed without an items array');
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const feedAuthors = (d: X): RawAuthor[] => {
    const list = Array.isArray(d['authors']) ? (d['authors'] as (X | null)[]) : d['author'] ? [d['author'] as X] : [];
    return list.flatMap((a) => {
      const name = str(a?.['name']);
      const url = str(a?.['url']);
      return name ? [{ name, ...(url && { url }) }] : [];
    });
  };
  const defaultAuthors = feedAuthors(doc);
  const items = (doc['items'] as unknown[]).filter((i): i is X => typeof i === 'object' && i !== null).map((i): RawItem => {
    const authors = feedAuthors(i);
    const media: RawMedia[] = [];
    const image = str(i['image']);
    const banner = str(i['banner_image']);
    if (image) media.push({ url: image, medium: 'image', thumbnail: true });
    if (banner && banner !== image) media.push({ url: banner, medium: 'image', thumbnail: true });
    for (const a of Array.isArray(i['attachments']) ? (i['attachments'] as (X | null)[]) : []) {
      const url = str(a?.['url']);
      const type = str(a?.['mime_type']);
      const title = str(a?.['title']);
      if (url) media.push({ url, ...(type && { type }), ...(title && { title }) });
    }
    const contentText = str(i['content_text']);
    const raw: RawItem = {
      authors: authors.length ? authors : defaultAuthors,
      categories: Array.isArray(i['tags']) ? (i['tags'] as unknown[]).filter((t): t is string => typeof t === 'string') : [],
      media,
    };
    // A string, or a number some feeds write; an object would stringify to one shared "[object Object]".
    const id = typeof i['id'] === 'string' || typeof i['id'] === 'number' ? String(i['id']) : undefined;
    const set = <K extends keyof RawItem>(k: K, v: RawItem[K] | undefined) => v !== undefined && (raw[k] = v);
    set('guid', id);
    set('link', str(i['url']) ?? str(i['external_url']));
    set('title', typeof i['title'] === 'string' ? i['title'] : undefined);
    set('published', str(i['date_published']));
    set('updated', str(i['date_modified']));
    const summary = str(i['summary']);
    set('summaryHtml', summary && textAsHtml(summary));
    set('contentHtml', str(i['content_html']) ?? (contentText && textAsHtml(contentText).replace(/\n{2,}/g, '</p><p>').replace(/^/, '<p>').replace(/$/, '</p>')));
    set('language', str(i['language']));
    return raw;
  });
  const out: RawFeed = { format: 'jsonfeed', items };
  const title = str(doc['title']);
  const link = str(doc['home_page_url']);
  const language = str(doc['language']);
  if (title) out.title = title;
  if (link) out.link = link;
  if (language) out.language = language;
  return out;
}
