// A page's tags as its platform marks them: WordPress prints tags as rel="tag" links and the
// categories it files the post under as rel="category tag".
import t from 'tap';
import { extractPage } from '../../../src/ingest/page/extract.ts';

const page = (footer: string) => `<!doctype html><html lang="en"><head><title>A post</title></head><body><article><h1>A post</h1>
<p>${'Some words of the post itself, long enough for Readability to keep them. '.repeat(12)}</p>
<footer class="entry-footer">${footer}</footer></article></body></html>`;

t.test('tags given by the author replace the categories', async (t) => {
  const feed = extractPage(page(`<span class="cat-links">Categories <a href="/category/society/" rel="category tag">Society &amp; Culture</a></span>
<span class="tags-links">Tags <a href="/tag/frankenstein/" rel="tag">Frankenstein</a>, <a href="/tag/ghosts/" rel="tag">Ghosts</a></span>`), 'https://blog.example/post');
  t.same(feed.items[0]!.categories, ['Frankenstein', 'Ghosts']);
});

t.test('a post with no tags keeps its categories', async (t) => {
  const feed = extractPage(page(`<span class="cat-links">Filed under <a href="/category/news/" rel="category tag">News</a>, <a href="/category/travel/" rel="category tag">Travel</a></span>`), 'https://blog.example/post');
  t.same(feed.items[0]!.categories, ['News', 'Travel']);
});

t.test('article:tag and rel=tag together', async (t) => {
  const html = page(`<a href="/tag/x/" rel="tag">Rail</a>`).replace('<title>', '<meta property="article:tag" content="Trains"><title>');
  t.same(feed(html), ['Rail', 'Trains']);
  function feed(h: string) {
    return extractPage(h, 'https://blog.example/post').items[0]!.categories;
  }
});
