// What a page prints where a reader looks for its date: date boxes and <time>, the attributes
// that state them to the minute, the line under the headline.
import t from 'tap';
import { parseDocument } from '../../../src/ingest/dom.ts';
import { printedSignals } from '../../../src/ingest/page/printed.ts';

const signals = (body: string) => printedSignals(parseDocument(`<!doctype html><html><head><title>x</title></head><body>${body}</body></html>`).body);
const prose = `<p>${'The story itself goes on at some length, well past any header or date line. '.repeat(4)}</p>`;

t.test('an attribute of the date box states the printed date to the minute', async (t) => {
  // hAtom's value-title pattern: the title attribute holds the machine date.
  t.equal(signals(`<ul><li class="date-and-time" title="2015-03-13T21:00:00+11:00">March 13, 2015 9:00PM</li></ul>${prose}`).date, '2015-03-13T21:00:00+11:00');
  // A day in the box, its time on a <time> inside it.
  t.equal(signals(`<div class="article-meta"><a href="/u/x">By Travis Haney</a><span><time data-published="2016-12-09 09:13:00Z">Dec 9, 2016</time></span></div>${prose}`).date, '2016-12-09T09:13:00Z');
  // A zone-less time, and the box before it says its offset in a data- attribute.
  t.equal(signals(`<div class="author"><span class="date smart-date" data-origindate="2017-03-01 14:27:02 +0800"></span><span class="date">2017-03-01 14:27:02</span></div>${prose}`).date, '2017-03-01T14:27:02+08:00');
  // Unix time, in milliseconds or seconds, on a date box whose printed date has no full year.
  t.equal(signals(`<span data-publishtime="1425913200851" class="publish-time"><a href="/x">3/09/15 8:00am</a></span>${prose}`).date, '2015-03-09T15:00:00.851Z');
  t.equal(signals(`<p class="date"><span class="_timestamp" data-time="1466522845">Jun 21</span></p>${prose}`).date, '2016-06-21T15:27:25Z');
  // An attribute that disagrees with the printed date is not the printed date's.
  t.equal(signals(`<p class="date" data-time="2016-12-10 09:13:00Z">Dec 9, 2016</p>${prose}`).date, '2016-12-09');
});

t.test('a <time> without datetime is read by its text', async (t) => {
  t.equal(signals(`<h1>Headline</h1><div class="flex"><time>Dec 16, 2016 at 1:38 pm</time></div>${prose}`).date, '2016-12-16T13:38:00');
});

t.test('a caption’s date is not the article’s', async (t) => {
  t.equal(signals(`<figure><p class="image-metadata">Trump speaks in Sioux Center, Iowa, on Jan. 23, 2016. (AP)</p></figure>${prose}`).date, undefined);
});

t.test('a date printed on its own line in the header under the headline', async (t) => {
  t.equal(signals(`<header><h1>Bernal kämpft um seine Karriere</h1><div class="release"><span>dpa</span><span> am 25.01.2022</span></div></header>${prose}`).date, '2022-01-25');
  t.equal(signals(`<h1>Japanisches Mini-SUV auf dem Vormarsch</h1><div class="f_left"><div class="event_date">5. November 2021, 10:39 Uhr</div></div>${prose}`).date, '2021-11-05T10:39:00');
  // The line just above the headline is header too.
  t.equal(signals(`<div class="intro"><p class="subline">21. Jan 2022 // Dominik Ricker</p><h1>Perfekte Schnitte</h1></div>${prose}`).date, '2022-01-21');
  // Not a sentence that mentions a date, not a labelled last change, not a birth date.
  t.equal(signals(`<h1>Stammtisch</h1><p>Der nächste Stammtisch findet am Mi. 5. Februar 2020 statt.</p>${prose}`).date, undefined);
  t.equal(signals(`<h1>Schneekarten</h1><div><span>Letzte Änderung: 14.01.2022 um 09:25</span></div>${prose}`).date, undefined);
  t.equal(signals(`<h1>蔡健雅</h1><ul><li>1975年1月28日</li></ul>${prose}`).date, undefined);
  // After the body has begun, a date is no longer the header's.
  t.equal(signals(`<h1>Headline</h1>${prose}<div><span>04.02.2022</span></div>`).date, undefined);
});

t.test('hAtom “updated” as the value-title pattern writes it', async (t) => {
  const s = signals(`<div class="hentry"><span class="updated" title="2013-04-04T18:52:11+00:00"></span><h2>Schulnoten</h2>${prose}</div>`);
  t.equal(s.updated, '2013-04-04T18:52:11+00:00');
  t.equal(s.date, undefined, 'the last change is not the publication');
});

t.test('a definition list’s value is a date box by its class (Joomla’s dd.published, AO3’s stats)', async (t) => {
  t.equal(signals(`<dl class="article-info"><dt>Detalles</dt><dd class="published"> Publicado: Jueves, 21 Abril 2022 04:45 </dd></dl>${prose}`).date, '2022-04-21T04:45:00');
  t.equal(signals(`<dl class="stats"><dt class="published">Published:</dt><dd class="published">2017-08-15</dd></dl>${prose}`).date, '2017-08-15');
});

t.test('a related list, a teaser or a widget dates other posts, not this one', async (t) => {
  // A <time> is a date element, but in a related-stories list it is another story's.
  t.equal(signals(`<h1>Headline</h1>${prose}<div class="related"><ul><li><a href="/a">Older story</a> <time>March 3, 2015</time></li></ul></div>`).date, undefined);
  t.equal(signals(`<article><h1>Headline</h1>${prose}</article><section class="related-posts"><time datetime="2015-03-03T10:00:00Z">March 3, 2015</time></section>`).date, undefined);
  t.equal(signals(`<div class="teaser"><span class="date">12.01.2022</span><a href="/b">Other story</a></div><h1>Headline</h1>${prose}`).date, undefined);
  // A "latest posts" widget under the blog's name in an h1.
  t.equal(signals(`<header><h1>My Blog</h1><div class="widget widget_recent_entries"><ul><li><span>June 4, 2018</span></li></ul></div></header>${prose}`).date, undefined);
  t.equal(signals(`<h1 class="site-title">My Blog</h1><ul class="menu"><li><span>June 4, 2018</span></li></ul>${prose}`).date, undefined);
  // The story's own date beside them is still read.
  t.equal(signals(`<h1>Headline</h1><time datetime="2019-05-01T08:00:00+02:00">1. Mai 2019</time>${prose}<div class="related"><time>March 3, 2015</time></div>`).date, '2019-05-01T08:00:00+02:00');
});

t.test('a comment’s date is not the article’s; the author box’s date is', async (t) => {
  const comments = `<ul class="comments"><li><span class="metadata">geschrieben von berg2012 am 21. Jan. 2015, 19:04</span></li></ul>`;
  t.equal(signals(`<h1>Headline</h1>${prose}${comments}`).date, undefined);
  t.equal(signals(`<h1>Headline</h1><p>5343 mal gelesen | 32 Kommentare</p><div class="author"><a href="/autoren/gq">Georg Quaas</a>, 21. Jan. 2015 <div class="rating"><span>3</span><span>4</span><span>5</span></div></div>${prose}${comments}`).date, '2015-01-21');
});

t.test('a posted label in a paragraph far below the headline does not date the page', async (t) => {
  // Once a rule (traf-resonator-podcast.de's episode box, one site); removed in review: a later
  // episode's teaser or an album's release line opens with the same label.
  const notes = prose.repeat(6);
  t.equal(signals(`<h1>RES158</h1>${notes}<p>Veröffentlicht am 16.08.2019<br/> Dauer: 1 Stunde <br/>Lizenz: <a href="/cc">CC-BY 4.0</a> <br/>Downloads: 22.273</p>`).date, undefined);
  // A later paragraph that mentions a date without the label is not read.
  t.equal(signals(`<h1>RES158</h1>${notes}<p>Die Folge vom 16.08.2019<br/> Dauer: 1 Stunde <br/>Lizenz: <a href="/cc">CC-BY 4.0</a> <br/>Downloads: 22.273</p>`).date, undefined);
});
