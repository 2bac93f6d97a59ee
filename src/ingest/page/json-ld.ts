// schema.org JSON-LD: the page's Article node, and its authors, people apart from organisations.
import type { RawAuthor } from '../format/raw.ts';

export type Json = Record<string, unknown>;

const ARTICLE_TYPES = /^(?:Article|NewsArticle|BlogPosting|ReportageNewsArticle|AnalysisNewsArticle|OpinionNewsArticle|TechArticle|ScholarlyArticle|Report|LiveBlogPosting|WebPage)$/;

export function jsonLdArticle(scripts: string[]): Json | undefined {
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
  const typeOf = (o: Json) => ([] as unknown[]).concat(o['@type'] ?? []).map(String);
  return (
    nodes.find((o) => typeOf(o).some((t) => t !== 'WebPage' && ARTICLE_TYPES.test(t))) ??
    nodes.find((o) => typeOf(o).includes('WebPage'))
  );
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
