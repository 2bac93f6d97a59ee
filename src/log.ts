import pino, { type Logger } from 'pino';
import type { Config } from './config/schema.ts';

/** JSON lines by default (what log shippers want); pino-pretty only when asked. */
export function createLogger(cfg: Config['log']): Logger {
  return pino({
    level: cfg.level,
    base: { service: 'feedrelay' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization'], censor: '[redacted]' },
    ...(cfg.pretty && { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:standard', ignore: 'pid,hostname,service' } } }),
  });
}
