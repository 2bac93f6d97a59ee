// Small text helpers shared by the ingest steps.
import { platformRules } from './rules/rules.ts';

/** Collapses every run of whitespace (including the no-break space WordPress puts before a
 * title's last word) to one space. */
export function normalizeSpace(s: string): string {
  return s.replace(/[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+/g, ' ').trim();
}

export function countWords(text: string): number {
  const m = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu);
  return m ? m.length : 0;
}

/** A plain-text summary of at most `max` characters, cut at a word boundary. */
export function summarize(text: string, max = 300): string {
  const t = normalizeSpace(text)
    .replace(platformRules().summaryTrailer, '…')
    .replace(/\s+…$/, '…');
  if (t.length <= max) return t;
  const cut = t.slice(0, max - 1);
  const at = cut.lastIndexOf(' ');
  return `${(at > max / 2 ? cut.slice(0, at) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}

/** Plain text as HTML text: what a feed or page gives as text, where the steps expect HTML. */
export function textAsHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
