// Feeds that a liberal parser reads and a strict one refuses, made well-formed before parsing, the
// way Python's feedparser reads them: a bare "&" (an unescaped query string) becomes "&amp;", and
// an HTML entity XML does not define (&nbsp;, &eacute;) becomes the character reference it names.
// CDATA sections, comments and a DOCTYPE's internal subset are left as they are: "&" is legal in
// the first two, and entities declared in the third are the document's own.
import { decodeHTMLStrict } from 'entities';

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
// Pieces that must not be rewritten, captured so split() keeps them.
const UNTOUCHED = /(<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*\[[\s\S]*?\]\s*>)/i;
const AMPERSAND = /&(?:(#\d+|#x[0-9a-f]+)|([A-Za-z][A-Za-z0-9]*));|&/gi;

export function repairXml(xml: string): string {
  // Most feeds are well-formed: leave them byte for byte when there is nothing to do.
  if (!/&(?!(?:#\d+|#x[0-9a-f]+|amp|lt|gt|quot|apos);)/i.test(xml)) return xml;
  const declared = new Set([...xml.matchAll(/<!ENTITY\s+%?\s*([A-Za-z_][\w.-]*)/g)].map((m) => m[1]!));
  return xml
    .split(UNTOUCHED)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(AMPERSAND, (m, num: string | undefined, name: string | undefined) => fix(m, num, name, declared))))
    .join('');
}

function fix(match: string, num: string | undefined, name: string | undefined, declared: Set<string>): string {
  if (num) return match;
  if (name) {
    if (XML_ENTITIES.has(name) || declared.has(name)) return match;
    const ch = decodeHTMLStrict(match);
    if (ch !== match) return Array.from(ch, (c) => `&#${c.codePointAt(0)};`).join('');
    // An unknown name: the "&" is text, as a browser reads it.
    return `&amp;${match.slice(1)}`;
  }
  return '&amp;';
}
