// Security headers (src/http/security-headers.ts), load shedding (under-pressure) and an
// optional per-client rate limit, registered once for the whole app.
import type { FastifyInstance } from 'fastify';
import underPressure from '@fastify/under-pressure';
import rateLimit from '@fastify/rate-limit';
import type { Config } from '../config/schema.ts';
import { HttpError } from './errors.ts';
import { routeOf } from './observe.ts';
import { securityHeadersOf } from './security-headers.ts';

/** Probes and scrapes must still answer while the process sheds load. */
const NEVER_SHED = new Set(['/healthz', '/metrics']);

/** Routes a rate limit covers: the JSON API and admin, never the feeds readers poll. */
const LIMITED = /^\/(articles|admin)(\/|\?|$)/;

export async function installProtection(app: FastifyInstance, config: Config): Promise<void> {
  app.addHook('onRequest', (req, reply, done) => {
    const route = req.routeOptions;
    if (route.config.representation !== true) void reply.headers(securityHeadersOf(route));
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
