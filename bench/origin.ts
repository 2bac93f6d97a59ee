// The bench's origin, in its own process so that its memory and CPU are not feedrelay's:
// GET /s/<n> answers a 10-item RSS feed for source n, with an ETag; a matching If-None-Match
// gets 304. ORIGIN_DELAY_MS adds that much latency to every answer. Prints its port on stdout.
import { createServer } from 'node:http';

const items = (n: number) =>
  Array.from(
    { length: 10 },
    (_, i) =>
      `<item><title>Source ${n} post ${i}: Almaty metro news</title><link>https://s${n}.example/post/${i}</link><guid>https://s${n}.example/?p=${i}</guid><pubDate>Mon, 0${1 + (i % 9)} Jan 2024 10:00:00 +0000</pubDate><category>Almaty</category><description>Short excerpt of post ${i}.</description><content:encoded><![CDATA[<p>${'The long-delayed extension of the metro line opened on Tuesday. '.repeat(8)}</p><figure><img src="https://s${n}.example/i${i}.jpg" alt="Platform"><figcaption>Caption ${i}</figcaption></figure>]]></content:encoded></item>`,
  ).join('');

const delayMs = Number(process.env['ORIGIN_DELAY_MS'] ?? 0);

const server = createServer((req, res) => {
  if (delayMs > 0) setTimeout(answer, delayMs, req, res);
  else answer(req, res);
});

function answer(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) {
  const n = Number(/^\/s\/(\d+)/.exec(req.url ?? '')?.[1] ?? -1);
  if (n < 0) return res.writeHead(404).end();
  const etag = `"s${n}-v1"`;
  if (req.headers['if-none-match'] === etag) return res.writeHead(304, { etag }).end();
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag });
  res.end(`<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>S${n}</title><link>https://s${n}.example/</link><description>d</description>${items(n)}</channel></rss>`);
}
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => { console.log((server.address() as { port: number }).port); });
