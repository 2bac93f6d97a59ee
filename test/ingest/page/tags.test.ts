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

const tagsOf = (html: string) => extractPage(html, 'https://blog.example/post').items[0]!.categories;

// sciencesetavenir prints six rel=tag links and puts nine keywords in JSON-LD; 1000things shows
// eight tags and declares six: what the reader is shown is the post's tags.
t.test('the tags the page prints win over article:tag and JSON-LD keywords', async (t) => {
  const html = page(`<a href="/tag/x/" rel="tag">Rail</a>`).replace(
    '<title>',
    '<meta property="article:tag" content="Trains"><script type="application/ld+json">{"@type":"NewsArticle","keywords":["Rail","Elon Musk"]}</script><title>',
  );
  t.same(tagsOf(html), ['Rail']);
});

t.test('article:tag and JSON-LD keywords stand in where the page prints no tags', async (t) => {
  const html = page('').replace('<title>', '<meta property="article:tag" content="Trains"><meta property="article:tag" content="Rail"><title>');
  t.same(tagsOf(html), ['Trains', 'Rail']);
  const ld = page('').replace('<title>', '<script type="application/ld+json">{"@type":"BlogPosting","keywords":"femme,homme"}</script><title>');
  t.same(tagsOf(ld), ['femme', 'homme']);
});

t.test('a box named for tags: its link texts, without the links that only expand the list', async (t) => {
  t.same(tagsOf(page(`<div class="post-tags"><a href="/t/crocs/">Crocs</a> <a href="/t/mode/">Mode</a> <a href="#" class="more">More</a></div>`)), ['Crocs', 'Mode']);
  // Tailwind-era pages name the box only in data-testid; hashtag lists print "#".
  t.same(tagsOf(page(`<div data-testid="prism-tags"><ul><li><a href="/tag/hotel/">HOTEL</a></li><li><a href="/tag/economy/">#Economy</a></li></ul></div>`)), ['HOTEL', 'Economy']);
  // gamepro.de prints some tags as links to nowhere.
  t.same(tagsOf(page(`<ul class="taglist"><li><a href="/videos/trailer/" class="tag">Spiele-Trailer</a></li><li><a class="tag" style="cursor:default">PC</a></li></ul>`)), ['Spiele-Trailer', 'PC']);
});

t.test('links after a "Tags:" label are the tags', async (t) => {
  // 1000things.at: the heading, then a box of links with no tag-like names.
  t.same(tagsOf(page(`<h3 class="font-bold">Tags:</h3><div><ul><li><a href="/t/hotel/">Hotel</a></li><li><a href="/l/steiermark/">Steiermark</a></li></ul></div><p>More on <a href="/x/">this</a></p>`)), ['Hotel', 'Steiermark']);
  // wnyc: the label is the list's first item.
  t.same(tagsOf(page(`<ul><h4>Tags:</h4><li><a href="/tags/alec_baldwin/">alec baldwin</a></li><li><a href="/tags/stacy_keach/">stacy keach</a></li></ul>`)), ['alec baldwin', 'stacy keach']);
  // resonator-podcast.de: the label is text before the links, with entities the parser splits it at.
  t.same(tagsOf(page(`<p>Mehr zum Thema: <a href="/2019/res157/">RES157</a></p>Themen: &nbsp; <a href="/tag/sterne/">Sterne</a> &nbsp; <a href="/tag/physik/">Physik</a> &nbsp; <p>Zitieren: <a href="/impressum/">Impressum</a></p>`)), ['Sterne', 'Physik']);
});

t.test('a topics heading without its colon is a site menu, not a label', async (t) => {
  t.same(tagsOf(page(`<div><h2>Themen</h2><ul><li><a href="/klima/">Klimawandel</a></li></ul></div>`)), []);
});

t.test("the site's tag lists are not the article's: navigation, sidebars, widgets, tag clouds", async (t) => {
  const html = `<!doctype html><html><head><title>A post</title></head><body>
<nav><ul class="tags"><li><a href="/tag/ps5/">PS5</a></li></ul></nav><article><h1>A post</h1>
<p>${'Some words of the post itself, long enough for Readability to keep them. '.repeat(12)}</p></article>
<div class="sidebar"><div class="tags"><a href="/tag/a/">Sidebar tag</a></div></div>
<section class="widget widget_tag_cloud"><h2>Tags</h2><div class="tagcloud"><a href="/tag/b/">Cloud tag</a></div></section></body></html>`;
  t.same(tagsOf(html), []);
});

t.test('the first tag list after the h1 is the article\'s; one before it is a trending bar', async (t) => {
  const html = `<!doctype html><html><head><title>A post</title></head><body>
<div id="header-trending"><ul class="taglist"><li><a href="/ps5/" class="tag">PS5</a></li><li><a href="/switch/" class="tag">Nintendo Switch</a></li></ul></div>
<article><h1>A post</h1><p>${'Some words of the post itself, long enough for Readability to keep them. '.repeat(12)}</p>
<ul class="taglist"><li><a href="/videos/trailer/" class="tag">Trailer</a></li></ul></article></body></html>`;
  t.same(tagsOf(html), ['Trailer']);
  // With none after it, a list before the h1 is the page's (a tag line above the headline),
  // unless its box says it is the site's trending bar.
  const above = html.replace(/<ul class="taglist"><li><a href="\/videos[^]*?<\/ul>/, '');
  t.same(tagsOf(above.replace('header-trending', 'kicker')), ['PS5', 'Nintendo Switch']);
  t.same(tagsOf(above), []);
});

// A list before the headline (a trending bar) or the site's own (popular tags in its footer)
// does not outrank the tags the article declares.
t.test('site-wide tag lists do not replace article:tag', async (t) => {
  const declared = '<meta property="article:tag" content="Elections"><meta property="article:tag" content="Senate"><title>';
  const trending = page('')
    .replace('<title>', declared)
    .replace('<article>', '<div class="trending-tags"><a href="/t/celebs">Celebs</a><a href="/t/sport">Sport</a></div><article>');
  t.same(tagsOf(trending), ['Elections', 'Senate'], 'a trending bar');
  const before = page('')
    .replace('<title>', declared)
    .replace('<article>', '<div class="post-tags"><a href="/t/news">News</a></div><article>');
  t.same(tagsOf(before), ['Elections', 'Senate'], 'a tag list before the h1');
  t.same(tagsOf(page('').replace('<article>', '<div class="post-tags"><a href="/t/news">News</a></div><article>')), ['News'], 'which stands in when nothing is declared');
  const footer = page('')
    .replace('<title>', declared)
    .replace('</article>', '</article><footer class="site-footer"><div class="popular-tags"><a href="/t/a">Weather</a><a href="/t/b">Traffic</a></div></footer>');
  t.same(tagsOf(footer), ['Elections', 'Senate'], 'popular tags in the site footer');
  t.same(tagsOf(page('<span class="tags-links"><a href="/t/x">Rail</a></span>')), ['Rail'], "a post's own list in its entry-footer still counts");
});
