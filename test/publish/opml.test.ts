// OPML output, with titles that would break hand-built XML.
import t from 'tap';
import { xml2js, type Element as XmlElement } from 'xml-js';
import { writeOpml } from '../../src/publish/opml.ts';
import type { FeedDef } from '../../src/model/feed.ts';

const feed = (id: string, title: string): FeedDef => ({ id, title, description: `About "${title}" <b>&</b>\nline two`, sourceIds: ['s'], tags: {}, limit: 10, maxTags: 10, language: 'ru' });

t.test('hostile titles stay well-formed and round-trip', async (t) => {
  const titles = ['R&D "quoted" <b>', 'Казахстан 🇰🇿', 'bad\u0001control\uffffchars', 'עברית'];
  const text = writeOpml(titles.map((x, i) => feed(`f${i}`, x)), 'https://feeds.example', new Date('2026-01-01T00:00:00Z'));
  const doc = xml2js(text, { compact: false }) as XmlElement;
  const opml = doc.elements!.find((e) => e.name === 'opml')!;
  const head = opml.elements!.find((e) => e.name === 'head')!;
  t.equal(head.elements!.find((e) => e.name === 'dateCreated')!.elements![0]!.text, 'Thu, 01 Jan 2026 00:00:00 GMT', 'RFC 822 date');
  const folders = opml.elements!.find((e) => e.name === 'body')!.elements!;
  t.same(folders.map((f) => f.attributes!['text']), ['R&D "quoted" <b>', 'Казахстан 🇰🇿', 'badcontrolchars', 'עברית']);
  const first = folders[0]!.elements![0]!;
  t.equal(first.attributes!['description'], 'About "R&D "quoted" <b>" <b>&</b>\nline two', 'line breaks survive as data');
  t.equal(first.attributes!['xmlUrl'], 'https://feeds.example/feeds/f0.atom');
  t.equal(first.attributes!['language'], 'ru');
});
