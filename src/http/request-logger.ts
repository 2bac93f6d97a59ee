// The logger each request carries (req.log), made when the request first logs. Fastify asks for a
// child of the service's logger on every request, to bind its id, and pino's child() serialises
// the bindings at once; nearly every request is a poll whose line is `debug`, below the level
// that is on, so the child was made and thrown away unused (3% of what a 304 allocates).
import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, LevelWithSilentOrString, LogFn, Logger } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

class RequestLogger {
  readonly #parent: Logger;
  readonly #bindings: Bindings;
  #child: Logger | undefined;

  constructor(parent: Logger, bindings: Bindings) {
    this.#parent = parent;
    this.#bindings = bindings;
  }

  #real(): Logger {
    return (this.#child ??= this.#parent.child(this.#bindings));
  }

  #log(level: Level, args: Parameters<LogFn>): void {
    const logger = this.#child ?? this.#parent;
    if (!logger.isLevelEnabled(level)) return;
    const real = this.#real();
    (real[level] as (...a: unknown[]) => void).apply(real, args);
  }

  get level(): LevelWithSilentOrString {
    return (this.#child ?? this.#parent).level;
  }

  set level(level: LevelWithSilentOrString) {
    this.#real().level = level;
  }

  isLevelEnabled(level: string): boolean {
    return (this.#child ?? this.#parent).isLevelEnabled(level);
  }

  fatal: LogFn = (...args: Parameters<LogFn>) => this.#log('fatal', args);
  error: LogFn = (...args: Parameters<LogFn>) => this.#log('error', args);
  warn: LogFn = (...args: Parameters<LogFn>) => this.#log('warn', args);
  info: LogFn = (...args: Parameters<LogFn>) => this.#log('info', args);
  debug: LogFn = (...args: Parameters<LogFn>) => this.#log('debug', args);
  trace: LogFn = (...args: Parameters<LogFn>) => this.#log('trace', args);
  silent: LogFn = () => undefined;

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options);
  }
}

/** Fastify's childLoggerFactory (the service's logger is pino's): a route's own log level or
 * serializers get pino's child at once. */
export function requestLogger(logger: FastifyBaseLogger, bindings: Bindings, opts: ChildLoggerOptions): FastifyBaseLogger {
  if (opts.level !== undefined || opts.serializers !== undefined) return logger.child(bindings, opts);
  return new RequestLogger(logger as Logger, bindings) as unknown as FastifyBaseLogger;
}
