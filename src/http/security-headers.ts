// The security headers (helmet's), worked out once, and which answer carries which set.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

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
function securityHeaders(options: HelmetOptions): Record<string, string> {
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
/** The HTML index is the one page only this site should embed or read. */
const INDEX: Readonly<Record<string, string>> = Object.freeze({ ...SHARED, 'cross-origin-resource-policy': 'same-origin' });

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route answers through sendRepresentation (src/http/conditional.ts), which sets the
     * security headers on everything but a 304: set here first, a 304 would take them off again. */
    representation?: boolean;
  }
}

/** The route config of a route that answers through sendRepresentation. */
export const REPRESENTATION_ROUTE = Object.freeze({ representation: true });

/** The security headers for an answer on a route (`req.routeOptions`, which Fastify builds anew
 * on every read: a caller that reads it for more holds it). */
export function securityHeadersOf(route: FastifyRequest['routeOptions']): Readonly<Record<string, string>> {
  return route.url === '/' ? INDEX : SHARED;
}
