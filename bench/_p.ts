import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { extractPage } from '../src/ingest/extract-page.ts';
import { normalize } from '../src/ingest/normalize.ts';
import { corpus } from '../eval/extract.ts';
const pages = readdirSync(corpus).filter((d) => existsSync(join(corpus, d, 'source.html'))).map((d) => readFileSync(join(corpus, d, 'source.html'), 'utf8'));
const now = new Date();
for (let r = 0; r < 3; r++) for (const html of pages) { const f = extractPage(html, 'http://fakehost/'); normalize(f.items[0]!, { sourceId: 'b', baseUrl: 'http://fakehost/', now }); }
