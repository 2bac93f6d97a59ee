// Sources (where posts come from) and feed definitions (what feedrelay republishes).
import Type from 'typebox';

export const SourceSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', expected: 'an id of letters, digits, ".", "_" or "-"' }),
    url: Type.String({ pattern: '^(https?://|file:)', expected: 'an http(s) URL or a file: path' }),
    schedule: Type.Optional(Type.String({ expected: 'a cron expression' })),
    timezone: Type.Optional(Type.String({ expected: 'an IANA time zone such as Asia/Almaty' })),
    fullText: Type.Optional(
      Type.Union([Type.Literal('auto'), Type.Literal('always'), Type.Literal('never')], {
        expected: 'auto (fetch the page when the feed has only an excerpt), always or never',
      }),
    ),
    format: Type.Optional(
      Type.Union([Type.Literal('atom'), Type.Literal('rss'), Type.Literal('json')], {
        expected: 'atom, rss or json: the format to follow when the url is a site that offers several',
      }),
    ),
  },
  { additionalProperties: false },
);

const FilterSchema = Type.Object(
  {
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { expected: 'a list of tag labels' })),
    match: Type.Optional(Type.String({ minLength: 1, maxLength: 500, expected: 'a regular expression (at most 500 characters) matched against title and text' })),
  },
  { additionalProperties: false },
);

export const FeedFileSchema = Type.Object(
  {
    title: Type.String({ minLength: 1, expected: 'a non-empty title' }),
    description: Type.Optional(Type.String()),
    sources: Type.Array(SourceSchema, { minItems: 1, expected: 'a list of at least one {id, url} source' }),
    tags: Type.Optional(
      Type.Record(Type.String(), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }), {
        expected: 'a map from tag label to a list of words or phrases',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, expected: 'an integer from 1 to 1000' })),
    language: Type.Optional(Type.String({ expected: 'a BCP 47 language tag' })),
    maxTags: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, expected: 'an integer from 0 to 100' })),
    include: Type.Optional(FilterSchema),
    exclude: Type.Optional(FilterSchema),
  },
  { additionalProperties: false },
);

export type SourceDef = Type.Static<typeof SourceSchema>;
export type FeedFile = Type.Static<typeof FeedFileSchema>;

/** A source after loading: its `file:` URL resolved to an absolute path URL. */
export interface Source {
  id: string;
  url: string;
  schedule?: string;
  timezone?: string;
  /** When to read the article from its page instead of the feed; default auto. */
  fullText?: 'auto' | 'always' | 'never';
  /** Where the url is a site offering several feeds, the format to follow. */
  format?: 'rss' | 'atom' | 'jsonfeed';
  /** Tag rules of every feed that lists this source: label -> words/phrases. */
  tagRules: Record<string, string[]>;
}

/** A feed's include/exclude rule: tag slugs, and a pattern checked safe at load. */
export interface FeedFilter {
  tags: string[];
  match?: RegExp;
}

export interface FeedDef {
  id: string;
  title: string;
  description: string;
  sourceIds: string[];
  tags: Record<string, string[]>;
  limit: number;
  /** Most tags shown per article in this feed (upstream's first, then the rules'). */
  maxTags: number;
  language?: string;
  /** An article is in the feed when it passes include (if any) and not exclude (if any). */
  include?: FeedFilter;
  exclude?: FeedFilter;
}
