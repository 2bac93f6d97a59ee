// The published date extractPage states: what the page's signals say, in their order of trust.
import t from 'tap';
import { extractPage } from '../../../src/ingest/page/extract.ts';

const page = (head: string, body = '') => `<!doctype html><html lang="en"><head><title>A post</title>${head}</head><body><article><h1>A post</h1>${body}
<p>${'Some words of the post itself, long enough for Readability to keep them. '.repeat(12)}</p></article></body></html>`;
const published = (html: string, url = 'https://blog.example/post') => extractPage(html, url).items[0]!.published;

t.test('a CMS’s zero date is no date; the next signal speaks', async (t) => {
  const ld = `<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"0001-01-01T00:00:00Z","dateModified":"0001-01-01T00:00:00Z"}</script>`;
  t.equal(published(page(ld)), undefined);
  t.equal(extractPage(page(ld), 'https://blog.example/post').items[0]!.updated, undefined);
  t.equal(published(page(ld, '<p class="date">March 3, 2020</p>')), '2020-03-03');
});

t.test('with no date stated, the day the permalink names', async (t) => {
  t.equal(published(page(''), 'https://blog.example/2014/05/18/alles-neue/'), '2014-05-18');
  t.equal(published(page('<link rel="canonical" href="https://blog.example/2014/05/18/alles-neue/">'), 'https://blog.example/?p=12'), '2014-05-18');
  t.equal(published(page('<meta property="article:published_time" content="2014-05-19T10:00:00+02:00">'), 'https://blog.example/2014/05/18/x/'), '2014-05-19T10:00:00+02:00', 'a stated date beats it');
  t.equal(published(page(''), 'https://blog.example/post'), undefined);
});

t.test('the byline’s date gives way to the date box that says more of it', async (t) => {
  const html = page('', '<div class="author">谢若含 <span class="date smart-date" data-origindate="2017-03-01 14:27:02 +0800"></span><span class="date">2017-03-01 14:27:02</span></div>');
  t.equal(published(html), '2017-03-01T14:27:02+08:00');
});

t.test('a time stated as UTC that the page’s <time> states as the same wall clock with an offset is that local time', async (t) => {
  const head = '<meta property="article:published_time" content="2019-04-19T20:00:00.000Z">';
  t.equal(published(page(head, '<time datetime="2019-04-19T20:00:00+09:00">2019.04.19 20:00</time>')), '2019-04-19T20:00:00+09:00');
  // Another instant is another statement: the UTC time stands.
  t.equal(published(page(head, '<time datetime="2019-04-19T21:00:00+09:00">2019.04.19 21:00</time>')), '2019-04-19T20:00:00.000Z');
  // The same mislabelling in another meta, on another site (cXense's publishtime beside a
  // WordPress <time>; the page's article:published_time says 04:04:54Z, the same instant).
  t.equal(published(page('<meta name="cXenseParse:recs:publishtime" content="2022-04-21T22:04:54Z">', '<time class="entry-date published" datetime="2022-04-21T22:04:54-06:00">21 abril, 2022</time>')), '2022-04-21T22:04:54-06:00');
});

t.test('a comment thread’s <time> dates a reader’s comment, not the post', async (t) => {
  // WordPress's comment list (traf-resonator-podcast.de: #comments.comments-area > div.comment-metadata).
  const comments = '</article><div id="comments" class="comments-area"><ol class="comment-list"><li class="comment"><div class="comment-metadata"><a href="#c1"><time datetime="2019-08-24T03:36:11+02:00">24. August 2019</time></a></div><p>Danke!</p></li></ol></div><article>';
  t.equal(published(page('', comments)), undefined);
  // The post's own <time> is still read, before or after the thread.
  t.equal(published(page('', `<time datetime="2019-08-16T10:00:00+02:00">16. August 2019</time>${comments}`)), '2019-08-16T10:00:00+02:00');
});

t.test('a schema.org HowTo is dated as an article is', async (t) => {
  // homify's DIY pages: the only date is the HowTo's datePublished (with its milliseconds after a colon).
  t.equal(published(page('<script type="application/ld+json">{"@context":"http://schema.org/","@type":"HowTo","name":"A post","datePublished":"2022-01-10T22:06:08:684Z"}</script>')), '2022-01-10T22:06:08:684Z');
  // Another type's date (an Event's startDate, an Organization's foundingDate) is not the page's.
  t.equal(published(page('<script type="application/ld+json">{"@context":"http://schema.org/","@type":"Event","name":"A post","datePublished":"2022-01-10"}</script>')), undefined);
});
