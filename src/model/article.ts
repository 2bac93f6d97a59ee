// The one Article shape every layer shares: ingest produces it, the store keeps it,
// publish renders it and /articles serves it as-is.
import Type from 'typebox';

const Str = Type.String();
const DateTime = Type.String({ format: 'date-time', description: 'ISO 8601 UTC' });
// Ingest writes URLs as RFC 3986 allows them, but the schema does not hold the API hostage to
// that: an article stored by an older feedrelay with a "|" in an image path must still be served
// (a `format: "uri"` here made every page that held one answer 500).
const Url = Type.String({ minLength: 1, description: 'an absolute http(s) URL, RFC 3986' });

export const ImageSchema = Type.Object(
  {
    url: Url,
    caption: Type.Optional(Str),
    alt: Type.Optional(Str),
  },
  { additionalProperties: false },
);

export const AuthorSchema = Type.Object(
  { name: Str, url: Type.Optional(Url) },
  { additionalProperties: false },
);

export const TagSchema = Type.Object(
  { label: Str, slug: Type.String({ pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' }) },
  { additionalProperties: false },
);

export const ArticleSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9]{16,64}$' }),
    sourceId: Str,
    url: Url,
    guid: Str,
    title: Str,
    byline: Type.Union([Str, Type.Null()]),
    authors: Type.Array(AuthorSchema),
    publishedAt: DateTime,
    /** False when upstream stated no date: publishedAt is then the time feedrelay first saw it. */
    publishedAtStated: Type.Boolean({ description: 'publishedAt is a date the source stated, not the time first seen' }),
    updatedAt: DateTime,
    summary: Str,
    contentHtml: Str,
    contentText: Str,
    image: Type.Union([ImageSchema, Type.Null()]),
    figures: Type.Array(ImageSchema),
    tags: Type.Array(TagSchema),
    language: Type.Union([Str, Type.Null()]),
    wordCount: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

export type Image = Type.Static<typeof ImageSchema>;
export type Author = Type.Static<typeof AuthorSchema>;
export type Tag = Type.Static<typeof TagSchema>;
export type Article = Type.Static<typeof ArticleSchema>;
