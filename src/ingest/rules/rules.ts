// The platform rules (platform-rules.json beside this file): validated against a schema and
// compiled once. A bad rule stops startup with the file, the key and the reason, as a bad config
// does. Keys starting with "$" are comments.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Type, { type Static } from 'typebox';
import { explain } from '../../lib/explain.ts';
import { parseFragment } from '../dom.ts';

export class RulesError extends Error {
  override name = 'RulesError';
}

export const RULES_PATH = fileURLToPath(new URL('./platform-rules.json', import.meta.url));

const Pattern = Type.String({ minLength: 1, expected: 'a regular expression' });
const Selector = Type.String({ minLength: 1, expected: 'a CSS selector' });
const Patterns = Type.Array(Pattern, { expected: 'a list of regular expressions' });
const Selectors = Type.Array(Selector, { expected: 'a list of CSS selectors' });
const Words = Type.Array(Type.String({ minLength: 1 }), { expected: 'a list of non-empty strings' });

export const RulesSchema = Type.Object(
  {
    chrome: Type.Record(Type.String(), Selectors, { expected: 'platform name -> list of CSS selectors' }),
    bylines: Selectors,
    authorNameClasses: Words,
    boilerplateParagraphs: Patterns,
    boilerplateBoxes: Words,
    deks: Words,
    feedFooters: Patterns,
    captions: Type.Array(
      Type.Object(
        {
          container: Type.String({ pattern: '^[a-z]*\\.[\\w-]+$', expected: 'a container as tag.class or .class' }),
          caption: Selector,
        },
        { additionalProperties: false },
      ),
    ),
    images: Type.Object(
      {
        sources: Type.Array(
          Type.Union([
            Type.Object({ attribute: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
            Type.Object({ srcset: Words }, { additionalProperties: false }),
          ]),
          { expected: 'a list of { attribute } or { srcset: [attributes] }' },
        ),
        never: Patterns,
        notLead: Patterns,
        neverClasses: Words,
        emoji: Patterns,
        variants: Type.Array(Type.Object({ pattern: Pattern, replace: Type.String() }, { additionalProperties: false })),
      },
      { additionalProperties: false },
    ),
    links: Type.Object(
      {
        trackingParameters: Patterns,
        trackingValues: Type.Array(Type.Object({ parameter: Type.String({ minLength: 1 }), value: Pattern }, { additionalProperties: false })),
      },
      { additionalProperties: false },
    ),
    tags: Type.Object({ defaultCategories: Words, hiddenPrefixes: Words, listNames: Patterns, labels: Patterns, elsewhere: Patterns }, { additionalProperties: false }),
    readMore: Patterns,
    summaryTrailers: Patterns,
    discovery: Type.Object(
      {
        types: Type.Record(Type.String(), Type.Union([Type.Literal('rss'), Type.Literal('atom'), Type.Literal('jsonfeed'), Type.Literal('unknown')]), {
          expected: 'a link type -> rss, atom, jsonfeed or unknown',
        }),
        secondaryTitles: Patterns,
        secondaryPaths: Patterns,
        conventionalPaths: Type.Array(Type.String({ pattern: '^/', expected: 'a path starting with /' })),
        articleTypes: Words,
        listingBodyClasses: Words,
        articleBodyClasses: Words,
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

type RulesFile = Static<typeof RulesSchema>;

export type ImageSource = { attribute: string } | { srcset: string[] };

/** The rules as the steps use them: patterns compiled, lists as the sets they are looked up in. */
export interface PlatformRules {
  /** Every platform's chrome selectors, in one list (one matcher). */
  chrome: string[];
  bylines: string[];
  /** The bare-class byline rules: found during a walk without a DOM query. */
  bylineClasses: Set<string>;
  authorNameClasses: Set<string>;
  boilerplateParagraphs: RegExp[];
  /** Words of class names and ids (lower-cased) that name a box as not the story. */
  boilerplateBoxes: Set<string>;
  /** Words of class names and ids (lower-cased) that name the dek printed under a headline. */
  deks: Set<string>;
  /** Anchored at the end of a summary. */
  feedFooter: RegExp;
  captions: Array<{ container: string; caption: string; tag: string | undefined; cls: string }>;
  images: {
    sources: ImageSource[];
    never: RegExp[];
    /** Declared images that are site defaults, logos or icons, never the lead image. */
    notLead: RegExp[];
    neverClasses: string[];
    emoji: RegExp;
    variants: Array<{ pattern: RegExp; replace: string }>;
  };
  links: { trackingParameter: RegExp; trackingValues: Array<{ parameter: string; value: RegExp }> };
  tags: {
    defaultCategories: Set<string>;
    hiddenPrefixes: string[];
    /** A class, id or data-testid token naming a box of the page's tags. */
    listName: RegExp;
    /** The whole text of a label before tag links. */
    label: RegExp;
    /** A token of a container whose tag lists are the site's (sidebar, widget, tag cloud). */
    elsewhere: RegExp;
  };
  /** Anchored at the end of an excerpt's text. */
  readMore: RegExp;
  /** Anchored at the end of a summary's text, with the space before it. */
  summaryTrailer: RegExp;
  /** Feed autodiscovery: declared link types, what marks a feed as not the site's own, where
   * feeds conventionally live, and what says a page is one article or a list of posts. */
  discovery: {
    types: Record<string, 'rss' | 'atom' | 'jsonfeed' | 'unknown'>;
    secondaryTitle: RegExp;
    secondaryPath: RegExp;
    conventionalPaths: string[];
    articleTypes: Set<string>;
    listingBodyClasses: Set<string>;
    articleBodyClasses: Set<string>;
  };
}

function withoutComments(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutComments);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith('$')).map(([k, x]) => [k, withoutComments(x)]));
  return v;
}

/** Reads, validates and compiles a rules file; a problem is a RulesError naming file and key. */
export function loadRules(path = RULES_PATH): PlatformRules {
  const fail = (key: string, reason: string): never => {
    throw new RulesError(`rules: ${path}: ${key}: ${reason}`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    return fail('(file)', (err as NodeJS.ErrnoException).code ?? (err as Error).message);
  }
  const data = withoutComments(raw);
  const problem = explain(RulesSchema, data, () => undefined);
  // explain's line starts with the key: "images.never.3 = 7: expected a regular expression".
  if (problem) throw new RulesError(`rules: ${path}: ${problem}`);
  const file = data as RulesFile;

  const regex = (key: string, source: string, flags = '') => {
    let re: RegExp;
    try {
      re = new RegExp(source, flags);
    } catch (err) {
      return fail(key, `${JSON.stringify(source)} is not a regular expression: ${(err as Error).message}`);
    }
    return re;
  };
  const list = (key: string, sources: string[], flags = '') => sources.map((s, i) => regex(`${key}.${i}`, s, flags));
  const oneOf = (key: string, sources: string[]) => {
    list(key, sources); // each checked on its own, so an error names its index
    return sources.map((s) => `(?:${s})`).join('|');
  };
  const probe = parseFragment('').body;
  const selectors = (key: string, sels: string[]) => {
    sels.forEach((sel, i) => {
      try {
        probe.querySelector(sel);
      } catch (err) {
        fail(`${key}.${i}`, `${JSON.stringify(sel)} is not a selector this DOM accepts: ${(err as Error).message}`);
      }
    });
    return sels;
  };

  const chrome = Object.entries(file.chrome).flatMap(([platform, sels]) => selectors(`chrome.${platform}`, sels));
  const bylines = selectors('bylines', file.bylines);
  return {
    chrome,
    bylines,
    bylineClasses: new Set(bylines.filter((s) => /^\.[\w-]+$/.test(s)).map((s) => s.slice(1))),
    authorNameClasses: new Set(file.authorNameClasses),
    boilerplateParagraphs: list('boilerplateParagraphs', file.boilerplateParagraphs, 'i'),
    boilerplateBoxes: new Set(file.boilerplateBoxes.map((w) => w.toLowerCase())),
    deks: new Set(file.deks.map((w) => w.toLowerCase())),
    feedFooter: new RegExp(`\\s*(?:${oneOf('feedFooters', file.feedFooters)})\\s*$`, 's'),
    captions: file.captions.map((r, i) => {
      selectors(`captions.${i}.caption`, [r.caption]);
      // The schema's pattern has checked the container already.
      const m = /^([a-z]*)\.([\w-]+)$/i.exec(r.container);
      if (!m) return fail(`captions.${i}.container`, 'expected a container as tag.class or .class');
      return { container: r.container, caption: r.caption, tag: m[1] ? m[1].toUpperCase() : undefined, cls: m[2]! };
    }),
    images: {
      sources: file.images.sources,
      never: list('images.never', file.images.never, 'i'),
      notLead: list('images.notLead', file.images.notLead, 'i'),
      neverClasses: file.images.neverClasses,
      emoji: new RegExp(oneOf('images.emoji', file.images.emoji), 'i'),
      variants: file.images.variants.map((v, i) => ({ pattern: regex(`images.variants.${i}.pattern`, v.pattern), replace: v.replace })),
    },
    links: {
      trackingParameter: new RegExp(`^(?:${oneOf('links.trackingParameters', file.links.trackingParameters)})$`, 'i'),
      trackingValues: file.links.trackingValues.map((t, i) => ({ parameter: t.parameter, value: regex(`links.trackingValues.${i}.value`, t.value) })),
    },
    tags: {
      defaultCategories: new Set(file.tags.defaultCategories),
      hiddenPrefixes: file.tags.hiddenPrefixes,
      listName: new RegExp(`(?:^|[-_])(?:${oneOf('tags.listNames', file.tags.listNames)})$`, 'i'),
      label: new RegExp(`^(?:${oneOf('tags.labels', file.tags.labels)})\\s*:?$`, 'iu'),
      elsewhere: new RegExp(oneOf('tags.elsewhere', file.tags.elsewhere), 'i'),
    },
    readMore: new RegExp(`(?:${oneOf('readMore', file.readMore)})\\s*[»→>]?\\s*$`, 'iu'),
    summaryTrailer: new RegExp(`\\s*(?:${oneOf('summaryTrailers', file.summaryTrailers)})\\s*$`, 'i'),
    discovery: {
      types: file.discovery.types,
      secondaryTitle: new RegExp(oneOf('discovery.secondaryTitles', file.discovery.secondaryTitles), 'iu'),
      secondaryPath: new RegExp(oneOf('discovery.secondaryPaths', file.discovery.secondaryPaths), 'i'),
      conventionalPaths: file.discovery.conventionalPaths,
      articleTypes: new Set(file.discovery.articleTypes),
      listingBodyClasses: new Set(file.discovery.listingBodyClasses),
      articleBodyClasses: new Set(file.discovery.articleBodyClasses),
    },
  };
}

let loaded: PlatformRules | undefined;

/** The rules every step reads: loaded on first use, and by the composition root at startup so a
 * bad rule stops it before anything is fetched. */
export function platformRules(): PlatformRules {
  return (loaded ??= loadRules());
}
