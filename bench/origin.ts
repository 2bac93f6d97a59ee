// The bench's origin, in its own process so that its memory and CPU are not feedrelay's:
// GET /s/<n> answers a 10-item RSS feed for source n, with an ETag; a matching If-None-Match
// gets 304. ORIGIN_DELAY_MS adds that much latency to every answer. Prints its port on stdout.
//
// With ORIGIN_CHANGE_SECONDS the feeds change: a new generation every that many seconds, in
// which each source but every fifth one (those stay still, and answer 304 to a refetch) gains a
// post and revises an older one. GET /generation answers the current generation's number.
import { createServer } from 'node:http';

const CONTENT = `<p>${'The long-delayed extension of the metro line opened on Tuesday. '.repeat(8)}</p>`;

const item = (n: number, i: number, pubDate: string, revision: string) =>
  `<item><title>Source ${n} post ${i}: Almaty metro news${revision}</title><link>https://s${n}.example/post/${i}</link><guid>https://s${n}.example/?p=${i}</guid><pubDate>${pubDate}</pubDate><category>Almaty</category><description>Short excerpt of post ${i}.</description><content:encoded><![CDATA[${CONTENT}${revision ? `<p>${revision}</p>` : ''}<figure><img src="https://s${n}.example/i${i}.jpg" alt="Platform"><figcaption>Caption ${i}</figcaption></figure>]]></content:encoded></item>`;

const delayMs = Number(process.env['ORIGIN_DELAY_MS'] ?? 0);
const periodMs = Number(process.env['ORIGIN_CHANGE_SECONDS'] ?? 0) * 1000;
// Generations turn half a period off the wall clock's multiples of the period, so a fetch
// scheduled on those multiples (cron `*/10 * * * * *` for 10 s) lands mid-generation, never on a
// turn: each scheduled fetch sees exactly one generation more than the one before.
const turn = (at: number) => Math.floor((at - periodMs / 2) / periodMs);
const started = Date.now();
const generation = () => (periodMs > 0 ? turn(Date.now()) - turn(started) : 0);
/** When generation g began (generation 0: when the origin started). */
const generationStart = (g: number) => (g <= 0 ? started + g * periodMs : (turn(started) + g) * periodMs + periodMs / 2);

const changes = (n: number) => periodMs > 0 && n % 5 !== 4;

/** Generation g of source n: posts g..g+9, post g+9 new (dated when g began) and post g+4 revised
 * (post i is revised in generation i-4 and stays so). */
function items(n: number, g: number): string {
  if (!changes(n)) {
    return Array.from({ length: 10 }, (_, i) => item(n, i, `Mon, 0${1 + (i % 9)} Jan 2024 10:00:00 +0000`, '')).join('');
  }
  return Array.from({ length: 10 }, (_, k) => {
    const i = g + k;
    return item(n, i, new Date(generationStart(i - 9)).toUTCString(), i >= 5 && i <= g + 4 ? ` (revised in generation ${i - 4})` : '');
  }).join('');
}

const server = createServer((req, res) => {
  if (delayMs > 0) setTimeout(answer, delayMs, req, res);
  else answer(req, res);
});

function answer(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) {
  if (req.url === '/generation') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(generation()));
  const n = Number(/^\/s\/(\d+)/.exec(req.url ?? '')?.[1] ?? -1);
  if (n < 0) return res.writeHead(404).end();
  const g = changes(n) ? generation() : 0;
  const etag = `"s${n}-v${1 + g}"`;
  if (req.headers['if-none-match'] === etag) return res.writeHead(304, { etag }).end();
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag });
  res.end(`<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>S${n}</title><link>https://s${n}.example/</link><description>d</description>${items(n, g)}</channel></rss>`);
}
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => { console.log((server.address() as { port: number }).port); });
