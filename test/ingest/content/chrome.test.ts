// What is not the story comes out of the content by the page's own structure (boxes named as
// related lists, teasers, tables of contents; the links a related-stories heading introduces) and
// by the lines newsrooms in several languages add to every story (the rules' phrase tables).
import t from 'tap';
import { cleanContent } from '../../../src/ingest/content/clean.ts';

const story = '<p>The council voted on Tuesday to keep the library open for another ten years, after a long debate about money and about what a town owes its readers.</p>';
const text = (html: string) => cleanContent(html, 'https://example.org/a').text;
/** The content as extraction took it out of a fetched page. */
const pageText = (html: string) => cleanContent(html, 'https://www.example.org/a', undefined, { page: true }).text;
const more = `<p>${'More of the story, about the budget and the building. '.repeat(3)}</p>`;

t.test('boxes whose class or id names them as related stories, teasers, a table of contents', async (t) => {
  t.equal(text(`${story}<ul><li class="relatedArticlesTextItem"><a href="/b">Another story</a></li></ul>`).includes('Another story'), false);
  t.equal(text(`<div id="ez-toc-container"><p>Contents</p><ul><li><a href="#a">One</a></li></ul></div>${story}`).includes('One'), false);
  t.equal(text(`${story}<div class="Teaser__container--other"><h3>The motor chain</h3></div>`).includes('motor chain'), false);
  t.equal(text(`${story}<aside class="newsletter-box"><p>Get our morning mail</p><p><a href="/newsletters">Sign up</a></p></aside>`).includes('morning mail'), false);
  // A word inside another word is not the word.
  t.ok(text(`${story}<p class="unrelatedness">Kept line</p>`).includes('Kept line'));
  // A box holding most of the content is the story, whatever its name.
  t.ok(text(`<div class="entry-content related">${story}</div><p>x</p>`).includes('library open'));
});

t.test('a related-stories heading takes the link lists and link-only paragraphs after it', async (t) => {
  const out = text(`${story}<h2>Weiterlesen:</h2><p><a href="/x">Ein Roadtrip entlang der Route 66</a></p><p><a href="/y">Herbstlicher Ausflug</a></p><p>Back to the story.</p>`);
  t.equal(out.includes('Roadtrip'), false);
  t.equal(out.includes('Herbstlicher'), false);
  t.ok(out.includes('Back to the story.'));
  const list = text(`${story}<p><strong>Verwandte Artikel:</strong></p><ul><li><a href="/z">Dichter und Denker</a></li></ul>`);
  t.equal(list.includes('Dichter'), false);
  t.equal(text(`${story}<h3>Schon gelesen?</h3>`).includes('gelesen'), false);
});

t.test('promos, paywall and membership blurbs, copyright and cookie notices, in several languages', async (t) => {
  const lines = [
    '¿Ya sabías que en Ejemplo.com tenemos canal de Telegram? Únete desde tu celular.',
    '¡Mira lo que tiene nuestro canal de YouTube!',
    'If you’re seeing this message but you’re already a subscriber, you can log in.',
    'First-time subscribers also receive a welcome gift.',
    'Únete a nuestra comunidad de lectores. Cancela cuando quieras.',
    '© 2022, Example News. This article is the copyrighted property of Example News.',
    'Materiał chroniony prawem autorskim - wszelkie prawa zastrzeżone.',
    'Example News is not responsible for the opinions, statements or media content presented by contributors.',
    'Submit your letter to the editor via this form.',
    'This website uses cookies to improve your experience.',
    'News date : 04/21/2022 Category : Press Releases',
    'Filed under: Politics |',
  ];
  for (const line of lines) t.equal(text(`${story}<p>${line}</p>`).includes(line.slice(0, 20)), false, line);
  t.equal(text(`<p>Inhaltsverzeichnis</p><ul><li><a href="#a">Warum dekantieren</a></li></ul>${story}`).includes('Warum'), false);
  // The story's own words about the same things stay.
  t.ok(text(`${story}<p>The channel on Telegram grew to a million readers in a year, the company said.</p>`).includes('Telegram grew'));
});

t.test('a form that wraps the whole page (ASP.NET WebForms) is the page, not chrome', async (t) => {
  t.ok(text(`<form id="aspnetForm"><h2>Opposition is mounting</h2>${story}</form>`).includes('library open'));
  t.equal(text(`${story}<form><label>Search</label> the site</form>`).includes('Search'), false);
});

t.test('a paragraph that is one headline-long link to the same site, between the story’s paragraphs, is a pointer to another story', async (t) => {
  const out = pageText(`${story}<p><a href="https://example.org/b">Szukasz lokalu handlowego do wynajęcia? Zobacz oferty</a></p>${more}`);
  t.equal(out.includes('Szukasz'), false);
  t.ok(out.includes('More of the story'));
  // A link inside the story's sentence, a short link, an in-page link stay.
  t.ok(pageText(`${story}<p>The report (<a href="/r">read it here</a>) says more about the money.</p>${more}`).includes('read it here'));
  t.ok(pageText(`${story}<p><a href="/r">Download</a></p>${more}`).includes('Download'));
  t.ok(pageText(`${story}<p><a href="#notes">Notes on the vote and the debate that came before it</a></p>${more}`).includes('Notes on the vote'));
});

t.test('one-link paragraphs that are the story stay', async (t) => {
  const pointer = '<p><a href="/b">Another headline about the town and its library</a></p>';
  // A feed item's content is what its author wrote, whatever its shape.
  t.ok(text(`${story}${pointer}${more}`).includes('Another headline'));
  // A links-of-the-week post is its links.
  const week = `<p>This week's reading, with a line on each.</p>${[1, 2, 3, 4]
    .map((i) => `<p><a href="/p/${i}">Headline number ${i} of the week's best stories</a></p><p>${'A line on why this story is worth your time this week. '.repeat(2)}</p>`)
    .join('')}`;
  for (const page of [false, true]) {
    const out = (page ? pageText : text)(week);
    for (const i of [1, 2, 3, 4]) t.ok(out.includes(`Headline number ${i}`), `page ${page}, link ${i}`);
  }
  // A cited document, a link to another site, a link that closes or opens the story.
  t.ok(pageText(`${story}<p><a href="report.pdf">The full report of the council on the library budget</a></p>${more}`).includes('The full report'));
  t.ok(pageText(`${story}<p><a href="https://other.example.net/b">The minister's statement on the library budget</a></p>${more}`).includes("minister's statement"));
  t.ok(pageText(`${story}<p><a href="/b">Another headline about the town and its library</a></p>`).includes('Another headline'));
  t.ok(pageText(`<h2>Budget</h2><p><a href="/b">Another headline about the town and its library</a></p>${story}`).includes('Another headline'));
});

t.test('sentences of the story that speak of subscribers, channels and responsibility stay', async (t) => {
  const lines = [
    'If you are already a subscriber to the ad tier, the price rises by two dollars next month, the company said in a letter to customers on Tuesday.',
    'Meta argued in its filing that it is not responsible for the content its users upload, and that the law shields it from the claims of the families.',
    'Meta argued it is not responsible for the views of its users.',
    'The service is cheaper than its rivals, and you can cancel anytime with one click, which regulators said other services should copy.',
    '“We started our YouTube channel in 2015 with a phone and a lamp,” she said. “Now twelve people work on it, and we film every week.”',
    'Best new artist category: Chappell Roan took the award, thanking the drag queens who taught her to perform.',
    'Kategorie: Die Jury hat in diesem Jahr zum ersten Mal einen Preis für Hörspiele vergeben, der an zwei Autorinnen ging.',
  ];
  for (const line of lines) t.ok(text(`${story}<p>${line}</p>`).includes(line.slice(0, 40)), line);
  t.equal(text(`${story}<p>Join our Telegram channel for the latest news.</p>`).includes('Telegram channel'), false);
});

t.test('a paragraph classed as a teaser or intro is the story’s lead', async (t) => {
  const lead = 'Die Stadt will die Bibliothek zehn Jahre länger offen halten, nach einem langen Streit um das Geld.';
  t.ok(text(`<p class="article-teaser">${lead}</p>${story}`).includes('Die Stadt will'));
  t.ok(text(`<div class="teaser-text"><p>${lead}</p></div>${story}${story}`).includes('Die Stadt will'));
});

t.test('tag lists, embedded posts and the legal footer line', async (t) => {
  t.equal(text(`${story}<section class="tags"><ul><li><a href="/t/handbuch">Handbuch</a></li></ul></section>`).includes('Handbuch'), false);
  t.equal(text(`${story}<blockquote class="wp-embedded-content"><p><a href="/c">Another post on the same blog</a></p></blockquote>`).includes('Another post'), false);
  t.equal(text(`${story}<p>IMPRESSUM | DATENSCHUTZ | COPYRIGHT EXAMPLE</p>`).includes('IMPRESSUM'), false);
});

// A heading that ends the content titles a box that is gone: extraction-2's gofeminin.de ("Auch auf
// gofeminin.de"), bmel.de ("Verwandte Themen"), linkedin.com ("Explore topics"), otrs.com (a
// newsletter box's headings).
t.test('a heading with nothing after it is removed; one that introduces something stays', async (t) => {
  t.equal(text(`${story}<h2>Auch auf gofeminin.de</h2>`).includes('Auch auf'), false);
  t.equal(text(`${story}<div><h3>Subscribe to the newsletter now.</h3><h6>We use Keap. <a href="/p">Data protection</a></h6></div>`).includes('Subscribe'), false);
  // Text after it, even a link that ends with the heading's words, or a picture: it introduces them.
  t.ok(text(`${story}<h2>Style Editor</h2><p>View and edit CSS styles.</p><a href="/s">Learn more about Style Editor</a>`).includes('Style Editor'));
  t.ok(text(`${story}<h2>Test Case 2</h2><img src="https://example.org/p.jpg" alt="">`).includes('Test Case 2'));
  t.ok(text(`${story}<h2>The vote</h2>${more}`).includes('The vote'));
  // A content that is nothing but a heading keeps it.
  t.ok(text('<h2>Library stays open</h2>').includes('Library stays open'));  // Review of issue 14: a heading that is a list item's or a table cell's title is one of a series
  // (a how-to's last step), not a box's title; and a heading followed by a list, a code block, or
  // text inside nested boxes introduces them.
  t.ok(text(`${story}<ol><li><h3>Step 1: Mix the flour</h3><p>Mix the flour and the water.</p></li><li><h3>Step 2: Serve the bread warm</h3></li></ol>`).includes('Step 2: Serve'));
  t.ok(text(`${story}<table><tr><th>Year</th><td><h4>2024: the library stays open</h4></td></tr></table>`).includes('2024: the library'));
  t.ok(text(`${story}<dl><dt><h3>Opening hours</h3></dt><dd><h4>Closed on Sundays</h4></dd></dl>`).includes('Closed on Sundays'));
  t.ok(text(`${story}<h2>Opening hours</h2><ul><li>Monday 9-5</li></ul>`).includes('Opening hours'));
  t.ok(text(`${story}<h2>Example</h2><pre><code>npm install</code></pre>`).includes('Example'));
  t.ok(text(`${story}<h2>Conclusion</h2><div><div><p>The library stays open.</p></div></div>`).includes('Conclusion'));
  t.ok(text(`${story}<div><h2>Conclusion</h2></div><div><div>The library stays open.</div></div>`).includes('Conclusion'));
  // A box's title at the end is still removed when the box sits in a plain wrapper.
  t.equal(text(`${story}<div><section><h2>Explore topics</h2></section></div>`).includes('Explore topics'), false);
});
