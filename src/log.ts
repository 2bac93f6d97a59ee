import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from './config/schema.ts';

/** Where secrets can appear in what feedrelay logs: request headers, and the config itself. */
const SECRET_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'admin.token',
  'metrics.token',
  'config.admin.token',
  'config.metrics.token',
  'store.url',
  'config.store.url',
  'databaseUrl',
];

/** A database URL keeps its scheme, host and database (useful in a log) but not its password;
 * tokens and headers go entirely. */
export function redactSecret(value: unknown, path: string[] = []): unknown {
  const last = path.at(-1) ?? '';
  if (typeof value === 'string' && /url$/i.test(last)) {
    return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@]*@/i, '$1:[redacted]@');
  }
  return value === undefined || value === '' ? value : '[redacted]';
}

/** JSON lines by default (what log shippers want); pino-pretty only when asked. */
export function createLogger(cfg: Config['log'], destination?: DestinationStream): Logger {
  const opts = {
    level: cfg.level,
    base: { service: 'feedrelay' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: SECRET_PATHS, censor: redactSecret },
    ...(cfg.pretty && !destination && { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:standard', ignore: 'pid,hostname,service' } } }),
  };
  if (destination) return pino(opts, destination);
  if (cfg.pretty) return pino(opts);
  // One line per request: synchronous writes to stdout would cost every poll a write(2) on the
  // event loop. Asynchronous, lines written while a write is in flight go out together with the
  // next one; pino flushes what is left when the process exits.
  return pino(opts, pino.destination({ dest: 1, sync: false }));
}
