// Site and section names come off titles by the page's own signals: its headings, its declared
// site names, its host name; a title with no such signal is kept whole. The printed headline wins
// where the machine title is a rewording of it for sharing.
import t from 'tap';
import { parseFragment } from '../../../src/ingest/dom.ts';
import { articleTitle, readHeading, type Heading } from '../../../src/ingest/page/title.ts';

const base = { headings: [] as Heading[], siteNames: [] as string[], url: 'https://example.org/a' };
const h1 = (text: string, more: Partial<Heading> = {}): Heading => ({ text, level: 1, inArticle: false, alternative: false, parts: [text], ...more });
const h2 = (text: string, more: Partial<Heading> = {}): Heading => h1(text, { level: 2, ...more });
const headingsOf = (html: string) => Array.from(parseFragment(html).documentElement.querySelectorAll('h1, h2')).map(readHeading);

t.test('the printed h1 when the machine title is it with names around it', async (t) => {
  t.equal(articleTitle({ ...base, title: 'Opinion | Enough platitudes: Let’s name names', headings: [h1('Enough platitudes: Let’s name names')] }), 'Enough platitudes: Let’s name names');
  t.equal(articleTitle({ ...base, title: 'Nikki Haley to Resign (Published 2018)', headings: [h1('Nikki Haley to Resign')] }), 'Nikki Haley to Resign');
  // An h1 that is the site's name is not the headline.
  t.equal(articleTitle({ ...base, title: 'Blister: Line Outline', headings: [h1('Blister')], url: 'https://blisterreview.com/x' }), 'Line Outline');
  // A name the title goes on from is the title's own ("Lina Morgana on Twitter").
  t.equal(articleTitle({ ...base, title: 'Lina Morgana on Twitter', siteNames: ['Twitter'], headings: [h1('Lina Morgana')] }), 'Lina Morgana on Twitter');
  // Headline first, then the project's name (a Sphinx page prints both as h1): the headline.
  const sphinx = headingsOf('<div class="header"><h1>evolve extension for Mercurial</h1></div><div class="section"><h1>Evolve: Shared Mutable History<a class="headerlink" href="#x">¶</a></h1></div>');
  t.equal(sphinx[1]!.text, 'Evolve: Shared Mutable History', 'the permalink sign is no part of the heading');
  t.equal(articleTitle({ ...base, title: 'Evolve: Shared Mutable History — evolve extension for Mercurial', headings: sphinx }), 'Evolve: Shared Mutable History');
  // Readability cut "Evolve:" off the <title>; the <title> still starts with the headline.
  t.equal(
    articleTitle({ ...base, title: 'Shared Mutable History — evolve extension for Mercurial', docTitle: 'Evolve: Shared Mutable History — evolve extension for Mercurial', headings: sphinx }),
    'Evolve: Shared Mutable History',
  );
});

t.test('the post title as an h2 that the title starts with, the rest being names', async (t) => {
  const blog = headingsOf('<h1>Hi, I’m Nicolas.</h1><article><h2><a itemprop="name" href="/x">Get your Frontend JavaScript Code Covered</a></h2></article>');
  t.equal(articleTitle({ ...base, title: 'Get your Frontend JavaScript Code Covered | Code', headings: blog }), 'Get your Frontend JavaScript Code Covered');
  t.equal(articleTitle({ ...base, title: '新竹尖石_美樹營地賞楓 (2) @ 史蒂文的家_藍天', headings: [h2('新竹尖石_美樹營地賞楓 (2)')] }), '新竹尖石_美樹營地賞楓 (2)');
  t.equal(
    articleTitle({ ...base, title: 'Conversations with a Cryptid - Chapter 1 - AMournfulHowlInTheNight | Boku no Hero Academia', headings: [h2('Conversations with a Cryptid')] }),
    'Conversations with a Cryptid',
  );
  // A section's name as an h2 is shorter than what follows it: not the headline.
  t.equal(articleTitle({ ...base, title: 'Recipes - Chicken soup with barley', headings: [h2('Recipes')] }), 'Recipes - Chicken soup with barley');
});

t.test('declared site names and host names at either end', async (t) => {
  t.equal(articleTitle({ ...base, title: 'How to Build a Terrarium | eHow', url: 'https://www.ehow.com/x' }), 'How to Build a Terrarium');
  t.equal(articleTitle({ ...base, title: 'TechCrunch | 2005 Zuckerberg', siteNames: ['TechCrunch'] }), '2005 Zuckerberg');
  t.equal(articleTitle({ ...base, title: 'LWN.net Weekly Edition for March 26, 2015 [LWN.net]', url: 'https://lwn.net/x' }), 'LWN.net Weekly Edition for March 26, 2015');
  // The title's own separators stay.
  t.equal(articleTitle({ ...base, title: 'Friday Facts #282 - 0.17 in sight | Factorio', url: 'https://www.factorio.com/x' }), 'Friday Facts #282 - 0.17 in sight');
  // A Twitter handle names a brand, whose product a title may open with: handles count at the end only.
  t.equal(articleTitle({ ...base, title: 'Firefox — Customize and make it your own', siteNames: ['Mozilla', '@firefox'] }), 'Firefox — Customize and make it your own');
  t.equal(articleTitle({ ...base, title: 'Customize and make it your own | Firefox', siteNames: ['@firefox'] }), 'Customize and make it your own');
  // og:site_name as written, at the end, even where it is longer than the headline.
  t.equal(articleTitle({ ...base, title: 'Emden - Sehenswürdigkeiten Attraktionen', siteNames: ['Sehenswürdigkeiten Attraktionen'] }), 'Emden');
  t.equal(articleTitle({ ...base, title: '美樹營地賞楓 (2) @ 史蒂文的家_藍天', siteNames: ['史蒂文的家_藍天'] }), '美樹營地賞楓 (2)');
});

t.test('"Title_Channel_Site", the Chinese portals’ unspaced form', async (t) => {
  t.equal(articleTitle({ ...base, title: '这个约会软件，想用你和对方的相似好恶来帮你找对象_智能_好奇心日报', siteNames: ['好奇心日报'] }), '这个约会软件，想用你和对方的相似好恶来帮你找对象');
  t.equal(articleTitle({ ...base, title: '海外留学生看两会：出国前后关注点大不同_教育频道_中国青年网' }), '海外留学生看两会：出国前后关注点大不同');
  // Two parts say nothing of which is the site's.
  t.equal(articleTitle({ ...base, title: '蔡健雅_百度百科' }), '蔡健雅_百度百科');
  // In Latin script an underscore is part of a name.
  t.equal(articleTitle({ ...base, title: 'Python tips: read_config_file' }), 'Python tips: read_config_file');
});

t.test('a kicker printed in its own element comes off the title', async (t) => {
  const spektrum = headingsOf('<header><h2><span class="content__kicker">Genetik</span><span class="sr-only">: </span> <span class="content__title">Das Geheimnis der parasitischen Riesenblumen</span></h2></header>');
  t.same(spektrum[0]!.parts, ['Genetik', 'Das Geheimnis der parasitischen Riesenblumen']);
  t.equal(articleTitle({ ...base, title: 'Genetik: Das Geheimnis der parasitischen Riesenblumen', headings: spektrum }), 'Das Geheimnis der parasitischen Riesenblumen');
  const outdoor = headingsOf('<h2><span class="subline">Vanlife in Schweden</span> <span class="headline">Skandinavien im Wohnmobil erleben</span></h2>');
  t.equal(articleTitle({ ...base, title: 'Vanlife in Schweden - Skandinavien', ogTitle: 'Vanlife in Schweden: Skandinavien im Wohnmobil erleben', headings: outdoor }), 'Skandinavien im Wohnmobil erleben');
  // One text the parser split at an entity is one part, not a kicker and a headline.
  const split = headingsOf('<h2 itemprop="headline"><span>The 5 Biggest Mistakes Millennials Make &#x2014; and How to Solve Them</span></h2>');
  t.equal(split[0]!.parts.length, 1);
  t.equal(articleTitle({ ...base, title: 'The 5 Biggest Mistakes Millennials Make — and How to Solve Them', headings: split }), 'The 5 Biggest Mistakes Millennials Make — and How to Solve Them');
});

t.test('the printed headline over og:title, its rewording for sharing', async (t) => {
  const og = 'Lady Gaga Shares Pic of Ex Taylor Kinney With Her Mom';
  const printed = 'Lady Gaga Shares Photo of Ex Taylor Kinney Hanging With Her Mom and Now We’re Confused';
  const article = headingsOf(`<main><article><header><h1 class="content-title">${printed}</h1></header></article></main>`);
  t.equal(article[0]!.inArticle, true);
  t.equal(articleTitle({ ...base, title: og, ogTitle: og, headings: article }), printed);
  // hAtom's entry-title marks the entry's title outside any article element.
  const entry = headingsOf('<div class="title-wrap"><h1 class="entry-title">Wein dekantieren: Alles Wissenswerte rund um einen besonderen Schritt</h1></div>');
  t.equal(articleTitle({ ...base, title: 'Wein dekantieren: Alles Wissenswerte zusammengefasst', ogTitle: 'Wein dekantieren: Alles Wissenswerte zusammengefasst', headings: entry }), 'Wein dekantieren: Alles Wissenswerte rund um einen besonderen Schritt');
  // Not: an h1 outside the article, a breadcrumb's, schema.org's alternativeHeadline, one with
  // other words, the title with a kicker before it, or a page with no og:title.
  t.equal(articleTitle({ ...base, title: og, ogTitle: og, headings: [h1(printed)] }), og);
  const crumb = headingsOf(`<article><nav><ol><li><h1>${printed}</h1></li></ol></nav></article>`);
  t.equal(crumb[0]!.inArticle, false);
  const alt = headingsOf(`<article><h1 itemprop="alternativeHeadline">${printed}</h1></article>`);
  t.equal(articleTitle({ ...base, title: og, ogTitle: og, headings: alt }), og);
  t.equal(articleTitle({ ...base, title: 'The Modern Ambitions Behind Neon', ogTitle: 'The Modern Ambitions Behind Neon', headings: [h1('Why Neon Is the Ultimate Symbol of the 20th Century', { inArticle: true })] }), 'The Modern Ambitions Behind Neon');
  const kicker = 'Eigentumsvorbehalt: Das sollten Käufer und Verkäufer wissen';
  t.equal(articleTitle({ ...base, title: kicker, ogTitle: kicker, headings: [h1(`Forderungsausfälle vermeiden ${kicker}`, { inArticle: true })] }), kicker);
  t.equal(articleTitle({ ...base, title: 'This is a long title with a colon: Hello there', headings: [h1('This is a long title with a colon: But the final text here is different', { inArticle: true })] }), 'This is a long title with a colon: Hello there');
});

t.test('the <title> and the printed h1 agree against og:title', async (t) => {
  t.equal(
    articleTitle({ ...base, title: 'Schrödinger’s Hack', ogTitle: 'Schrödinger’s Hack', docTitle: 'Hacking, Cryptography, and the Countdown to Quantum Computing | The New Yorker', siteNames: ['The New Yorker'], headings: [h1('Hacking, Cryptography, and the Countdown to Quantum Computing')] }),
    'Hacking, Cryptography, and the Countdown to Quantum Computing',
  );
  // Only two of them: a <title> the h1 does not print leaves og:title standing.
  t.equal(articleTitle({ ...base, title: 'Schrödinger’s Hack', ogTitle: 'Schrödinger’s Hack', docTitle: 'Quantum hacking | The New Yorker', siteNames: ['The New Yorker'], headings: [h1('Hacking, Cryptography, and the Countdown')] }), 'Schrödinger’s Hack');
});

t.test('nothing to go by: the title stays whole', async (t) => {
  t.equal(articleTitle({ ...base, title: 'Prince and the Revolution – Purple Rain' }), 'Prince and the Revolution – Purple Rain');
  t.equal(articleTitle({ ...base, title: 'Why Donald Trump won’t change' }), 'Why Donald Trump won’t change');
  // Never down to the site name alone.
  t.equal(articleTitle({ ...base, title: 'Example', url: 'https://example.org/' }), 'Example');
});

t.test('an en or em dash name on the document title, as Readability does for | and -', async (t) => {
  t.equal(articleTitle({ ...base, title: 'Lorem ipsum dolor sit amet – My website', docTitle: 'Lorem ipsum dolor sit amet – My website' }), 'Lorem ipsum dolor sit amet');
});
