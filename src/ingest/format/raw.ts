// What the format adapters (RSS/Atom/RDF, JSON Feed, HTML page) produce: the upstream item as
// it was said, before normalize turns it into an Article. Strings are as found (HTML where noted).
export interface RawMedia {
  url: string;
  medium?: string;
  type?: string;
  title?: string;
  description?: string;
  width?: number;
  height?: number;
  /** media:thumbnail, or a JSON Feed image: a candidate lead image, not a figure of the body. */
  thumbnail?: boolean;
}

export interface RawAuthor {
  name: string;
  url?: string;
}

export interface RawItem {
  guid?: string;
  link?: string;
  title?: string;
  authors: RawAuthor[];
  published?: string;
  updated?: string;
  /** HTML */
  summaryHtml?: string;
  /** HTML */
  contentHtml?: string;
  categories: string[];
  media: RawMedia[];
  language?: string;
  /** What relative URLs in the content resolve against, where the feed set it (xml:base). */
  base?: string;
  /** Page metadata when the item came from (or was completed by) an HTML page. */
  page?: {
    leadImage?: { url: string; alt?: string };
    /** og:locale: the language of last resort. */
    locale?: string;
  };
}

export interface RawFeed {
  format: 'rss' | 'atom' | 'rdf' | 'jsonfeed' | 'html';
  title?: string;
  link?: string;
  language?: string;
  items: RawItem[];
}
