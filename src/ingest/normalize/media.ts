// Media RSS, enclosures and JSON Feed images: the pictures among them, as figures or a lead image.
import type { Image } from '../../model/article.ts';
import { imageKey, isNotImage } from '../content/images.ts';
import type { RawItem } from '../format/raw.ts';
import { normalizeSpace } from '../text.ts';
import { absoluteUrl } from '../url.ts';
import { decodeEntities } from './entities.ts';

/** Media RSS / enclosures / JSON Feed images that are pictures, not avatars or pixels. */
export function mediaImages(item: RawItem, base: string): Array<Image & { thumbnail: boolean }> {
  const out: Array<Image & { thumbnail: boolean }> = [];
  for (const m of item.media) {
    const isImage = m.medium === 'image' || (m.type ?? '').startsWith('image/') || (!m.medium && !m.type && /\.(jpe?g|png|gif|webp|avif)(\?|$)/i.test(m.url));
    const url = absoluteUrl(m.url, base);
    if (!isImage || !url || isNotImage(url)) continue;
    if ((m.width !== undefined && m.width <= 2) || (m.height !== undefined && m.height <= 2)) continue;
    const caption = m.description ? normalizeSpace(decodeEntities(m.description)) : undefined;
    out.push({ url, ...(caption && { caption }), thumbnail: m.thumbnail === true });
  }
  return out;
}

/**
 * The lead image: the picture the page declares for the article (og:image, twitter:image,
 * JSON-LD; extract leaves out site defaults and logos), as the content's figure when the content
 * shows that file (with its caption); the first figure when nothing is declared.
 */
export function leadImage(declared: { url: string; alt?: string } | undefined, figures: Image[]): Image | null {
  if (!declared) return figures[0] ?? null;
  const key = imageKey(declared.url);
  return figures.find((f) => imageKey(f.url) === key) ?? { url: declared.url, ...(declared.alt && { alt: declared.alt }) };
}
