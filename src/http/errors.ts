// HTTP errors, and the one boundary where any error becomes an HTTP answer.
import type { FastifyError, FastifyInstance } from 'fastify';
import { securityHeadersOf } from './security-headers.ts';

export class HttpError extends Error {
  override name = 'HttpError';
  readonly statusCode: number;
  readonly code: string;
  constructor(statusCode: number, code: string, message: string) {
    super(message);
    this.statusCode = statusCode;
    this.code = code;
  }
}

export const notFound = (message: string) => new HttpError(404, 'not_found', message);
export const badRequest = (message: string) => new HttpError(400, 'bad_request', message);
export const unauthorized = () => new HttpError(401, 'unauthorized', 'a valid "Authorization: Bearer <token>" header is required');

export function installErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ error: { code: 'not_found', message: `no route for ${req.method} ${req.url.split('?')[0]}` } });
  });
  app.setErrorHandler((err: FastifyError | HttpError, req, reply) => {
    // A route that answers through sendRepresentation leaves them to it, and it did not get there.
    void reply.headers(securityHeadersOf(req.routeOptions));
    if (err instanceof HttpError) {
      if (err.statusCode === 401) void reply.header('www-authenticate', 'Bearer realm="feedrelay admin"');
      return reply.code(err.statusCode).send({ error: { code: err.code, message: err.message } });
    }
    // FastifyError declares a code, but an error a plugin or a handler throws need not carry one.
    const fe: Omit<FastifyError, 'code'> & { code?: string } = err;
    if (fe.validation) {
      return reply.code(400).send({ error: { code: 'bad_request', message: `${fe.validationContext ?? 'request'} ${fe.validation[0]?.instancePath ?? ''} ${fe.validation[0]?.message ?? fe.message}`.replace(/\s+/g, ' ').trim() } });
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.code(fe.statusCode).send({ error: { code: fe.code ?? 'bad_request', message: fe.message } });
    }
    req.log.error({ err }, 'request failed');
    return reply.code(500).send({ error: { code: 'internal', message: 'internal error' } });
  });
}
