import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { readOffer, readAs } from './src/ingest/discover.ts';
const counts: Record<string, number> = {}; const bad: string[] = [];
for (const root of ['/work/shared/corpora/readability-pages', '/work/shared/corpora/extraction-2']) {
  for (const d of readdirSync(root)) {
    const f = `${root}/${d}/source.html`; if (!existsSync(f)) continue;
    let url = 'https://example.org/2020/01/post-slug/';
    try { url = JSON.parse(readFileSync(`${root}/${d}/expected.json`, 'utf8')).url ?? url; } catch {}
    const o = readOffer(readFileSync(f, 'utf8'), url);
    const k = o.kind + (o.feeds.length ? '+feeds' : '') + ':' + readAs(o, url);
    counts[k] = (counts[k] ?? 0) + 1;
    if (readAs(o, url) === 'site') bad.push(`${d} ${url} ${o.kind} ${o.feeds.map(f=>f.title).join('|')}`);
  }
}
console.log(counts); console.log(bad.join('\n'));
