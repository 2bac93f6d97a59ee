// Site and section names come off titles by the page's own signals: its h1, its declared site
// names, its host name; a title with no such signal is kept whole.
import t from 'tap';
import { articleTitle } from '../../../src/ingest/page/title.ts';

const base = { headlines: [] as string[], siteNames: [] as string[], url: 'https://example.org/a' };

t.test('the printed h1 when the machine title is it with names around it', async (t) => {
  t.equal(articleTitle({ ...base, title: 'Opinion | Enough platitudes: Let’s name names', headlines: ['Enough platitudes: Let’s name names'] }), 'Enough platitudes: Let’s name names');
  t.equal(articleTitle({ ...base, title: 'Nikki Haley to Resign (Published 2018)', headlines: ['Nikki Haley to Resign'] }), 'Nikki Haley to Resign');
  // An h1 that is the site's name is not the headline.
  t.equal(articleTitle({ ...base, title: 'Blister: Line Outline', headlines: ['Blister'], url: 'https://blisterreview.com/x' }), 'Line Outline');
});

t.test('declared site names and host names at either end', async (t) => {
  t.equal(articleTitle({ ...base, title: 'How to Build a Terrarium | eHow', url: 'https://www.ehow.com/x' }), 'How to Build a Terrarium');
  t.equal(articleTitle({ ...base, title: 'TechCrunch | 2005 Zuckerberg', siteNames: ['TechCrunch'] }), '2005 Zuckerberg');
  t.equal(articleTitle({ ...base, title: '这个约会软件_智能_好奇心日报', siteNames: ['好奇心日报'] }), '这个约会软件_智能');
  t.equal(articleTitle({ ...base, title: 'LWN.net Weekly Edition for March 26, 2015 [LWN.net]', url: 'https://lwn.net/x' }), 'LWN.net Weekly Edition for March 26, 2015');
  // The title's own separators stay.
  t.equal(articleTitle({ ...base, title: 'Friday Facts #282 - 0.17 in sight | Factorio', url: 'https://www.factorio.com/x' }), 'Friday Facts #282 - 0.17 in sight');
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
