// OPML output, with titles that would break hand-built XML.
import t from 'tap';
import { xml2js, type Element as XmlElement } from 'xml-js';
import { attr, child, children } from '../helpers/xml.ts';
import { writeOpml } from '../../src/publish/opml.ts';
import type { FeedDef } from '../../src/model/feed.ts';

const feed = (id: string, title: string): FeedDef => ({ id, title, description: `About "${title}" <b>&</b>\nline two`, sourceIds: ['s'], tags: {}, limit: 10, maxTags: 10, language: 'ru' });

t.test('hostile titles stay well-formed and round-trip', async (t) => {
  const titles = ['R&D "quoted" <b>', 'Казахстан 🇰🇿', 'bad\u0001control\uffffchars', 'עברית'];
  const text = writeOpml(titles.map((x, i) => feed(`f${i}`, x)), 'https://feeds.example', new Date('2026-01-01T00:00:00Z'));
  const doc = xml2js(text, { compact: false }) as XmlElement;
  const opml = child(doc, 'opml');
  t.equal(child(child(opml, 'head'), 'dateCreated').elements?.[0]?.text, 'Thu, 01 Jan 2026 00:00:00 GMT', 'RFC 822 date');
  const folders = children(child(opml, 'body'));
  t.same(folders.map((f) => attr(f, 'text')), ['R&D "quoted" <b>', 'Казахстан 🇰🇿', 'badcontrolchars', 'עברית']);
  const first = children(folders[0]!)[0]!;
  t.equal(attr(first, 'description'), 'About "R&D "quoted" <b>" <b>&</b>\nline two', 'line breaks survive as data');
  t.equal(attr(first, 'xmlUrl'), 'https://feeds.example/feeds/f0.atom');
  t.equal(attr(first, 'language'), 'ru');
});
