// schema.org JSON-LD: the page's Article node, and its authors, people apart from organisations.
import type { RawAuthor } from '../format/raw.ts';

export type Json = Record<string, unknown>;

// HowTo: schema.org's CreativeWork for a page of steps (homify's DIY pages), dated and authored as
// an article is.
const ARTICLE_TYPES = /^(?:Article|NewsArticle|BlogPosting|ReportageNewsArticle|AnalysisNewsArticle|OpinionNewsArticle|TechArticle|ScholarlyArticle|Report|LiveBlogPosting|HowTo|WebPage)$/;

function jsonLdNodes(scripts: string[]): Json[] {
  const nodes: Json[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      const o = v as Json;
      nodes.push(o);
      if (o['@graph']) visit(o['@graph']);
    }
  };
  for (const s of scripts) {
    try {
      // Some sites wrap JSON-LD in a CDATA section for XHTML parsers.
      visit(JSON.parse(s.replace(/^\s*(?:\/\/\s*)?<!\[CDATA\[|\]\]>\s*$/g, '')));
    } catch {
      // Broken JSON-LD is common; the other signals still count.
    }
  }
  return nodes;
}

const typeOf = (o: Json) => ([] as unknown[]).concat(o['@type'] ?? []).map((t) => String(t).replace(/^https?:\/\/schema\.org\//, ''));

export function jsonLdArticle(scripts: string[]): Json | undefined {
  const nodes = jsonLdNodes(scripts);
  const article =
    nodes.find((o) => typeOf(o).some((t) => t !== 'WebPage' && ARTICLE_TYPES.test(t))) ??
    nodes.find((o) => typeOf(o).includes('WebPage'));
  if (!article || article['author'] === undefined) return article;
  // Yoast and other @graph writers name the author by reference: {"@id": ".../#/schema/person/…"},
  // or the bare @id as a string; the Person node with that @id elsewhere in the graph has the name.
  const byId = new Map<string, Json>();
  for (const o of nodes) if (typeof o['@id'] === 'string' && typeof o['name'] === 'string') byId.set(o['@id'], o);
  const resolve = (a: unknown): unknown => {
    if (a && typeof a === 'object' && !Array.isArray(a) && typeof (a as Json)['name'] !== 'string' && typeof (a as Json)['@id'] === 'string') return byId.get((a as Json)['@id'] as string) ?? a;
    // A URL is an @id or a profile page, never a name.
    if (typeof a === 'string' && /^https?:\/\//i.test(a.trim())) return byId.get(a.trim());
    return a;
  };
  const author = Array.isArray(article['author']) ? article['author'].map(resolve).filter((a) => a !== undefined) : resolve(article['author']);
  return { ...article, author };
}

/** A page that says it lists other pages (schema.org CollectionPage, ItemList, SearchResultsPage)
 * and is no article itself: the bylines it prints are its teasers'. */
export function isListing(scripts: string[]): boolean {
  if (!scripts.some((s) => s.includes('CollectionPage') || s.includes('SearchResultsPage'))) return false;
  const nodes = jsonLdNodes(scripts);
  const types = nodes.flatMap(typeOf);
  return types.some((t) => /^(?:CollectionPage|SearchResultsPage)$/.test(t)) && !types.some((t) => t !== 'WebPage' && ARTICLE_TYPES.test(t));
}

/** JSON-LD author names, people apart from organisations: an organisation is a byline only
 * when nothing names a person. */
export function ldAuthors(v: unknown): { people: RawAuthor[]; orgs: string[] } {
  const people: RawAuthor[] = [];
  const orgs: string[] = [];
  for (const a of ([] as unknown[]).concat(v ?? [])) {
    if (typeof a === 'string') people.push({ name: a });
    else if (a && typeof a === 'object' && typeof (a as Json)['name'] === 'string') {
      const types = ([] as unknown[]).concat((a as Json)['@type'] ?? []).map(String);
      const name = (a as Json)['name'] as string;
      const url = typeof (a as Json)['url'] === 'string' ? ((a as Json)['url'] as string) : undefined;
      if (types.some((t) => /Organi[sz]ation|Corporation|NewsMediaOrganization/.test(t))) orgs.push(name);
      else people.push({ name, ...(url && { url }) });
    }
  }
  return { people, orgs };
}

/** The Article's image (schema.org: a URL, an ImageObject, or a list of either) and thumbnailUrl. */
export function ldImages(ld: Json | undefined): string[] {
  if (!ld) return [];
  const out: string[] = [];
  for (const v of ([] as unknown[]).concat(ld['image'] ?? [], ld['thumbnailUrl'] ?? [])) {
    if (typeof v === 'string') out.push(v);
    else if (v && typeof v === 'object') {
      const u = (v as Json)['url'] ?? (v as Json)['contentUrl'];
      if (typeof u === 'string') out.push(u);
    }
  }
  return out;
}
