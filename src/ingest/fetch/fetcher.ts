// The one fetcher for feeds and pages: http(s) through undici, file: inside a configured root.
// Limits (time, size, redirects) and the address guard live here so no caller can forget them.
import { Agent, request } from 'undici';
import { open, realpath } from 'node:fs/promises';
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';
import { IngestError } from '../errors.ts';
import { addressPolicy, guardedLookup, RefusedAddressError, type AddressPolicy } from './address-guard.ts';
import { isInside } from '../../lib/paths.ts';

export interface FetchLimits {
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  maxBodyBytes: number;
  maxRedirects: number;
  userAgent: string;
  allowPrivateNetworks: boolean;
  /** CIDRs, addresses and host names opened though private. */
  allow?: string[];
  /** Requests at once to one host (default 2). */
  perHostConcurrency?: number;
  fileRoot: string;
}

export interface FetchRequest {
  url: string;
  etag?: string | null;
  lastModified?: string | null;
  accept?: string;
}

export interface FetchResult {
  /** The URL the body came from, after redirects. */
  url: string;
  status: number;
  notModified: boolean;
  contentType: string | undefined;
  etag: string | undefined;
  lastModified: string | undefined;
  body: Buffer;
  /** Set when the first hops were permanent redirects (301/308): the source has moved there. */
  movedTo: string | undefined;
}

export const ACCEPT_FEED =
  'application/atom+xml, application/rss+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, application/json;q=0.7, text/html;q=0.5, */*;q=0.1';
export const ACCEPT_PAGE = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.1';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export interface Fetcher {
  fetch(req: FetchRequest): Promise<FetchResult>;
  /** Waits for requests in flight, then closes connections. */
  close(): Promise<void>;
  /** Aborts requests in flight at once (their fetches fail with a network error). */
  destroy(): Promise<void>;
}

/** At most `n` requests at once per host; the rest wait their turn, first come first served. */
function hostLimiter(n: number) {
  const hosts = new Map<string, { active: number; waiting: Array<() => void> }>();
  return async (host: string): Promise<() => void> => {
    let h = hosts.get(host);
    if (!h) hosts.set(host, (h = { active: 0, waiting: [] }));
    const slot = h;
    if (slot.active >= n) await new Promise<void>((resolve) => slot.waiting.push(resolve));
    else slot.active++;
    return () => {
      const next = slot.waiting.shift();
      if (next) next(); // the slot passes straight to the next in line
      else if (--slot.active === 0) hosts.delete(host);
    };
  };
}

export function createFetcher(limits: FetchLimits): Fetcher {
  const policy = addressPolicy(limits.allowPrivateNetworks, limits.allow);
  const perHost = hostLimiter(limits.perHostConcurrency ?? 2);
  const agent = new Agent({
    connect: { timeout: limits.connectTimeoutMs, lookup: guardedLookup(policy) },
    headersTimeout: limits.headersTimeoutMs,
    bodyTimeout: limits.bodyTimeoutMs,
    maxResponseSize: -1, // enforced below, after decompression too
  });
  return {
    fetch: async (req) => {
      if (req.url.startsWith('file:')) return fetchFile(req.url, limits);
      // Politeness: the host a fetch starts at gets at most perHostConcurrency requests at once.
      let host: string;
      try {
        host = new URL(req.url).host.toLowerCase();
      } catch {
        host = req.url;
      }
      const release = await perHost(host);
      try {
        return await fetchHttp(req, limits, agent, policy);
      } finally {
        release();
      }
    },
    close: () => agent.close(),
    destroy: () => agent.destroy(new Error('feedrelay is shutting down')),
  };
}

async function fetchFile(url: string, limits: FetchLimits): Promise<FetchResult> {
  let path: string;
  try {
    path = await realpath(fileURLToPath(url));
  } catch (err) {
    throw new IngestError('fetch', 'file', `cannot read ${url}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  if (!isInside(await realpath(resolve(limits.fileRoot)), path)) {
    throw new IngestError('fetch', 'refused_address', `${url} is outside fetch.fileRoot`);
  }
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    if (size > limits.maxBodyBytes) {
      throw new IngestError('fetch', 'too_large', `${url} is ${size} bytes, over the ${limits.maxBodyBytes}-byte limit`);
    }
    const body = await fh.readFile();
    return { url, status: 200, notModified: false, contentType: undefined, etag: undefined, lastModified: undefined, body, movedTo: undefined };
  } finally {
    await fh.close();
  }
}

function checkUrl(raw: string, policy: AddressPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new IngestError('fetch', 'bad_url', `not a valid URL: ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new IngestError('fetch', 'bad_url', `only http and https URLs are fetched, not ${url.protocol}`);
  }
  // WHATWG URL parsing already turned 2130706433, 0x7f.1 and friends into dotted form.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !policy.allows(host, host)) {
    throw new IngestError('fetch', 'refused_address', `${url.host} is not a public address`);
  }
  return url;
}

function header(h: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function classify(err: unknown, url: string): IngestError {
  if (err instanceof IngestError) return err;
  const e = err as NodeJS.ErrnoException & { cause?: unknown };
  const cause = (e.cause ?? e) as NodeJS.ErrnoException;
  if (cause instanceof RefusedAddressError || e instanceof RefusedAddressError) {
    return new IngestError('fetch', 'refused_address', `refused ${url}: ${(cause as Error).message}`, { cause: err });
  }
  const code = cause.code ?? e.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new IngestError('fetch', 'dns', `cannot resolve ${url}: ${code}`, { cause: err });
  if (/TIMEOUT/i.test(code) || e.name === 'TimeoutError' || e.name === 'AbortError') {
    return new IngestError('fetch', 'timeout', `timed out fetching ${url} (${code || e.name})`, { cause: err });
  }
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new IngestError('fetch', 'connect', `cannot connect to ${url}: ${code}`, { cause: err });
  }
  return new IngestError('fetch', 'network', `fetching ${url} failed: ${code || e.message}`, { cause: err });
}

async function fetchHttp(req: FetchRequest, limits: FetchLimits, agent: Agent, policy: AddressPolicy): Promise<FetchResult> {
  let url = checkUrl(req.url, policy);
  const seen = new Set<string>([url.href]);
  let movedTo: string | undefined;
  let stillPermanent = true;
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = {
      'user-agent': limits.userAgent,
      accept: req.accept ?? ACCEPT_FEED,
      'accept-encoding': 'gzip, deflate, br',
    };
    // Validators belong to the URL they came from; send them only on the first hop.
    if (hop === 0 && req.etag) headers['if-none-match'] = req.etag;
    if (hop === 0 && req.lastModified) headers['if-modified-since'] = req.lastModified;
    const deadline = AbortSignal.timeout(limits.headersTimeoutMs + limits.bodyTimeoutMs);
    let res;
    try {
      res = await request(url, { dispatcher: agent, method: 'GET', headers, signal: deadline });
    } catch (err) {
      throw classify(err, url.href);
    }
    const h = res.headers;
    if (REDIRECTS.has(res.statusCode)) {
      res.body.resume();
      const location = header(h, 'location');
      if (!location) throw new IngestError('fetch', 'http_status', `HTTP ${res.statusCode} without Location from ${url.href}`, { status: res.statusCode });
      if (hop >= limits.maxRedirects) {
        throw new IngestError('fetch', 'too_many_redirects', `more than ${limits.maxRedirects} redirects from ${req.url}`, { status: res.statusCode });
      }
      const next = checkUrl(new URL(location, url).href, policy);
      if (seen.has(next.href)) throw new IngestError('fetch', 'redirect_loop', `redirect loop at ${next.href}`, { status: res.statusCode });
      seen.add(next.href);
      if (stillPermanent && (res.statusCode === 301 || res.statusCode === 308)) movedTo = next.href;
      else stillPermanent = false;
      url = next;
      continue;
    }
    if (res.statusCode === 304) {
      res.body.resume();
      return { url: url.href, status: 304, notModified: true, contentType: header(h, 'content-type'), etag: header(h, 'etag'), lastModified: header(h, 'last-modified'), body: Buffer.alloc(0), movedTo };
    }
    if (res.statusCode < 200 || res.statusCode >= 300) {
      res.body.resume();
      throw new IngestError('fetch', 'http_status', `HTTP ${res.statusCode} from ${url.href}`, {
        status: res.statusCode,
        ...(res.statusCode === 429 || res.statusCode === 503 ? { retryAfter: parseRetryAfter(header(h, 'retry-after')) } : {}),
      });
    }
    const declared = Number(header(h, 'content-length'));
    if (Number.isFinite(declared) && declared > limits.maxBodyBytes) {
      res.body.destroy();
      throw new IngestError('fetch', 'too_large', `${url.href} declares ${declared} bytes, over the ${limits.maxBodyBytes}-byte limit`, { status: res.statusCode });
    }
    let body: Buffer;
    try {
      body = await readCapped(res.body, header(h, 'content-encoding'), limits.maxBodyBytes, url.href);
    } catch (err) {
      throw classify(err, url.href);
    }
    return {
      url: url.href,
      status: res.statusCode,
      notModified: false,
      contentType: header(h, 'content-type'),
      etag: header(h, 'etag'),
      lastModified: header(h, 'last-modified'),
      body,
      movedTo,
    };
  }
}

function decompressor(encoding: string | undefined): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | null {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return null;
  }
}

/** Reads a body, stopping as soon as either the wire bytes or the decoded bytes pass the cap. */
async function readCapped(stream: Readable, encoding: string | undefined, cap: number, url: string): Promise<Buffer> {
  const tooLarge = () => new IngestError('fetch', 'too_large', `${url} is over the ${cap}-byte limit`);
  const unzip = decompressor(encoding);
  const chunks: Buffer[] = [];
  let size = 0;
  if (!unzip) {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > cap) {
        stream.destroy();
        throw tooLarge();
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }
  let wire = 0;
  stream.on('data', (c: Buffer) => {
    wire += c.length;
    if (wire > cap) unzip.destroy(tooLarge());
  });
  stream.on('error', (e) => unzip.destroy(e));
  stream.pipe(unzip);
  try {
    for await (const chunk of unzip) {
      size += (chunk as Buffer).length;
      if (size > cap) throw tooLarge();
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    stream.destroy();
    if (err instanceof IngestError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('Z_') || code.startsWith('ERR_BROTLI') || code === 'ERR__ERROR_FORMAT_PADDING_1') {
      throw new IngestError('fetch', 'malformed', `${url}: bad ${encoding} body (${code})`, { cause: err });
    }
    throw err;
  } finally {
    unzip.destroy();
  }
  return Buffer.concat(chunks);
}
