// GET /: an HTML page a person can use. Every feed with its three formats (and autodiscovery
// links for browsers and readers), then the newest articles as cards. Server-rendered, no script.
import type { Article } from '../model/article.ts';
import type { FeedDef } from '../model/feed.ts';
import { escapeAttr, xmlSafe } from './escape.ts';

export interface IndexPage {
  baseUrl: string;
  feeds: FeedDef[];
  articles: Article[];
  /** Language of the page's own words (the articles carry their own lang). */
  language?: string;
}

/** Text and attribute values alike. */
const esc = (s: string) => escapeAttr(xmlSafe(s));

const FORMATS = [
  { ext: 'atom', name: 'Atom', type: 'application/atom+xml' },
  { ext: 'rss', name: 'RSS', type: 'application/rss+xml' },
  { ext: 'json', name: 'JSON Feed', type: 'application/feed+json' },
] as const;

const STYLE = `
:root { color-scheme: light dark; --muted: #666; --line: #ddd; }
@media (prefers-color-scheme: dark) { :root { --muted: #aaa; --line: #444; } }
body { font: 16px/1.5 system-ui, sans-serif; max-width: 72rem; margin: 0 auto; padding: 1.5rem; }
h1 { margin: 0 0 .25rem; } header p { margin: 0; color: var(--muted); }
.feeds { list-style: none; padding: 0; display: grid; gap: .5rem; grid-template-columns: repeat(auto-fill, minmax(18rem, 1fr)); }
.feeds li { border: 1px solid var(--line); border-radius: .5rem; padding: .75rem; }
.feeds .formats a { margin-right: .75rem; }
.cards { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr)); padding: 0; list-style: none; }
.card { border: 1px solid var(--line); border-radius: .5rem; overflow: hidden; display: flex; flex-direction: column; }
.card figure { margin: 0; } .card img { width: 100%; height: auto; aspect-ratio: 16 / 9; object-fit: cover; display: block; }
.card figcaption { font-size: .8rem; color: var(--muted); padding: .25rem .75rem 0; }
.card .body { padding: .75rem; } .card h3 { margin: 0 0 .25rem; font-size: 1.1rem; }
.meta { font-size: .85rem; color: var(--muted); margin: 0 0 .5rem; }
.tags { list-style: none; padding: 0; margin: .5rem 0 0; display: flex; flex-wrap: wrap; gap: .25rem; }
.tags a { font-size: .8rem; border: 1px solid var(--line); border-radius: 1rem; padding: 0 .5rem; text-decoration: none; }
`;

function dateLabel(iso: string, lang: string | null): string {
  try {
    return new Intl.DateTimeFormat(lang ?? 'en', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(iso));
  } catch {
    return iso.slice(0, 10);
  }
}

function card(a: Article, baseUrl: string): string {
  const lang = a.language ? ` lang="${esc(a.language)}"` : '';
  const img = a.image
    ? `<figure><img src="${esc(a.image.url)}" alt="${esc(a.image.alt ?? a.image.caption ?? a.title)}" loading="lazy">${a.image.caption ? `<figcaption>${esc(a.image.caption)}</figcaption>` : ''}</figure>`
    : '';
  const tags = a.tags.length
    ? `<ul class="tags">${a.tags.map((t) => `<li><a href="${esc(`${baseUrl}/tags/${t.slug}.atom`)}" title="Feed of articles tagged ${esc(t.label)}">${esc(t.label)}</a></li>`).join('')}</ul>`
    : '';
  // No date when upstream stated none: the time first seen is not when it was published.
  const meta = [...(a.byline ? [esc(a.byline)] : []), ...(a.publishedAtStated ? [`<time datetime="${esc(a.publishedAt)}">${esc(dateLabel(a.publishedAt, a.language))}</time>`] : [])];
  return `<li class="card"${lang}>${img}<div class="body"><h3><a href="${esc(a.url)}">${esc(a.title)}</a></h3>
${meta.length ? `<p class="meta">${meta.join(' · ')}</p>\n` : ''}<p>${esc(a.summary)}</p>${tags}</div></li>`;
}

export function renderIndex(page: IndexPage): string {
  const { baseUrl, feeds, articles } = page;
  const alternates = feeds
    .flatMap((f) => FORMATS.map((fmt) => `<link rel="alternate" type="${fmt.type}" title="${esc(`${f.title} (${fmt.name})`)}" href="${esc(`${baseUrl}/feeds/${f.id}.${fmt.ext}`)}">`))
    .join('\n');
  const feedList = feeds
    .map(
      (f) => `<li${f.language ? ` lang="${esc(f.language)}"` : ''}><strong>${esc(f.title)}</strong>${f.description && f.description !== f.title ? `<br><span class="meta">${esc(f.description)}</span>` : ''}
<div class="formats">${FORMATS.map((fmt) => `<a href="${esc(`${baseUrl}/feeds/${f.id}.${fmt.ext}`)}" type="${fmt.type}">${fmt.name}</a>`).join('')}</div></li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="${esc(page.language ?? 'en')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>feedrelay</title>
${alternates}
<link rel="alternate" type="text/x-opml" title="All feeds (OPML)" href="${esc(`${baseUrl}/feeds.opml`)}">
<style>${STYLE}</style>
</head>
<body>
<header><h1>feedrelay</h1><p>${feeds.length} feed${feeds.length === 1 ? '' : 's'} · <a href="${esc(`${baseUrl}/feeds.opml`)}">OPML</a></p></header>
<main>
<section aria-labelledby="feeds"><h2 id="feeds">Feeds</h2>
<ul class="feeds">
${feedList}
</ul></section>
<section aria-labelledby="recent"><h2 id="recent">Recent articles</h2>
${articles.length ? `<ul class="cards">\n${articles.map((a) => card(a, baseUrl)).join('\n')}\n</ul>` : '<p>No articles yet: the first fetch has not finished.</p>'}
</section>
</main>
</body>
</html>
`;
}
