// The dek a page prints between the headline and the story, outside the container Readability
// takes the story from, opens the content. Seen across extraction-2: theatlantic.com
// (div.ArticleLayoutComponent_dek > p.ArticleDek_root), aerobuzz.de (div.intro > div.chapo),
// autosprint.ch (div.Post__lead > h2), bfn.de (div.field--name-field-abstract), infobae.com
// (h2.article-subheadline); automobilwoche.de marks it with schema.org's itemprop="description".
import t from 'tap';
import { extractPage } from '../../../src/ingest/page/extract.ts';
import { parseFragment } from '../../../src/ingest/dom.ts';
import { findDek } from '../../../src/ingest/page/dek.ts';

const story = Array.from({ length: 6 }, (_, i) => `<p>Paragraph ${i + 1} of the story: the council voted on Tuesday to keep the library open for another ten years, after a long debate about money and about what a town owes its readers.</p>`).join('');
const DEK = 'The town had never before kept a library open against its own budget office.';
const page = (header: string, after = '') =>
  `<html><head><title>Library stays open</title></head><body><header class="site"><a href="/">Town News</a></header><main><article><header>${header}</header><div class="article-body">${story}</div>${after}</article></main></body></html>`;
const content = (html: string) => extractPage(html, 'https://news.example.org/2024/library').items[0]!.contentHtml ?? '';
const dekOf = (html: string) => {
  const body = parseFragment(html).body;
  return findDek(body, Array.from(body.querySelectorAll('h1')));
};

t.test('a dek under the headline opens the content', async (t) => {
  for (const header of [
    `<h1>Library stays open</h1><div class="ArticleLayoutComponent_dek__Yy5TX"><p class="ArticleDek_root__R8OvU">${DEK}</p></div>`,
    `<h1>Library stays open</h1><div class="intro"><div class="chapo widthfix"><div><p>${DEK}</p></div></div></div>`,
    `<h1>Library stays open</h1><div class="Post__lead"><h2>${DEK}</h2></div>`,
    `<h1>Library stays open</h1><h2 class="article-subheadline">${DEK}</h2>`,
    `<h1>Library stays open</h1><div class="field field--name-field-abstract field__item">${DEK}</div>`,
    `<h1>Library stays open</h1><div><h2 class="verylarge bold" itemprop="description">${DEK}</h2></div>`,
  ]) {
    const html = content(page(header));
    t.ok(html.startsWith(`<p>${DEK}</p>`), header);
    t.ok(html.includes('Paragraph 1 of the story'), 'the story follows');
  }
  // A headline that links to its own page is still the headline.
  t.equal(dekOf(`<h1><a href="/2024/library">Library stays open</a></h1><div class="description"><p>${DEK}</p></div>${story}`), DEK);
});

t.test('what is not a dek stays out', async (t) => {
  // The site's tagline under its name: that h1 is the site's, and the box is named the site's.
  t.equal(dekOf(`<h1 id="site-title"><a href="/">Town News</a></h1><h2 id="site-description">News from the town hall and the library every day</h2>${story}`), undefined);
  t.equal(dekOf(`<h1>Library stays open</h1><h2 id="site-description">News from the town hall and the library every day</h2>${story}`), undefined);
  // The lead picture's caption, named for the lead asset.
  t.equal(dekOf(`<h1>Library stays open</h1><figure><img src="/a.jpg"><figcaption><span class="lead-asset-caption">The reading room on Tuesday, before the council met to vote</span></figcaption></figure><span class="lead-asset-caption">The reading room on Tuesday, before the vote</span>${story}`), undefined);
  // A teaser's excerpt, cut off: a pointer to another story.
  t.equal(dekOf(`<h1>Library stays open</h1><div class="excerpt">Two more branches in the county may close next year, the council heard...</div>${story}`), undefined);
  // A summary box with its own heading (a module beside the story), and summaries in a list of teasers.
  t.equal(dekOf(`<h1>Library stays open</h1><div class="summary module"><h3>Summary:</h3><blockquote><p>${DEK}</p></blockquote></div>${story}`), undefined);
  t.equal(dekOf(`<h1>Library stays open</h1><ul><li><div class="description"><p>${DEK}</p></div></li></ul>${story}`), undefined);
  // After the story has begun, a box named "summary" is something else (a teaser further down).
  t.equal(dekOf(`<h1>Library stays open</h1>${story}<div class="summary">${DEK}</div>`), undefined);
  // No headline, no dek.
  t.equal(dekOf(`<div class="dek">${DEK}</div>${story}`), undefined);
  // A dek the story already holds is not repeated.
  const html = content(page('<h1>Library stays open</h1>', '').replace('<div class="article-body">', `<div class="article-body"><p class="lead">${DEK}</p>`));
  t.equal(html.split(DEK).length - 1, 1);
});

// Review of issue 14 (false deks): a box named "intro"/"lead" between the headline and the story is
// often something else. Seen in extraction-2: techcrunch.com's author bio (div.author-dropdown >
// div.description) and linkedin.com's profile cards (h4.base-main-card__subtitle) were taken for
// deks; nbcnews.com names its real dek "articleDek … withImage" / "noImage".
t.test('a box named for something else is no dek, nor is a box the reader is not shown', async (t) => {
  for (const box of [
    `<div class="lead-teaser"><p>Read our special report on the county's schools, published every Sunday morning.</p></div>`,
    `<div class="newsletter-intro"><p>Get the best of Town News in your inbox every morning, free of charge.</p></div>`,
    `<div class="intro"><p>Sign up for our newsletter and get the best of Town News every morning.</p></div>`,
    `<div id="cookie-intro"><p>We use cookies to give you the best experience on our website and to show ads.</p></div>`,
    `<div class="lead-photo"><p>The reading room on Tuesday, before the council met to vote on its future.</p></div>`,
    `<div class="lead-image"><span class="lead-image-copyright">Photograph by Jane Doe for Town News, all rights reserved, 2024</span></div>`,
    `<div class="author-dropdown"><div class="description"><p>Jane Doe covers the town hall for Town News and has written about libraries since 2010.</p></div></div>`,
    `<div class="base-main-card__info"><h4 class="base-main-card__subtitle">Creating the most truly human company in the digital age.</h4></div>`,
    `<div class="dek" style="display: none">${DEK}</div>`,
    `<p class="summary" hidden>${DEK}</p>`,
    `<div class="dek" aria-hidden="true">${DEK}</div>`,
  ]) {
    t.equal(dekOf(`<h1>Library stays open</h1>${box}${story}`), undefined, box);
    // The page's real dek after such a box is still found.
    t.equal(dekOf(`<h1>Library stays open</h1>${box}<div class="dek">${DEK}</div>${story}`), DEK, `${box} then the dek`);
  }
  // A picture word is a layout modifier on a box that names itself the dek outright.
  t.equal(dekOf(`<h1>Library stays open</h1><div class="articleDek dekSummary___GcgCT noImage___1deyn">${DEK}</div>${story}`), DEK);
  t.equal(dekOf(`<h1>Library stays open</h1><div class="styles_articleDek__Icz5H styles_withImage__SSIip">${DEK}</div>${story}`), DEK);
});
