// feeds/<id>.yaml -> feed definitions, and the de-duplicated list of sources they read.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import YAML from 'yaml';
import cron from 'node-cron';
import safeRegex from 'safe-regex2';
import { slugify } from '../lib/slugify.ts';
import { isInside } from '../lib/paths.ts';
import { FeedFileSchema, type FeedDef, type FeedFile, type FeedFilter, type Source } from '../model/feed.ts';
import { explain } from '../lib/explain.ts';

export class FeedDefinitionError extends Error {
  override name = 'FeedDefinitionError';
}

export interface FeedSet {
  feeds: FeedDef[];
  sources: Source[];
}

const ID = /^[a-z0-9][a-z0-9_-]*$/;

/** `file:` URLs are read relative to the definition file, and must stay inside `fileRoot`. */
function resolveSourceUrl(url: string, defFile: string, fileRoot: string, where: string): string {
  if (!url.startsWith('file:')) {
    try {
      new URL(url);
    } catch {
      throw new FeedDefinitionError(`${where} = ${JSON.stringify(url)}: expected a valid http(s) URL`);
    }
    return url;
  }
  const path = url.startsWith('file://') ? fileURLToPath(url) : resolve(dirname(defFile), url.slice('file:'.length));
  if (!isInside(resolve(fileRoot), path)) {
    throw new FeedDefinitionError(
      `${where} = ${JSON.stringify(url)}: expected a file: path inside fetch.fileRoot (${resolve(fileRoot)})`,
    );
  }
  return pathToFileURL(path).href;
}

export interface FeedProblem {
  file: string;
  message: string;
}

/** Every definition that loads, and a problem (file, key, reason) for each one that does not. */
export interface FeedReport extends FeedSet {
  problems: FeedProblem[];
}

/** Throws on the first problem: what startup wants. */
export function loadFeeds(dir: string, opts: { fileRoot: string; defaultLimit: number }): FeedSet {
  const report = readFeeds(dir, opts);
  if (report.problems.length > 0) throw new FeedDefinitionError(report.problems.map((p) => p.message).join('\n'));
  return { feeds: report.feeds, sources: report.sources };
}

/** Reads every file, so `check` can list every problem; a broken file adds nothing to the set. */
export function readFeeds(dir: string, opts: { fileRoot: string; defaultLimit: number }): FeedReport {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
    names = readdirSync(dir).filter((n) => ['.yaml', '.yml'].includes(extname(n))).sort();
  } catch (err) {
    const message = `feeds: cannot read the feeds directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`;
    return { feeds: [], sources: [], problems: [{ file: dir, message }] };
  }
  const feeds: FeedDef[] = [];
  const sources = new Map<string, Source>();
  const sourceOwner = new Map<string, string>();
  const problems: FeedProblem[] = [];
  for (const name of names) {
    const file = join(dir, name);
    try {
      const { feed, added, merges } = readOne(file, name, opts, feeds, sources, sourceOwner);
      for (const s of added.values()) {
        sources.set(s.id, s);
        sourceOwner.set(s.id, file);
      }
      for (const m of merges) m();
      feeds.push(feed);
    } catch (err) {
      if (!(err instanceof FeedDefinitionError)) throw err;
      problems.push({ file, message: err.message });
    }
  }
  return { feeds, sources: [...sources.values()], problems };
}

/** One file, checked whole before anything of it joins the set. */
function readOne(
  file: string,
  name: string,
  opts: { fileRoot: string; defaultLimit: number },
  feeds: FeedDef[],
  sources: Map<string, Source>,
  sourceOwner: Map<string, string>,
): { feed: FeedDef; added: Map<string, Source>; merges: Array<() => void> } {
  const added = new Map<string, Source>();
  const merges: Array<() => void> = [];
  const id = basename(name, extname(name));
  if (!ID.test(id)) {
    throw new FeedDefinitionError(`${file}: the file name is the feed id and must match ${ID} (lowercase letters, digits, "-", "_")`);
  }
  if (feeds.some((f) => f.id === id)) throw new FeedDefinitionError(`${file}: feed id "${id}" is defined twice`);
  let doc: unknown;
  try {
    doc = YAML.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new FeedDefinitionError(`${file}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const problem = explain(FeedFileSchema, doc, () => undefined);
  if (problem) throw new FeedDefinitionError(`${file}: ${problem}`);
  const def = doc as FeedFile;
  def.sources.forEach((s, i) => {
    const where = `${file}: sources.${i}.url`;
    const url = resolveSourceUrl(s.url, file, opts.fileRoot, where);
    if (s.schedule !== undefined && !cron.validate(s.schedule)) {
      throw new FeedDefinitionError(`${file}: sources.${i}.schedule = ${JSON.stringify(s.schedule)}: expected a cron expression`);
    }
    if (s.timezone !== undefined && !validTimeZone(s.timezone)) {
      throw new FeedDefinitionError(`${file}: sources.${i}.timezone = ${JSON.stringify(s.timezone)}: expected an IANA time zone`);
    }
    const seen = added.get(s.id) ?? sources.get(s.id);
    if (seen) {
      // One source listed by several feeds is fetched once, so its definitions must agree.
      if (seen.url !== url || seen.schedule !== s.schedule || seen.timezone !== s.timezone || (seen.fullText ?? 'auto') !== (s.fullText ?? 'auto') || seen.format !== formatOf(s.format)) {
        throw new FeedDefinitionError(
          `${file}: source "${s.id}" is also defined in ${sourceOwner.get(s.id) ?? file} with different settings; a source id must mean one source`,
        );
      }
      merges.push(() => {
        for (const [label, words] of Object.entries(def.tags ?? {})) {
          seen.tagRules[label] = [...new Set([...(seen.tagRules[label] ?? []), ...words])];
        }
      });
    } else {
      added.set(s.id, {
        id: s.id,
        url,
        ...(s.schedule !== undefined && { schedule: s.schedule }),
        ...(s.timezone !== undefined && { timezone: s.timezone }),
        ...(s.fullText !== undefined && { fullText: s.fullText }),
        ...(s.format !== undefined && { format: formatOf(s.format) }),
        tagRules: structuredClone(def.tags ?? {}),
      });
    }
  });
  const feed: FeedDef = {
    id,
    title: def.title,
    description: def.description ?? def.title,
    sourceIds: [...new Set(def.sources.map((s) => s.id))],
    tags: def.tags ?? {},
    limit: def.limit ?? opts.defaultLimit,
    maxTags: def.maxTags ?? 10,
    ...(def.include && { include: compileFilter(def.include, `${file}: include`) }),
    ...(def.exclude && { exclude: compileFilter(def.exclude, `${file}: exclude`) }),
    ...(def.language !== undefined && { language: def.language }),
  };
  return { feed, added, merges };
}

const formatOf = (f: 'atom' | 'rss' | 'json' | undefined) => (f === 'json' ? 'jsonfeed' : f);

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Tags by slug, so "CSTO" in a definition matches the tag the article carries as "csto". A
 * pattern that could take exponential time on hostile text (nested repetition, such as (a+)+)
 * is refused at load, with the reason. */
function compileFilter(f: { tags?: string[]; match?: string }, where: string): FeedFilter {
  const out: FeedFilter = { tags: (f.tags ?? []).map(slugify).filter(Boolean) };
  if (f.match !== undefined) {
    let re: RegExp;
    try {
      // Case-insensitive; ^ and $ at each line, the title being the first line.
      re = new RegExp(f.match, 'imu');
    } catch (err) {
      throw new FeedDefinitionError(`${where}.match = ${JSON.stringify(f.match)}: not a valid regular expression (${(err as Error).message})`);
    }
    if (!safeRegex(re)) {
      throw new FeedDefinitionError(`${where}.match = ${JSON.stringify(f.match)}: this pattern can take exponential time on some texts (nested repetition such as (a+)+); rewrite it without repeating a repetition`);
    }
    out.match = re;
  }
  return out;
}
