// One onResponse hook for every route: the request log line (request id, route pattern, status,
// time) and the HTTP metrics; plus GET /metrics. Route patterns, never raw URLs, so label values
// and log fields stay bounded whatever clients ask for.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config/schema.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { requireBearer } from './bearer.ts';
import { writes } from './request-logger.ts';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']);

// Made-up ids are this process's random prefix and a counter: unique across replicas and
// restarts like a UUID, at a fraction of the cost of one on every poll.
const ID_PREFIX = `${randomBytes(8).toString('hex')}-`;
let idCounter = 0;

/** A proxy's X-Request-Id is kept when it is a sane token; otherwise one is made up. */
export function requestId(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,64}$/.test(given) ? given : ID_PREFIX + (++idCounter).toString(36);
}

/** A read answered under this is routine; slower, it is worth an operator's attention. */
const SLOW_MS = 1000;

/** Successful reads are nearly all of a feed server's traffic (every reader polls every few
 * minutes, and most polls get a 304), and the metrics already count them by route and status:
 * their lines are `debug`, which `LOG_LEVEL=debug` turns on. What an operator must see stays
 * `info`: errors and refusals, anything but GET and HEAD (admin actions), and slow answers. */
export function requestLevel(method: string, status: number, ms: number): 'info' | 'debug' {
  return status >= 400 || (method !== 'GET' && method !== 'HEAD') || ms >= SLOW_MS ? 'info' : 'debug';
}

export function routeOf(req: FastifyRequest): string {
  return req.routeOptions.url ?? 'unmatched';
}

export function installObservability(app: FastifyInstance, deps: { config: Config; metrics?: Metrics | undefined }): void {
  const { metrics } = deps;
  // Callback hooks, not async ones: these run on every poll, and an async hook costs a promise
  // and a microtask turn each time.
  app.addHook('onRequest', (req, reply, done) => {
    void reply.header('x-request-id', req.id);
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    const route = routeOf(req);
    const ms = reply.elapsedTime;
    const level = requestLevel(req.method, reply.statusCode, ms);
    if (writes(req.log, level)) req.log[level]({ method: req.method, route, url: req.url, statusCode: reply.statusCode, responseTimeMs: Math.round(ms * 10) / 10 }, 'request completed');
    metrics?.observeRequest(route, METHODS.has(req.method) ? req.method : 'OTHER', reply.statusCode, ms / 1000);
    done();
  });

  if (!metrics || !deps.config.metrics.enabled) return;
  void app.register((scope, _opts, done) => {
    if (deps.config.metrics.token) scope.addHook('onRequest', requireBearer(deps.config.metrics.token));
    // Scrapes come every few seconds: keep them out of the info log.
    scope.get('/metrics', { logLevel: 'warn' }, async (_req, reply) => reply.type(metrics.contentType).send(await metrics.text()));
    done();
  });
}
