// Golden files: every output format rendered from one fixed set of articles with frozen dates.
// Any change to what feedrelay writes shows up as a diff of test/fixtures/golden/ in review.
// FEEDRELAY_UPDATE_FIXTURES=1 rewrites them; read the diff before committing it.
import t from 'tap';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { feedView, renderFeed, FORMATS } from '../../src/publish/render.ts';
import { writeOpml } from '../../src/publish/opml.ts';
import { renderIndex } from '../../src/publish/html-index.ts';
import type { Article } from '../../src/model/article.ts';
import type { FeedDef } from '../../src/model/feed.ts';

const dir = new URL('../fixtures/golden/', import.meta.url).pathname;
const update = process.env['FEEDRELAY_UPDATE_FIXTURES'] === '1';

const base: Omit<Article, 'id' | 'url' | 'guid' | 'title'> = {
  sourceId: 'steppewatch',
  byline: null,
  authors: [],
  publishedAt: '2022-01-06T09:14:27.000Z',
  publishedAtStated: true,
  updatedAt: '2022-01-06T09:14:27.000Z',
  summary: '',
  contentHtml: '',
  contentText: '',
  image: null,
  figures: [],
  tags: [],
  language: 'en',
  wordCount: 0,
};

const articles: Article[] = [
  {
    ...base,
    id: 'a1b2c3d4e5f6a7b8c9d0e1f2',
    url: 'https://steppewatch.wordpress.com/2022/01/06/kazakhstan-government-calls-for-russian-help-over-protest/',
    guid: 'https://steppewatch.wordpress.com/?p=4821',
    title: 'Kazakhstan government calls for Russian help over protest',
    byline: 'Aigerim Seitkali and Pyotr Smirnov',
    authors: [{ name: 'Aigerim Seitkali', url: 'https://steppewatch.wordpress.com/author/aigerim/' }, { name: 'Pyotr Smirnov' }],
    updatedAt: '2022-01-07T10:00:00.000Z',
    summary: 'Russian-led military troops will be deployed to help "stabilize" Kazakhstan…',
    contentHtml:
      '<p>Russian-led military troops will be deployed.</p><figure><img src="https://steppewatch.files.wordpress.com/2022/01/almaty-barricade.jpg" alt="Riot police at a barricade" /><figcaption>Police seen at a barricade in Almaty on Wednesday</figcaption></figure>',
    contentText: 'Russian-led military troops will be deployed.\n\nPolice seen at a barricade in Almaty on Wednesday',
    image: { url: 'https://steppewatch.files.wordpress.com/2022/01/almaty-barricade.jpg', caption: 'Police seen at a barricade in Almaty on Wednesday', alt: 'Riot police at a barricade' },
    figures: [
      { url: 'https://steppewatch.files.wordpress.com/2022/01/almaty-barricade.jpg', caption: 'Police seen at a barricade in Almaty on Wednesday', alt: 'Riot police at a barricade' },
      { url: 'https://steppewatch.files.wordpress.com/2022/01/almaty-stun-grenades.jpg', caption: 'Police fired stun grenades at protesters on Wednesday' },
    ],
    tags: [
      { label: 'Kazakhstan', slug: 'kazakhstan' },
      { label: 'protests', slug: 'protests' },
      { label: 'CSTO', slug: 'csto' },
    ],
    wordCount: 9,
  },
  {
    ...base,
    id: 'b1b2c3d4e5f6a7b8c9d0e1f2',
    url: 'https://fixture.example/2022/01/05/protesty/',
    guid: 'https://fixture.example/2022/01/05/protesty/',
    title: 'Протесты в Алматы: что произошло 5 января',
    byline: 'Айгерим Сейткали',
    authors: [{ name: 'Айгерим Сейткали' }],
    publishedAt: '2022-01-05T18:00:00.000Z',
    updatedAt: '2022-01-05T18:00:00.000Z',
    summary: 'Массовые протесты переросли в столкновения.',
    contentHtml: '<p>Массовые протесты переросли в столкновения.</p>',
    contentText: 'Массовые протесты переросли в столкновения.',
    tags: [{ label: 'протесты', slug: 'protesty' }],
    language: 'ru',
    wordCount: 5,
  },
  {
    ...base,
    id: 'c1b2c3d4e5f6a7b8c9d0e1f2',
    url: 'https://fixture.example/r-and-d?x=1&y=2',
    guid: 'tag:fixture.example,2022:r-and-d',
    title: 'R&D <notes> ]]> “quotes” 🚋 \u0001 עברית',
    // Upstream gave no date: publishedAt is when it was first seen, which no feed states as published.
    publishedAt: '2022-01-04T08:00:00.000Z',
    publishedAtStated: false,
    updatedAt: '2022-01-04T08:00:00.000Z',
    summary: 'A & B < C',
    contentHtml: '<p>A &amp; B &lt; C ]]&gt;</p>',
    contentText: 'A & B < C ]]>',
    language: null,
  },
];

const feed: FeedDef = { id: 'kazakhstan', title: 'Kazakhstan unrest', description: 'The January 2022 protests', sourceIds: ['steppewatch'], tags: {}, limit: 50, maxTags: 10, language: 'en' };
const view = feedView(feed, 'https://feeds.example', '*/30 * * * *', { nextQuery: 'after=MjAyMi0wMS0wNFQwODowMDowMC4wMDBafGMxYjJjM2Q0ZTVmNmE3YjhjOWQwZTFmMg' });

const outputs: Record<string, string> = {
  ...Object.fromEntries(FORMATS.map((f) => [`feed.${f}`, renderFeed(f, view, articles)])),
  'feeds.opml': writeOpml([feed], 'https://feeds.example', new Date('2022-01-08T00:00:00Z')),
  'index.html': renderIndex({ baseUrl: 'https://feeds.example', feeds: [feed], articles }),
};

for (const [name, text] of Object.entries(outputs)) {
  t.test(name, async (t) => {
    const file = `${dir}${name}`;
    if (update) writeFileSync(file, text);
    t.ok(existsSync(file), `${file} exists (FEEDRELAY_UPDATE_FIXTURES=1 writes it)`);
    if (existsSync(file)) t.equal(text, readFileSync(file, 'utf8'), `${name} is unchanged`);
  });
}
