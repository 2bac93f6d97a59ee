// Answers a request from a cached representation: the coding chosen from Accept-Encoding, the
// validators, and 304 when the reader already holds these bytes (RFC 9110 §13.1, §13.2.2, §15.4.5).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Representation } from '../publish/representation.ts';
import { chooseCoding, noneMatch } from './negotiate.ts';
import { HttpError } from './errors.ts';
import { securityHeadersOf } from './security-headers.ts';

export interface SendOptions {
  cacheControl: string;
  /** A request header besides Accept-Encoding that chose this representation (Accept on extensionless feed URLs). */
  vary?: 'Accept';
  /** The URL of the chosen variant, when the request URL negotiated it. */
  contentLocation?: string;
}

/** On the route of a sendRepresentation answer, the route config carries REPRESENTATION_ROUTE
 * (src/http/security-headers.ts): the security headers go on here, on everything but a 304. */
export function sendRepresentation(req: FastifyRequest, reply: FastifyReply, rep: Representation, opts: SendOptions): FastifyReply {
  const coding = chooseCoding(req.headers['accept-encoding']);
  reply.header('vary', opts.vary ? `${opts.vary}, Accept-Encoding` : 'Accept-Encoding');
  reply.header('cache-control', opts.cacheControl);
  if (coding === null) throw new HttpError(406, 'not_acceptable', 'Accept-Encoding refuses br, gzip and identity; this resource has no other coding');
  const etag = rep.etags[coding];
  reply.header('etag', etag);
  if (opts.contentLocation) reply.header('content-location', opts.contentLocation);
  if (rep.link) reply.header('link', rep.link);
  if (notModified(req, etag, rep.lastModified)) {
    // RFC 9110 §15.4.5: a 304 carries what a 200 would of Content-Location, Date, ETag, Vary and
    // Cache-Control, and should not carry other representation metadata: with an ETag, not even
    // Last-Modified. Nor the security headers: it has no content for them to govern, and a cache
    // keeps those stored with the 200 it revalidates (RFC 9111 §4.3.4).
    return reply.code(304).send();
  }
  void reply.headers(securityHeadersOf(req.routeOptions));
  if (rep.lastModifiedHeader) reply.header('last-modified', rep.lastModifiedHeader);
  if (coding !== 'identity') reply.header('content-encoding', coding);
  return reply.type(rep.contentType).header('content-length', rep.bodies[coding].length).send(rep.bodies[coding]);
}

/** If-None-Match decides alone when present (§13.2.2); If-Modified-Since only on GET and HEAD. */
function notModified(req: FastifyRequest, etag: string, lastModified: Date | null): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) return noneMatch(inm, etag);
  const ims = req.headers['if-modified-since'];
  if (ims === undefined || !lastModified || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  const since = Date.parse(ims);
  // An unparseable date is ignored (§13.1.3), as is one in the future of this server's clock.
  if (Number.isNaN(since) || since > Date.now()) return false;
  return lastModified.getTime() <= since;
}
