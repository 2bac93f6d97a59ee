// Small text helpers shared by the ingest steps.

/** Collapses every run of whitespace (including the no-break space WordPress puts before a
 * title's last word) to one space. */
export function normalizeSpace(s: string): string {
  return s.replace(/[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+/g, ' ').trim();
}

const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i', к: 'k', л: 'l',
  м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh',
  щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'iu', я: 'ia', і: 'i', ї: 'i', є: 'ie', ґ: 'g',
  // Kazakh letters
  ә: 'a', ғ: 'g', қ: 'q', ң: 'n', ө: 'o', ұ: 'u', ү: 'u', һ: 'h',
};

/** Lowercase ASCII slug: accents dropped, Cyrillic transliterated, anything else to "-". */
export function slugify(label: string): string {
  const lower = label.toLowerCase().replace(/[\u0400-\u04ff]/g, (c) => CYRILLIC[c] ?? '');
  return lower
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function countWords(text: string): number {
  const m = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu);
  return m ? m.length : 0;
}

/** A plain-text summary of at most `max` characters, cut at a word boundary. */
export function summarize(text: string, max = 300): string {
  const t = normalizeSpace(text)
    .replace(/\s*(?:\[(?:…|\.\.\.)\]|\[&hellip;\]|(?:Continue reading|Read more)[^.]*?)\s*$/i, '…')
    .replace(/\s+…$/, '…');
  if (t.length <= max) return t;
  const cut = t.slice(0, max - 1);
  const at = cut.lastIndexOf(' ');
  return `${(at > max / 2 ? cut.slice(0, at) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}
