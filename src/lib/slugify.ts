// Tag and feed ids: needed by config (feed ids) and ingest (tag slugs), so it lives in neither.
import { createHash } from 'node:crypto';

const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i', к: 'k', л: 'l',
  м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh',
  щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'iu', я: 'ia', і: 'i', ї: 'i', є: 'ie', ґ: 'g',
  // Kazakh letters
  ә: 'a', ғ: 'g', қ: 'q', ң: 'n', ө: 'o', ұ: 'u', ү: 'u', һ: 'h',
};

/**
 * Lowercase ASCII slug: accents dropped, Cyrillic transliterated, anything else to "-". A label
 * with letters no table spells in ASCII (Chinese, Japanese, Arabic…) keeps its ASCII part and
 * gains "u" and a hash of the whole label, so "人工知能" is a tag of its own (its URL stays ASCII)
 * rather than an empty slug, and "AI人工知能" does not merge with "AI".
 */
export function slugify(label: string): string {
  const lower = label.toLowerCase().replace(/[\u0400-\u04ff]/g, (c) => CYRILLIC[c] ?? '');
  const folded = lower.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/ß/g, 'ss');
  const ascii = folded.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (!/[^\p{Script=Latin}\P{L}]/u.test(folded)) return ascii;
  const hash = createHash('sha256').update(label.normalize('NFKC').toLowerCase().trim()).digest('hex').slice(0, 8);
  return ascii ? `${ascii}-u${hash}` : `u${hash}`;
}
