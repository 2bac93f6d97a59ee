// Dates as machines and pages write them, read to the instant they state.
import t from 'tap';
import { isZeroDate, moreExact, parseDate, urlDate, visibleDate } from '../../../src/ingest/normalize/dates.ts';

t.test('machine dates that CMSs miswrite still name their instant', async (t) => {
  // Milliseconds after a colon (a JSON-LD datePublished seen in the wild).
  t.equal(parseDate('2022-01-10T22:06:08:684Z')?.toISOString(), '2022-01-10T22:06:08.684Z');
  // An offset without its leading zero (itemprop datePublished "2018-10-29T10:15-500").
  t.equal(parseDate('2018-10-29T10:15-500')?.toISOString(), '2018-10-29T15:15:00.000Z');
  t.equal(parseDate('2018-10-29T10:15:00+0530')?.toISOString(), '2018-10-29T04:45:00.000Z', 'a four-digit offset is left alone');
  t.equal(parseDate('2022-5-3T23:57:00')?.toISOString(), '2022-05-03T23:57:00.000Z', 'month and day without their zeros');
  t.equal(parseDate('20180619T055000+0900')?.toISOString(), '2018-06-18T20:50:00.000Z', "ISO 8601's basic format");
  t.equal(parseDate('2022-13-45T10:00:00'), undefined, 'still a date or nothing');
});

t.test('a printed zone after the time', async (t) => {
  t.equal(visibleDate('Updated: Oct 9, 2019, 11:05 IST'), '2019-10-09T11:05:00+05:30');
  // Text run together from neighbouring elements: the zone is still the zone.
  t.equal(visibleDate('Updated: Oct 9, 2019, 11:05 ISTShareAA+Text Size'), '2019-10-09T11:05:00+05:30');
  // The US zones written without standard/daylight take the offset of that day.
  t.equal(visibleDate('EXCLUSIVE 11/28/2016 11:00 AM PT'), '2016-11-28T11:00:00-08:00');
  t.equal(visibleDate('7/28/2016 11:00 AM PT'), '2016-07-28T11:00:00-07:00');
  t.equal(visibleDate('June 1, 2019 9:30 AM ET'), '2019-06-01T09:30:00-04:00');
  t.equal(visibleDate('March 3, 2020 10:00 GMT+1'), '2020-03-03T10:00:00+01:00');
  t.equal(visibleDate('Monday, February 29, 2016 @ 11:10 PM UTC'), '2016-02-29T23:10:00Z');
  // Not a zone: a word that follows, in any case.
  t.equal(visibleDate('5. November 2021, 10:39 Uhr Stuttgart'), '2021-11-05T10:39:00');
  t.equal(visibleDate('March 9 2017 4:21 PM et cetera'), '2017-03-09T16:21:00');
  // Nor a longer name in capitals that starts like a zone: a news agency, a broadcaster, a fund.
  t.equal(visibleDate('Oct 9, 2019, 11:05 PTI'), '2019-10-09T11:05:00');
  t.equal(visibleDate('5. November 2021, 10:39 ZDF'), '2021-11-05T10:39:00');
  t.equal(visibleDate('June 1, 2019 9:30 AM ETF'), '2019-06-01T09:30:00');
});

t.test('of two statements of one date, the one that says more', async (t) => {
  t.equal(moreExact('2016-12-09', '2016-12-09T09:13:00Z'), '2016-12-09T09:13:00Z');
  t.equal(moreExact('2017-03-01T14:27:00', '2017-03-01T14:27:02+08:00'), '2017-03-01T14:27:02+08:00');
  t.equal(moreExact('2017-03-01T14:27:00', '2017-03-01T15:27:00+08:00'), '2017-03-01T14:27:00', 'another time is another statement');
  t.equal(moreExact('2017-03-01', '2017-03-02T10:00:00Z'), '2017-03-01', 'another day too');
  t.equal(moreExact(undefined, '2017-03-01'), '2017-03-01');
});

t.test('a CMS’s empty date states nothing', async (t) => {
  t.ok(isZeroDate('0001-01-01T00:00:00Z'), "Go's zero time");
  t.ok(isZeroDate('0001-01-01T00:00:00'), ".NET's DateTime.MinValue");
  t.ok(isZeroDate('1970-01-01T00:00:00Z'), 'the Unix epoch');
  t.notOk(isZeroDate('1970-01-01T13:20:00Z'), 'a time on that day is a time');
  t.notOk(isZeroDate('2019-11-19T00:00:00Z'));
});

t.test('the day a permalink names', async (t) => {
  t.equal(urlDate('http://www.bibliothek2null.de/2014/05/18/alles-neue-mach-der-mai/'), '2014-05-18');
  t.equal(urlDate('https://example.org/2016/12/15/slug'), '2016-12-15');
  t.equal(urlDate('https://example.org/2016/12/slug/'), undefined, 'a month is not a day');
  t.equal(urlDate('https://example.org/products/1234/56/78/'), undefined);
  t.equal(urlDate('https://example.org/story?date=2016/12/15'), undefined, 'the path only');
});
