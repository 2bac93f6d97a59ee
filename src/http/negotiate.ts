// Reading the request headers that choose a representation: Accept-Encoding and Accept with their
// q-values (RFC 9110 §12.4–12.5.3), and the If-None-Match list (§13.1.2).
import type { Coding } from '../publish/representation.ts';
import type { FeedFormat } from '../publish/render.ts';

interface Weighted {
  name: string;
  q: number;
  params: string;
}

function parseList(header: string): Weighted[] {
  const out: Weighted[] = [];
  for (const part of header.split(',')) {
    const [name = '', ...rest] = part.split(';').map((s) => s.trim());
    if (!name) continue;
    let q = 1;
    const params: string[] = [];
    for (const p of rest) {
      const m = /^q\s*=\s*([0-9.]+)$/i.exec(p);
      if (m) q = Math.min(1, Math.max(0, Number(m[1]) || 0));
      else if (p) params.push(p.toLowerCase());
    }
    out.push({ name: name.toLowerCase(), q, params: params.join(';') });
  }
  return out;
}

/**
 * The content coding to send, or null when the request refuses every one we have (then 406).
 * No header means any coding is acceptable (§12.5.3), but identity is the safe answer to a client
 * that said nothing; between codings of equal weight brotli wins, then gzip, then identity.
 */
export function chooseCoding(header: string | undefined): Coding | null {
  if (header === undefined) return 'identity';
  // Clients send a handful of distinct headers, each thousands of times.
  const known = codingMemo.get(header);
  if (known !== undefined) return known;
  if (codingMemo.size >= 256) codingMemo.clear();
  const chosen = parseCoding(header);
  codingMemo.set(header, chosen);
  return chosen;
}

const codingMemo = new Map<string, Coding | null>();

function parseCoding(header: string): Coding | null {
  const list = parseList(header);
  const star = list.find((w) => w.name === '*');
  const weight = (c: Coding): number => {
    const own = list.find((w) => w.name === c || (c === 'gzip' && w.name === 'x-gzip'));
    if (own) return own.q;
    if (star) return star.q;
    // identity is acceptable unless refused by name or by "*;q=0" (§12.5.3), but a coding the
    // client named with any weight is what it asked for: unnamed identity is the last resort.
    return c === 'identity' ? 0.0001 : 0;
  };
  let best: Coding | null = null;
  let bestQ = 0;
  for (const c of ['br', 'gzip', 'identity'] as const) {
    const q = weight(c);
    if (q > bestQ) {
      best = c;
      bestQ = q;
    }
  }
  return best;
}

const MEDIA: Record<string, FeedFormat> = {
  'application/atom+xml': 'atom',
  'application/rss+xml': 'rss',
  'application/feed+json': 'json',
  'application/json': 'json',
};
const FORMAT_ORDER: FeedFormat[] = ['atom', 'rss', 'json'];

/**
 * The feed format an extensionless feed URL answers with: the best-weighted of Atom, RSS and
 * JSON Feed in Accept (a more specific range outranks a wider one), Atom when no header names
 * one of them — readers send all sorts of Accept headers, and a feed is better than a 406.
 */
export function chooseFormat(header: string | undefined): FeedFormat {
  if (!header) return 'atom';
  const list = parseList(header);
  const weightOf = (f: FeedFormat): number | undefined => {
    const exact = list.filter((w) => MEDIA[w.name] === f);
    if (exact.length) return Math.max(...exact.map((w) => w.q));
    const range = list.find((w) => w.name === 'application/*') ?? list.find((w) => w.name === '*/*');
    return range?.q;
  };
  let best: FeedFormat = 'atom';
  let bestQ = 0;
  for (const f of FORMAT_ORDER) {
    const q = weightOf(f) ?? 0;
    if (q > bestQ) {
      best = f;
      bestQ = q;
    }
  }
  return best;
}

/** If-None-Match against a current tag, with the weak comparison §13.1.2 asks for. */
export function noneMatch(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const opaque = (t: string) => t.trim().replace(/^W\//, '');
  const current = opaque(etag);
  return header.split(',').some((t) => opaque(t) === current);
}
