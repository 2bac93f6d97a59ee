// Bearer-token checks shared by the admin routes and /metrics.
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { unauthorized } from './errors.ts';

/** Compares digests so the time taken says nothing about the token. */
function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** An onRequest hook that answers 401 unless the request carries `Authorization: Bearer <token>`. */
export function requireBearer(token: string): (req: FastifyRequest) => Promise<void> {
  // A promise, not a done callback: Fastify waits on the hook's promise and answers its rejection.
  return (req) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    return m && sameToken(m[1]!, token) ? Promise.resolve() : Promise.reject(unauthorized());
  };
}
