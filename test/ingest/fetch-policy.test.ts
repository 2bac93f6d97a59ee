// Who may be fetched (the SSRF guard and its allow-list) and how politely (one host gets at most
// perHostConcurrency requests at once), against a real origin on loopback.
import t, { type Test } from 'tap';
import { startOrigin } from '../helpers/origin.ts';
import { addressPolicy, isPublicAddress } from '../../src/ingest/fetch/address-guard.ts';
import { createFetcher, type FetchLimits } from '../../src/ingest/fetch/fetcher.ts';
import { IngestError } from '../../src/ingest/errors.ts';

const limits = (over: Partial<FetchLimits> = {}): FetchLimits => ({
  connectTimeoutMs: 2000,
  headersTimeoutMs: 5000,
  bodyTimeoutMs: 5000,
  maxBodyBytes: 1 << 20,
  maxRedirects: 5,
  userAgent: 'feedrelay-test',
  allowPrivateNetworks: false,
  fileRoot: '.',
  ...over,
});

async function refused(t: Test, p: Promise<unknown>, what: string) {
  try {
    await p;
    t.fail(`${what}: fetched`);
  } catch (e) {
    t.ok(e instanceof IngestError && e.errorClass === 'refused_address', `${what} (${(e as Error).message})`);
  }
}

t.test('the address policy', async (t) => {
  for (const ip of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', 'fd00::1', '::1', '::ffff:127.0.0.1', '0.0.0.0', '224.0.0.1', 'fe80::1']) {
    t.notOk(isPublicAddress(ip), `${ip} is not public`);
  }
  t.ok(isPublicAddress('93.184.216.34'));
  // Every IPv6 form that carries an IPv4 address is judged by that address.
  const embedding: [string, string][] = [
    ['::127.0.0.1', 'IPv4-compatible, dotted'],
    ['::7f00:1', 'IPv4-compatible, as WHATWG URL parsing writes [::127.0.0.1]'],
    ['::a9fe:a9fe', 'IPv4-compatible metadata address'],
    ['::ffff:7f00:1', 'IPv4-mapped, hex'],
    ['0:0:0:0:0:ffff:10.0.0.1', 'IPv4-mapped, uncompressed'],
    ['::ffff:0:a9fe:a9fe', 'IPv4-translated (SIIT)'],
    ['64:ff9b::7f00:1', 'NAT64 well-known prefix'],
    ['64:ff9b::808:808', 'NAT64 to a public address (the translator itself may sit inside)'],
    ['64:ff9b:1::a00:1', 'local-use NAT64'],
    ['2002:7f00:1::1', '6to4 of 127.0.0.1'],
    ['2002:c0a8:101::', '6to4 of 192.168.1.1'],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'Teredo whose client is 127.0.0.1'],
    ['2001:0:a9fe:a9fe::1', 'Teredo whose server is the metadata address'],
  ];
  for (const [ip, what] of embedding) t.notOk(isPublicAddress(ip), `${what}: ${ip} is not public`);
  for (const ip of ['::ffff:93.184.216.34', '2002:5db8:d822::1', '2606:4700::1111']) t.ok(isPublicAddress(ip), `${ip} is public`);
  const p = addressPolicy(false, ['10.1.0.0/16', '192.168.5.7', 'fd12::/16', 'wiki.corp.example', '*.intra.example']);
  t.ok(p.allows('10.1.200.3', 'x'), 'inside an allowed CIDR');
  t.notOk(p.allows('10.2.0.1', 'x'), 'outside it');
  t.ok(p.allows('192.168.5.7', 'x'), 'an allowed address');
  t.ok(p.allows('fd12::5', 'x'), 'an allowed IPv6 range');
  t.ok(p.allows('::ffff:10.1.0.9', 'x'), 'IPv4-mapped IPv6 is checked as its IPv4 address');
  t.ok(p.allows('10.9.9.9', 'wiki.corp.example'), 'an allowed host, whatever it resolves to');
  t.ok(p.allows('10.9.9.9', 'a.b.intra.example'), 'a wildcard host');
  t.notOk(p.allows('10.9.9.9', 'intra.example.evil.test'), 'not a suffix trick');
  t.notOk(p.allows('169.254.169.254', 'metadata'), 'the metadata address stays closed');
  t.ok(addressPolicy(true).allows('127.0.0.1', 'localhost'), 'allowPrivateNetworks opens everything');
});

t.test('the allow-list opens a private origin; without it the fetch is refused, classified', async (t) => {
  const origin = await startOrigin({ '/feed': (_q, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok') });
  t.teardown(() => origin.close());
  const port = new URL(origin.url).port;
  const closed = createFetcher(limits());
  t.teardown(() => closed.close());
  for (const url of [`${origin.url}/feed`, `http://localhost:${port}/feed`, `http://2130706433:${port}/feed`, `http://0x7f.1:${port}/feed`, `http://[::ffff:127.0.0.1]:${port}/feed`, `http://[::127.0.0.1]:${port}/feed`, `http://[::7f00:1]:${port}/feed`, `http://[2002:7f00:1::1]:${port}/feed`]) {
    await refused(t, closed.fetch({ url }), `refused: ${url}`);
  }
  t.equal(origin.hits.get('/feed'), undefined, 'nothing reached the origin');
  const byCidr = createFetcher(limits({ allow: ['127.0.0.0/8'] }));
  t.teardown(() => byCidr.close());
  t.equal((await byCidr.fetch({ url: `${origin.url}/feed` })).body.toString(), 'ok', 'allowed by CIDR');
  t.equal((await byCidr.fetch({ url: `http://localhost:${port}/feed` })).status, 200, 'a name resolving into the CIDR');
  const byHost = createFetcher(limits({ allow: ['localhost'] }));
  t.teardown(() => byHost.close());
  t.equal((await byHost.fetch({ url: `http://localhost:${port}/feed` })).status, 200, 'allowed by host name');
  await refused(t, byHost.fetch({ url: `${origin.url}/feed` }), 'the bare address is not that host');
});

t.test('at most perHostConcurrency requests at once to one host', async (t) => {
  let active = 0;
  let peak = 0;
  const origin = await startOrigin();
  t.teardown(() => origin.close());
  origin.routes.set('/slow', (_req, res) => {
    active++;
    peak = Math.max(peak, active);
    setTimeout(() => {
      active--;
      res.writeHead(200, { 'content-type': 'text/plain' }).end('x');
    }, 60);
  });
  for (const n of [2, 3]) {
    peak = 0;
    const f = createFetcher(limits({ allowPrivateNetworks: true, perHostConcurrency: n }));
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => f.fetch({ url: `${origin.url}/slow?i=${i}` })));
    await f.close();
    t.equal(results.length, 8, 'every request answered');
    t.equal(peak, n, `the origin saw at most ${n} at once`);
  }
});
