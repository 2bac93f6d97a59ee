// OPML subscription lists (what every reader exports) -> feed definitions: each folder a feed,
// each subscription a source. Reads OPML 1.0 and 2.0 as readers write them, nested folders
// included; writes nothing that the startup checks would refuse.
import { existsSync, mkdtempSync, readdirSync, copyFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { xml2js, type Element } from 'xml-js';
import YAML from 'yaml';
import { loadFeeds, FeedDefinitionError } from './feeds.ts';
import { slugify } from '../lib/slugify.ts';

export class OpmlError extends Error {
  override name = 'OpmlError';
}

export interface Subscription {
  title: string;
  /** The feed's address, or the site's where an outline names only that (autodiscovery finds the feed). */
  url: string;
}

export interface Folder {
  /** Folder titles from the outermost in; empty for subscriptions outside any folder. */
  path: string[];
  subscriptions: Subscription[];
}

export interface Subscriptions {
  title?: string;
  folders: Folder[];
}

// Exporters spell the attribute xmlUrl, xmlurl or XMLURL; OPML 1.0 lists carry url on type="link".
const attr = (el: Element, name: string): string | undefined => {
  const hit = Object.entries(el.attributes ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase());
  const v = hit?.[1];
  return v === undefined ? undefined : String(v).trim();
};
const children = (el: Element, name?: string): Element[] => (el.elements ?? []).filter((e) => e.type === 'element' && (!name || e.name?.toLowerCase() === name));
const text = (el: Element | undefined): string => (el?.elements ?? []).map((e) => e.text ?? e.cdata ?? '').join('').trim();

/** Bare "&" (an unescaped query string, common in hand-edited lists) becomes "&amp;"; entities stay. */
function escapeBareAmpersands(xml: string): string {
  return xml.replace(/&(?!(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);)/gi, '&amp;');
}

export function parseSubscriptions(xml: string): Subscriptions {
  let root: Element | undefined;
  try {
    root = children(xml2js(escapeBareAmpersands(xml), { compact: false }) as Element, 'opml')[0];
  } catch (err) {
    throw new OpmlError(`not well-formed XML: ${(err instanceof Error ? err.message : String(err)).split('\n')[0] ?? ''}`);
  }
  if (!root) throw new OpmlError('not an OPML document (no <opml> element)');
  const body = children(root, 'body')[0];
  if (!body) throw new OpmlError('an OPML document with no <body>');
  const title = text(children(children(root, 'head')[0] ?? {}, 'title')[0]) || undefined;
  const folders = new Map<string, Folder>();
  const walk = (el: Element, path: string[]) => {
    for (const o of children(el, 'outline')) {
      const name = attr(o, 'title') || attr(o, 'text') || '';
      const url = attr(o, 'xmlUrl') || (attr(o, 'type')?.toLowerCase() === 'link' ? attr(o, 'url') : undefined) || (children(o, 'outline').length === 0 ? attr(o, 'htmlUrl') : undefined);
      if (url) {
        const key = JSON.stringify(path);
        const f = folders.get(key) ?? { path, subscriptions: [] };
        folders.set(key, f);
        if (!f.subscriptions.some((s) => s.url === url)) f.subscriptions.push({ title: name, url });
      }
      // An outline with children is a folder (a subscription that has children is both).
      if (children(o, 'outline').length > 0) walk(o, [...path, name || 'untitled']);
    }
  };
  walk(body, []);
  return { ...(title && { title }), folders: [...folders.values()] };
}

export interface PlannedFeed {
  id: string;
  title: string;
  sources: { id: string; url: string; title: string }[];
}

export interface ImportPlan {
  feeds: PlannedFeed[];
  /** Subscriptions left out, with the reason. */
  skipped: { url: string; reason: string }[];
}

/**
 * Feed and source ids from titles (else the address's host), kept unique against each other and
 * against the ids in `existing`; a subscription to an address already defined keeps its id. A subscription listed in two folders is one source.
 * With `feed`, every subscription goes into that one feed.
 */
export function planImport(subs: Subscriptions, existing: { feedIds: Set<string>; sources: Map<string, string> }, opts: { feed?: string; fallbackTitle: string }): ImportPlan {
  const skipped: ImportPlan['skipped'] = [];
  const sourceIds = new Map(existing.sources); // id -> url
  const idForUrl = new Map([...existing.sources].map(([id, url]) => [url, id]));
  const feedIds = new Set<string>();
  const groups = new Map<string, { title: string; subs: Subscription[] }>();
  for (const folder of subs.folders) {
    const title = opts.feed ?? (folder.path.length > 0 ? folder.path.join(' / ') : (subs.title ?? opts.fallbackTitle));
    const g = groups.get(title) ?? { title, subs: [] };
    groups.set(title, g);
    g.subs.push(...folder.subscriptions);
  }
  const feeds: PlannedFeed[] = [];
  for (const g of groups.values()) {
    const id = opts.feed ?? unique(slugify(g.title) || 'imported', (c) => feedIds.has(c) || existing.feedIds.has(c));
    feedIds.add(id);
    const sources: PlannedFeed['sources'] = [];
    for (const s of g.subs) {
      let url: URL;
      try {
        url = new URL(s.url);
      } catch {
        skipped.push({ url: s.url, reason: 'not a valid URL' });
        continue;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        skipped.push({ url: s.url, reason: `only http and https addresses are fetched, not ${url.protocol}` });
        continue;
      }
      const href = url.href;
      let sid = idForUrl.get(href);
      if (!sid) {
        sid = unique(slugify(s.title) || slugify(url.hostname.replace(/^www\./, '')) || 'source', (c) => sourceIds.has(c));
        sourceIds.set(sid, href);
        idForUrl.set(href, sid);
      }
      if (!sources.some((x) => x.id === sid)) sources.push({ id: sid, url: href, title: s.title });
    }
    if (sources.length > 0) feeds.push({ id, title: g.title, sources });
  }
  return { feeds, skipped };
}

function unique(base: string, taken: (c: string) => boolean): string {
  const stem = base.slice(0, 60).replace(/-+$/, '');
  if (!taken(stem)) return stem;
  for (let n = 2; ; n++) if (!taken(`${stem}-${n}`)) return `${stem}-${n}`;
}

export function feedYaml(f: PlannedFeed): string {
  const doc = { title: f.title, sources: f.sources.map((s) => ({ id: s.id, url: s.url })) };
  const comments = f.sources.filter((s) => s.title && s.title !== s.id).map((s) => `#   ${s.id}: ${s.title.replace(/\s+/g, ' ')}`);
  return `# Imported from OPML.${comments.length ? `\n# Sources:\n${comments.join('\n')}` : ''}\n${YAML.stringify(doc)}`;
}

export interface ImportResult {
  written: { file: string; feed: PlannedFeed }[];
  skipped: ImportPlan['skipped'];
}

/**
 * Writes the plan into the feeds directory after checking the whole directory as it would then
 * be with the same loader startup uses; nothing is written when that check fails. An existing
 * definition is replaced only with `overwrite`.
 */
export function importOpml(xml: string, feedsDir: string, opts: { feed?: string; overwrite?: boolean; fileRoot: string; defaultLimit: number; fallbackTitle: string }): ImportResult {
  const subs = parseSubscriptions(xml);
  const dir = resolve(feedsDir);
  const current = existsSync(dir) ? loadFeeds(dir, { fileRoot: opts.fileRoot, defaultLimit: opts.defaultLimit }) : { feeds: [], sources: [] };
  const plan = planImport(
    subs,
    // Feed ids are not dodged: a folder named like an existing feed is that feed, replaced only
    // when asked. Source ids are: one id must mean one address across every definition.
    { feedIds: new Set(), sources: new Map(current.sources.map((s) => [s.id, s.url])) },
    opts,
  );
  if (plan.feeds.length === 0) throw new OpmlError('the list holds no subscription with an http(s) address');
  const clash = plan.feeds.filter((f) => existsSync(join(dir, `${f.id}.yaml`)) || existsSync(join(dir, `${f.id}.yml`)));
  if (clash.length > 0 && !opts.overwrite) {
    throw new OpmlError(`${clash.map((f) => join(dir, `${f.id}.yaml`)).join(', ')} already exist${clash.length === 1 ? 's' : ''}; pass --force to replace ${clash.length === 1 ? 'it' : 'them'}`);
  }
  // Check the directory as it will be, in a copy, before touching the real one.
  const trial = mkdtempSync(join(tmpdir(), 'feedrelay-import-'));
  try {
    if (existsSync(dir)) for (const n of readdirSync(dir)) if (/\.ya?ml$/.test(n)) copyFileSync(join(dir, n), join(trial, n));
    for (const f of plan.feeds) {
      rmSync(join(trial, `${f.id}.yml`), { force: true });
      writeFileSync(join(trial, `${f.id}.yaml`), feedYaml(f));
    }
    try {
      loadFeeds(trial, { fileRoot: opts.fileRoot, defaultLimit: opts.defaultLimit });
    } catch (err) {
      if (err instanceof FeedDefinitionError) throw new OpmlError(`the definitions would not load: ${err.message.replaceAll(trial, dir)}`);
      throw err;
    }
  } finally {
    rmSync(trial, { recursive: true, force: true });
  }
  const written: ImportResult['written'] = [];
  for (const f of plan.feeds) {
    const file = join(dir, `${f.id}.yaml`);
    // Written beside and renamed, so a reader of the directory never sees half a file.
    writeFileSync(`${file}.tmp`, feedYaml(f));
    renameSync(`${file}.tmp`, file);
    rmSync(join(dir, `${f.id}.yml`), { force: true });
    written.push({ file, feed: f });
  }
  return { written, skipped: plan.skipped };
}
