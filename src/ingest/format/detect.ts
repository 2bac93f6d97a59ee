// Which adapter reads a document: decided by its content, with the Content-Type only as a hint,
// because feeds are routinely served as text/html and pages as text/xml.
export type Format = 'rss' | 'atom' | 'rdf' | 'jsonfeed' | 'html' | 'unknown';

export function detectFormat(text: string, contentType?: string): Format {
  // Leading whitespace first: a document padded with megabytes of it is still what follows.
  const start = text.search(/[^\s\uFEFF]/);
  const head = start < 0 ? '' : text.slice(start, start + 4096);
  const trimmed = head;
  if (trimmed.startsWith('{')) {
    return /"version"\s*:\s*"https?:\/\/jsonfeed\.org\/version\//.test(text.slice(0, 65536)) ? 'jsonfeed' : 'unknown';
  }
  // Skip the prolog, comments, processing instructions and a doctype to reach the first element.
  const rest = trimmed.replace(/^(?:<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>\s*)*/i, '');
  const m = /^<([A-Za-z_][\w.:-]*)/.exec(rest);
  if (m) {
    const name = m[1]!.toLowerCase();
    if (name === 'rss') return 'rss';
    if (name === 'feed' || name.endsWith(':feed')) return 'atom';
    if (name === 'rdf:rdf' || name.endsWith(':rdf') || name === 'rdf') return 'rdf';
    if (name === 'html' || name === 'head' || name === 'body' || name === 'meta' || name === 'title') return 'html';
  }
  if (/^<!doctype html/i.test(trimmed)) return 'html';
  if (/html/i.test(contentType ?? '') && /<(html|body|p|div|article)[\s>]/i.test(head)) return 'html';
  return 'unknown';
}
