// Encodings: Cyrillic in every encoding Russian and Kazakh sources use, declared in each place a
// charset can be declared (BOM, Content-Type, XML prolog, <meta>), undeclared, and mislabelled.
import t from 'tap';
import iconv from 'iconv-lite';
import { decode } from '../../src/ingest/format/decode.ts';
import { parseFeed } from '../../src/ingest/format/parse-feed.ts';
import { detectFormat } from '../../src/ingest/format/detect.ts';
import { extractPage } from '../../src/ingest/page/extract.ts';

const TITLE = 'Протесты в Алматы: что произошло 5 января';
const BODY = 'Массовые протесты, начавшиеся в начале января в Жанаозене из-за резкого роста цен на сжиженный газ, переросли в столкновения в Алматы. Демонстранты захватили здание городского акимата, а президент обратился за помощью к ОДКБ.';
const rss = (prolog: string) =>
  `${prolog}<rss version="2.0"><channel><title>Степной вестник</title><link>https://x.example/</link><description>Новости</description><item><title>${TITLE}</title><link>https://x.example/a</link><description>${BODY}</description></item></channel></rss>`;
const html = (meta: string) => `<!doctype html><html lang="ru"><head>${meta}<title>${TITLE}</title></head><body><article><h1>${TITLE}</h1><p>${BODY}</p><p>${BODY}</p></article></body></html>`;

async function titleOf(buf: Buffer, contentType?: string) {
  const { text, charset } = decode(buf, contentType);
  const format = detectFormat(text, contentType);
  const feed = format === 'html' ? extractPage(text, 'https://x.example/a') : await parseFeed(text, format);
  return { title: feed.items[0]?.title, charset };
}

const cases: Array<[string, Buffer, string | undefined, string]> = [
  ['windows-1251 in Content-Type', iconv.encode(rss('<?xml version="1.0"?>'), 'windows-1251'), 'application/rss+xml; charset=windows-1251', 'windows-1251'],
  ['windows-1251 in the XML prolog only', iconv.encode(rss('<?xml version="1.0" encoding="windows-1251"?>'), 'windows-1251'), 'application/rss+xml', 'windows-1251'],
  ['KOI8-R in the XML prolog only', iconv.encode(rss('<?xml version="1.0" encoding="KOI8-R"?>'), 'koi8-r'), 'text/xml', 'koi8-r'],
  ['KOI8-R in <meta http-equiv>', iconv.encode(html('<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'), 'koi8-r'), 'text/html', 'koi8-r'],
  ['windows-1251 in <meta charset>', iconv.encode(html('<meta charset="windows-1251">'), 'windows-1251'), 'text/html', 'windows-1251'],
  ['UTF-16LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(rss('<?xml version="1.0" encoding="UTF-16"?>'), 'utf-16le')]), 'application/xml', 'utf-16le'],
  ['UTF-16BE with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(rss('<?xml version="1.0" encoding="UTF-16"?>'), 'utf-16be')]), undefined, 'utf-16be'],
  ['UTF-16LE without a BOM', iconv.encode(rss('<?xml version="1.0" encoding="UTF-16"?>'), 'utf-16le'), undefined, 'utf-16le'],
  ['UTF-8 with a BOM, mislabelled windows-1251', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rss('<?xml version="1.0"?>'))]), 'text/xml; charset=windows-1251', 'utf-8'],
  ['UTF-8 labelled ISO-8859-1 (the classic lie)', Buffer.from(rss('<?xml version="1.0" encoding="ISO-8859-1"?>')), 'application/rss+xml; charset=ISO-8859-1', 'utf-8'],
  ['UTF-8 labelled windows-1251', Buffer.from(rss('<?xml version="1.0"?>')), 'application/rss+xml; charset=windows-1251', 'utf-8'],
  ['undeclared windows-1251 (guessed)', iconv.encode(rss('<?xml version="1.0"?>'), 'windows-1251'), 'application/rss+xml', 'windows-1251'],
  ['undeclared KOI8-R (guessed)', iconv.encode(rss('<?xml version="1.0"?>'), 'koi8-r'), undefined, 'koi8-r'],
  ['undeclared UTF-8', Buffer.from(html('')), 'text/html', 'utf-8'],
];

for (const [what, buf, contentType, charset] of cases) {
  t.test(what, async (t) => {
    const got = await titleOf(buf, contentType);
    t.equal(got.charset, charset);
    t.equal(got.title, TITLE);
  });
}

t.test('Latin-1 text stays Latin-1, and an unknown label falls back to UTF-8', async (t) => {
  const latin = iconv.encode('<p>Café crème à Genève</p>', 'latin1');
  t.equal(decode(latin, 'text/html; charset=iso-8859-1').text, '<p>Café crème à Genève</p>');
  t.equal(decode(latin).charset, 'windows-1252', 'undeclared Western text is guessed as windows-1252');
  t.equal(decode(Buffer.from('<p>Привет</p>'), 'text/html; charset=x-no-such-charset').text, '<p>Привет</p>');
});

t.test('invalid bytes become U+FFFD and never throw', async (t) => {
  const bad = Buffer.concat([Buffer.from('<p>ok '), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xf0, 0x28, 0x8c, 0xbc]), Buffer.from(' ok</p>')]);
  const { text } = decode(bad, 'text/html; charset=utf-8');
  t.match(text, /^<p>ok .*\uFFFD.* ok<\/p>$/);
  const utf16odd = Buffer.from([0xff, 0xfe, 0x3c, 0x00, 0x70]);
  t.doesNotThrow(() => decode(utf16odd));
});
