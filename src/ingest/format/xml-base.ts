// xml:base (W3C XML Base, which RFC 4287 §2 applies to every Atom element): the base each item's
// link and content resolve against, through every ancestor that sets one. rss-parser drops the
// attribute, so a document that uses it is read once more for the bases alone; one that does not
// costs nothing.
import { xml2js, type Element } from 'xml-js';

export interface ItemBases {
  /** The item's link as written, resolved against its base (absolute), when it had one. */
  link?: string;
  /** What relative URLs in the item's content (or, lacking content, its summary) resolve against. */
  content: string;
}

export interface FeedBases {
  /** The feed's own link, resolved. */
  link?: string;
  items: ItemBases[];
}

const el = (e: Element, name: string): Element[] => (e.elements ?? []).filter((c) => c.type === 'element' && localName(c.name) === name);
const localName = (n: string | undefined) => (n ?? '').replace(/^.*:/, '');
const textOf = (e: Element | undefined): string => (e?.elements ?? []).map((c) => c.text ?? c.cdata ?? '').join('').trim();

function rebase(e: Element, base: string): string {
  const b = e.attributes?.['xml:base'];
  if (typeof b !== 'string') return base;
  try {
    return new URL(b.trim(), base).href;
  } catch {
    return base;
  }
}

/** The link an Atom element set names for people: rel="alternate" (or no rel), else the first. */
function atomLink(links: Element[]): Element | undefined {
  return links.find((l) => (l.attributes?.['rel'] ?? 'alternate') === 'alternate') ?? links[0];
}

function resolved(href: string | undefined, base: string): string | undefined {
  if (!href) return undefined;
  try {
    return new URL(href.trim(), base).href;
  } catch {
    return undefined;
  }
}

/** Undefined when the document sets no xml:base (then the pipeline's base applies unchanged). */
export function xmlBases(xml: string, documentUrl: string): FeedBases | undefined {
  if (!xml.includes('xml:base')) return undefined;
  let root: Element | undefined;
  try {
    root = (xml2js(xml, { compact: false }) as Element).elements?.find((e) => e.type === 'element');
  } catch {
    return undefined; // rss-parser has read it; a base we cannot read leaves links as they were
  }
  if (!root) return undefined;
  const rootBase = rebase(root, documentUrl);
  const atom = localName(root.name) === 'feed';
  const channel = atom ? root : (el(root, 'channel')[0] ?? root);
  const channelBase = atom ? rootBase : rebase(channel, rootBase);
  const items = atom ? el(root, 'entry') : [...el(channel, 'item'), ...(channel === root ? [] : el(root, 'item'))];
  const linkOf = (e: Element, base: string): string | undefined => {
    if (atom) {
      const l = atomLink(el(e, 'link'));
      return l ? resolved(String(l.attributes?.['href'] ?? ''), rebase(l, base)) : undefined;
    }
    const l = el(e, 'link')[0];
    return l ? resolved(textOf(l), rebase(l, base)) : undefined;
  };
  const out: FeedBases = {
    items: items.map((item) => {
      const base = rebase(item, channelBase);
      const body = el(item, 'content')[0] ?? el(item, 'encoded')[0] ?? el(item, 'summary')[0] ?? el(item, 'description')[0];
      const link = linkOf(item, base);
      return { ...(link && { link }), content: body ? rebase(body, base) : base };
    }),
  };
  const feedLink = linkOf(channel, channelBase);
  if (feedLink) out.link = feedLink;
  return out;
}
