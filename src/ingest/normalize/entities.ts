// Text that may still hold HTML: titles, names, captions and categories.
import { decodeHTML } from 'entities';

export function decodeEntities(s: string): string {
  // Titles in RSS are text that may still hold HTML (Atom type="html", double-encoded feeds):
  // strip tags and decode entities exactly once, every named, decimal and hex reference HTML
  // knows, as a browser (and feedparser) would.
  return decodeHTML(s.replace(/<[^>]*>/g, ''));
}
