// Security headers (helmet), load shedding (under-pressure) and an optional per-client rate
// limit, registered once for the whole app.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import underPressure from '@fastify/under-pressure';
import rateLimit from '@fastify/rate-limit';
import type { Config } from '../config/schema.ts';
import { HttpError } from './errors.ts';
import { routeOf } from './observe.ts';

/** The HTML index has no script: nothing may run, styles are its one inline block, images come
 * from the articles' sites. */
const CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    imgSrc: ['https:', 'http:', 'data:'],
    styleSrc: ["'unsafe-inline'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
};

/** Probes and scrapes must still answer while the process sheds load. */
const NEVER_SHED = new Set(['/healthz', '/metrics']);

/** Routes a rate limit covers: the JSON API and admin, never the feeds readers poll. */
const LIMITED = /^\/(articles|admin)(\/|\?|$)/;

const HELMET: HelmetOptions = {
  contentSecurityPolicy: CSP,
  // Feeds and the API are for other sites to read (readers in the browser, widgets).
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  // TLS ends at the proxy in front; HSTS is its call.
  hsts: false,
};

/** The headers helmet sets for these options. They depend on nothing in the request, so they are
 * worked out once: @fastify/helmet builds helmet's middleware again, CSP parsing included, on
 * every request, which cost a 304 poll about a fifth of its time. */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    removeHeader: () => undefined,
  };
  // helmet's middleware reads nothing of the request for these options: an empty one will do.
  helmet(options)(Object.create(null) as IncomingMessage, res as unknown as ServerResponse, () => undefined);
  return headers;
}

/** The headers every answer but a 304 carries, asked of helmet once. */
const SHARED: Readonly<Record<string, string>> = Object.freeze(securityHeaders(HELMET));
/** The security headers' names: a 304 goes without them (src/http/conditional.ts). */
export const SECURITY_HEADERS: readonly string[] = Object.freeze(Object.keys(SHARED));

export async function installProtection(app: FastifyInstance, config: Config): Promise<void> {
  // The HTML index is the one page only this site should embed or read.
  const index = Object.freeze({ ...SHARED, 'cross-origin-resource-policy': 'same-origin' });
  app.addHook('onRequest', (req, reply, done) => {
    void reply.headers(routeOf(req) === '/' ? index : SHARED);
    done();
  });

  const p = config.protection;
  if (p.maxEventLoopDelayMs > 0 || p.maxHeapUsedBytes > 0 || p.maxRssBytes > 0) {
    await app.register(underPressure, {
      ...(p.maxEventLoopDelayMs > 0 && { maxEventLoopDelay: p.maxEventLoopDelayMs }),
      ...(p.maxHeapUsedBytes > 0 && { maxHeapUsedBytes: p.maxHeapUsedBytes }),
      ...(p.maxRssBytes > 0 && { maxRssBytes: p.maxRssBytes }),
      pressureHandler: async (req, reply, type) => {
        if (NEVER_SHED.has(routeOf(req))) return;
        void reply.header('retry-after', String(p.retryAfterSeconds));
        throw new HttpError(503, 'overloaded', `feedrelay is overloaded (${type}); retry in ${p.retryAfterSeconds} s`);
      },
    });
  }

  if (p.rateLimit.enabled) {
    await app.register(rateLimit, {
      global: true,
      max: p.rateLimit.max,
      timeWindow: p.rateLimit.windowMs,
      allowList: (req) => !LIMITED.test(req.url),
    });
  }
}
