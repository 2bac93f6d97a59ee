// Text that may still hold HTML: titles, names, captions and categories.
import { parseFragment } from '../dom.ts';

export function decodeEntities(s: string): string {
  // Titles in RSS are text that may still hold HTML (Atom type="html", double-encoded feeds):
  // strip tags and decode entities exactly once.
  return s
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp|hellip|ndash|mdash|lsquo|rsquo|ldquo|rdquo);/gi, (m, e: string) => {
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', hellip: '…', ndash: '–', mdash: '—', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”' };
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
      }
      return named[e.toLowerCase()] ?? m;
    })
    // The other named references (&oacute;, &eacute;, ...): the HTML parser knows them all.
    .replace(/&[a-z][a-z0-9]{1,31};/gi, (m) => parseFragment(m).body.textContent || m);
}
