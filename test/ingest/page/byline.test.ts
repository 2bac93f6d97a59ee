// Who wrote a page, from the signals pages give: the conventions (JSON-LD, author metas, Twitter
// card labels, microformats) and the byline printed under the headline; never a comment's writer,
// a sidebar's, an infobox's or a listing's teasers.
import t from 'tap';
import { extractPage } from '../../../src/ingest/page/extract.ts';
import { authorsOf, splitAuthors } from '../../../src/ingest/normalize/bylines.ts';
import { declaredLanguage } from '../../../src/ingest/normalize/language.ts';

const BODY = `<p>${'Some words of the post itself, long enough for Readability to keep them as the article. '.repeat(12)}</p>`;
const page = (head: string, body: string) =>
  `<!doctype html><html lang="en"><head><title>A story | Example News</title><meta property="og:site_name" content="Example News">${head}</head><body>${body}</body></html>`;
// The names as the Article carries them (normalize splits each byline into people, in the
// page's declared language: html[lang], else og:locale).
const authors = (html: string) => {
  const item = extractPage(html, 'https://news.example/2020/01/a-story').items[0]!;
  return authorsOf(item, 'https://news.example/', declaredLanguage(item, undefined)).map((a) => a.name);
};

t.test('JSON-LD authors named by @id in the @graph (Yoast)', async (t) => {
  const ld = {
    '@context': 'https://schema.org',
    '@graph': [
      { '@type': 'Article', '@id': 'https://news.example/a#article', headline: 'A story', author: { '@id': 'https://news.example/#/schema/person/1' } },
      { '@type': 'Person', '@id': 'https://news.example/#/schema/person/1', name: 'Harald Bauer' },
    ],
  };
  // The theme credit in meta name=author loses to the Person the graph names.
  const html = page(`<meta name="author" content="Fuchsy designed"><script type="application/ld+json">${JSON.stringify(ld)}</script>`, `<article><h1>A story</h1>${BODY}</article>`);
  t.same(authors(html), ['Harald Bauer']);
});

t.test('a repeated author meta names each person; the organisation among them is not one', async (t) => {
  const html = page(`<meta name="author" content="mediagene Inc."><meta name="author" content="Jane Roe">`, `<article><h1>A story</h1>${BODY}</article>`);
  t.same(authors(html), ['Jane Roe']);
  const dc = page(`<meta name="DC.Creator" content="Kooman, F."><meta name="DC.Creator" content="Doe, Jane">`, `<article><h1>A story</h1>${BODY}</article>`);
  t.same(authors(dc), ['F. Kooman', 'Jane Doe']);
  // Another spelling of the meta is an alternative, not a co-author.
  const alt = page(`<meta property="dc:creator" content="Jane Doe"><meta name="DC.creator" content="Someone Else">`, `<article><h1>A story</h1>${BODY}</article>`);
  t.same(authors(alt), ['Jane Doe']);
});

t.test('an author meta that names an organisation gives way to the person rel=author names', async (t) => {
  const html = page(`<meta name="author" content="Organization for Transformative Works">`, `<article><h1>A story</h1><a rel="author" href="/users/x">AMournfulHowlInTheNight</a>${BODY}</article>`);
  t.same(authors(html), ['AMournfulHowlInTheNight']);
});

t.test('an author meta that is only the site name is no byline', async (t) => {
  const html = page(`<meta name="cXenseParse:author" content="Example News">`, `<article><h1>A story</h1>${BODY}</article>`);
  t.same(authors(html), []);
});

t.test('the "Written by" label of a Twitter card (Yoast, LinkedIn)', async (t) => {
  const html = page(`<meta name="twitter:label1" content="Written by"><meta name="twitter:data1" content="Ellyn Shook"><meta name="twitter:label2" content="Est. reading time"><meta name="twitter:data2" content="2 minutes">`, `<article><h1>A story</h1>${BODY}</article>`);
  t.same(authors(html), ['Ellyn Shook']);
});

t.test('twitter:creator written as a name, when nothing else names anyone; a handle is none', async (t) => {
  t.same(authors(page(`<meta name="twitter:site" content="@RoyalRoadL"><meta name="twitter:creator" content="Sleyca">`, `<article><h1>A story</h1>${BODY}</article>`)), ['Sleyca']);
  t.same(authors(page(`<meta name="twitter:creator" content="@jonfingas">`, `<article><h1>A story</h1>${BODY}</article>`)), []);
  t.same(authors(page(`<meta name="twitter:creator" content="helmholtz_de">`, `<article><h1>A story</h1>${BODY}</article>`)), []);
  // The site's own account is no byline either.
  t.same(authors(page(`<meta name="twitter:site" content="@NBCNews"><meta name="twitter:creator" content="NBCNews">`, `<article><h1>A story</h1>${BODY}</article>`)), []);
  // A printed byline comes first.
  t.same(authors(page(`<meta name="twitter:creator" content="Someone Else">`, `<article><h1>A story</h1><p>By Jane Doe</p>${BODY}</article>`)), ['Jane Doe']);
});

t.test('a given name alone in the metadata stays as given: no second site prints it in full', async (t) => {
  const ld = { '@context': 'https://schema.org', '@type': 'BlogPosting', headline: 'A story', author: { '@type': 'Person', name: 'Nils' } };
  const html = page(`<script type="application/ld+json">${JSON.stringify(ld)}</script>`, `<article><h1>A story</h1><div class="entry-content"><p><strong>Eine Kolumne von Nils Pickert</strong></p>${BODY}</div></article>`);
  t.same(authors(html), ['Nils']);
});

// A page in the given language, its subtitle under the h1.
const langPage = (lang: string, line: string) =>
  `<!doctype html><html lang="${lang}"><head><title>A story | Example News</title><meta property="og:site_name" content="Example News"></head><body><article><h1>A story</h1><p>${line}</p>${BODY}</article></body></html>`;

t.test('a German subtitle "Ein(e) <noun> von …" under the headline is no byline', async (t) => {
  t.same(authors(langPage('de', 'Eine Sammlung von Gedichten')), []);
  t.same(authors(langPage('de', 'Eine Reise von Berlin nach Hamburg')), []);
  t.same(authors(langPage('de', 'Eine Kolumne von Nils Pickert')), []);
  // "Von" itself still opens a byline.
  t.same(authors(langPage('de', 'Von Diane Buckstegge')), ['Diane Buckstegge']);
});

t.test('"por", "par", "door", "di" open a byline only in their own language, and only before names', async (t) => {
  t.same(authors(langPage('en', 'Door County beaches reopen')), []);
  t.same(authors(langPage('en', 'Door County')), []);
  t.same(authors(langPage('en', 'Di Maio attacca il governo')), []);
  t.same(authors(langPage('it', 'Di Maio attacca il governo')), []);
  t.same(authors(langPage('en', 'Por Sarah Moreno')), []);
  t.same(authors(langPage('nl', 'Door Jan Jansen')), ['Jan Jansen']);
  t.same(authors(langPage('it', 'di Mario Rossi')), ['Mario Rossi']);
  t.same(authors(langPage('es-GT', 'Por María de la Fuente y Gustavo E. Méndez')), ['María de la Fuente', 'Gustavo E. Méndez']);
  t.same(authors(langPage('fr', 'Par Bertille Bayart, Marie Visot')), ['Bertille Bayart', 'Marie Visot']);
  // Without html[lang], og:locale gives the language.
  t.same(authors(langPage('es', 'Por Sarah Moreno').replace(' lang="es"', '').replace('<head>', '<head><meta property="og:locale" content="es_ES">')), ['Sarah Moreno']);
  // A surname's particle is no label, though it is the language's "by" (it was cut: "Maio").
  t.same(authors(langPage('it', 'Di Maio attacca il governo').replace('<head>', '<head><meta name="author" content="Di Maio">')), ['Di Maio']);
  // The name line inside a longer one with the date is read from its own element.
  t.same(authors(langPage('es', '<span>por Sarah Moreno</span> <span>26 de abril de 2022 1:04 PM</span>')), ['Sarah Moreno']);
});

t.test('itemprop=name given as a content attribute inside itemprop=author', async (t) => {
  const html = page('', `<article><h1>A story</h1><span itemprop="author" itemscope itemtype="http://schema.org/Person"><link itemprop="name" content="Confreaks"></span>${BODY}</article>`);
  t.same(authors(html), ['Confreaks']);
});

t.test('the byline printed under the headline beats a teaser byline further down', async (t) => {
  const html = page(
    '',
    `<header><h1 class="story__title">A story</h1><p class="story__subhead">The dek.</p><div class="story__info"><span class="item">By <a href="/author/kathy-wise"> Kathy Wise </a></span> <span class="item">Published in <a href="/section/x/">FrontBurner</a></span> <span class="item">December 14, 2016</span></div></header>
<article>${BODY}</article><aside><article><h2><a href="/other">Another story</a></h2><a class="byline" href="/author/mike">Michael Mooney</a></article></aside>`,
  );
  t.same(authors(html), ['Kathy Wise']);
});

t.test('a header byline with several people and text nodes glued together', async (t) => {
  const html = page(
    '',
    `<article><header><h1>A story</h1><p><span class="byline-prefix">By </span><span itemprop="name"><a href="/by/marc-santora">Marc Santora</a>, </span><span itemprop="name"><a href="/by/al-baker">Al Baker</a></span> and <span itemprop="name"><a href="/by/adam-goldman">Adam Goldman</a></span></p></header>${BODY}</article>`,
  );
  t.same(authors(html), ['Marc Santora', 'Al Baker', 'Adam Goldman']);
  // "By clicking" is not a byline.
  const clicking = page('', `<article><h1>A story</h1><p>By clicking Subscribe you agree to our terms.</p>${BODY}</article>`);
  t.same(authors(clicking), []);
  const glued = page('', `<article><h1>A story</h1><div><span>By</span><span><a href="/about/newsteam/jr-stone">J.R. Stone</a></span> <span>Thursday, November 9, 2023 7:35AM</span></div>${BODY}</article>`);
  t.same(authors(glued), ['J.R. Stone']);
});

t.test('an author-archive link next to the headline, not a link to the author\'s other posts', async (t) => {
  const html = page('', `<article><h1>A story</h1><div class="meta"><a href="/today/author/jane">See all</a> <a href="https://news.example/about/editors/jon-fingas/">Jon Fingas</a>, 1h ago</div>${BODY}</article>`);
  t.same(authors(html), ['Jon Fingas']);
});

t.test('metas that list the photographer and models beside the writer: the printed byline says who wrote it', async (t) => {
  const html = page(
    `<meta name="author" content="Connie Wang,Sharokh Mirzai,Ariel Pierre-Louis at MSA Models">`,
    `<article><div class="header"><h1 class="title">A story</h1><div class="byline main-contributors"><span class="contributor"><a href="/en-us/author/connie-wang">Connie Wang</a></span></div></div>${BODY}</article>`,
  );
  t.same(authors(html), ['Connie Wang']);
});

t.test('never a comment\'s writer, an infobox\'s card or a sidebar line', async (t) => {
  const comment = page('', `<article><h1>A story</h1>${BODY}</article><ol class="commentlist"><li class="comment"><div class="comment-author vcard"><span class="fn">Trockenduscher</span></div><p>Nice.</p></li></ol>`);
  t.same(authors(comment), []);
  const infobox = page('', `<article><h1>Mozilla</h1><table class="infobox vcard"><tr><th class="fn org">Mozilla</th></tr></table>${BODY}</article>`);
  t.same(authors(infobox), []);
  const sidebar = page('', `<div id="Main"><h1>A story</h1>${BODY}</div><div id="Sidebar"><p>By John Gruber</p></div>`);
  t.same(authors(sidebar), []);
  // An hAtom author card is the post's author.
  const hatom = page('', `<article class="hentry"><h1>A story</h1><span class="author vcard"><span class="fn">Jane Doe</span></span>${BODY}</article>`);
  t.same(authors(hatom), ['Jane Doe']);
});

t.test('a listing page (schema.org CollectionPage) prints its teasers\' bylines, not its own', async (t) => {
  const ld = { '@context': 'https://schema.org', '@type': 'CollectionPage', name: 'Section front' };
  const html = page(`<script type="application/ld+json">${JSON.stringify(ld)}</script>`, `<main><h1>Section front</h1>${BODY}<article><h2>Teaser</h2><p class="byline">By Tariq Panja</p></article></main>`);
  t.same(authors(html), []);
});

t.test('"Von:" with the name on a later line, in a link', async (t) => {
  const html = page('', `<div><h1>A story</h1>${BODY}<a href="mailto:x@example.org"><div class="sep"> </div> <b>Von:</b> <br /> <br /> Götz Warnke</a></div>`);
  t.same(authors(html), ['Götz Warnke']);
});

t.test('splitAuthors: a label alone on its line, a handle, a CJK poster label, glued "By"', async (t) => {
  t.same(splitAuthors('por \n   \n César Salza\n'), ['César Salza']);
  t.same(splitAuthors('AMournfulHowlInTheNight'), ['AMournfulHowlInTheNight']);
  t.same(splitAuthors('投稿者 Masafumi Negishi'), ['Masafumi Negishi']);
  t.same(splitAuthors('ByJ.R. Stone'), ['J.R. Stone']);
  // Names that open like a label are names.
  t.same(splitAuthors('BYRON SMITH'), ['Byron Smith']);
  t.same(splitAuthors('Paris Hilton'), ['Paris Hilton']);
  t.same(splitAuthors('Diana Ross'), ['Diana Ross']);
});

// Shareaholic's documented metas (its WordPress and Drupal plugins write them; extraction-2's
// wolfgangmichal.de names its author only there).
t.test('shareaholic:article_author_name names the author, unless it only repeats the site', async (t) => {
  const html = page(`<meta name="shareaholic:article_author_name" content="Wolfgang Michal">`, `<article><h1>A story</h1>${BODY}</article>`);
  t.same(authors(html), ['Wolfgang Michal']);
  const site = page(`<meta name="shareaholic:article_author_name" content="Example News">`, `<article><h1>A story</h1>${BODY}</article>`);
  t.same(authors(site), []);
});

// A CMS login where a name should be (extraction-2: al.com's sailthru.author "mikecason" under
// "By Mike Cason"; fischundfang.de's, reisen-mit-dem-internet.de's JSON-LD Person "tkalweit",
// "vpohl", with no printed byline).
t.test('a login in the author metadata gives way to the printed byline, and stands in where none is printed', async (t) => {
  const printed = page(`<meta name="sailthru.author" content="mikecason">`, `<article><h1>A story</h1><p class="byline">By Mike Cason</p>${BODY}</article>`);
  t.same(authors(printed), ['Mike Cason']);
  const ld = { '@context': 'https://schema.org', '@type': 'Article', headline: 'A story', author: { '@type': 'Person', name: 'tkalweit' } };
  const alone = page(`<script type="application/ld+json">${JSON.stringify(ld)}</script>`, `<article><h1>A story</h1>${BODY}</article>`);
  t.same(authors(alone), ['tkalweit']);
  // A name written with capitals is no login: it still beats the printed line.
  const named = page(`<meta name="sailthru.author" content="Jane Roe">`, `<article><h1>A story</h1><p class="byline">By Mike Cason</p>${BODY}</article>`);
  t.same(authors(named), ['Jane Roe']);
});
