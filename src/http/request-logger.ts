// The logger each request carries (req.log), made when the request first logs. Fastify asks for a
// child of the service's logger on every request, to bind its id, and pino's child() serialises
// the bindings at once; nearly every request is a poll whose line is `debug`, below the level
// that is on, so the child was made and thrown away unused (3% of what a 304 allocates).
import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, LevelWithSilentOrString } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
/** What the parent must tell besides FastifyBaseLogger: pino's loggers do. */
type Parent = FastifyBaseLogger & { isLevelEnabled(level: string): boolean };
type Args = [obj: unknown, msg?: string, ...args: unknown[]];
const canTell = (logger: FastifyBaseLogger): logger is Parent => typeof (logger as Partial<Parent>).isLevelEnabled === 'function';

class RequestLogger implements FastifyBaseLogger {
  readonly #parent: Parent;
  readonly #bindings: Bindings;
  #child: Parent | undefined;

  constructor(parent: Parent, bindings: Bindings) {
    this.#parent = parent;
    this.#bindings = bindings;
  }

  #real(): Parent {
    this.#child ??= this.#parent.child(this.#bindings) as Parent;
    return this.#child;
  }

  #log(level: Level, args: Args): void {
    if (!(this.#child ?? this.#parent).isLevelEnabled(level)) return;
    const real = this.#real();
    real[level](...args);
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

  // Methods, not arrow fields: a field would make six closures for every request.
  fatal(...args: Args): void {
    this.#log('fatal', args);
  }
  error(...args: Args): void {
    this.#log('error', args);
  }
  warn(...args: Args): void {
    this.#log('warn', args);
  }
  info(...args: Args): void {
    this.#log('info', args);
  }
  debug(...args: Args): void {
    this.#log('debug', args);
  }
  trace(...args: Args): void {
    this.#log('trace', args);
  }
  silent(): void {
    // pino's silent level: nothing.
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options);
  }
}

/** Fastify's childLoggerFactory (the service's logger is pino's, app.ts): a route's own log level
 * or serializers get pino's child at once. */
export function requestLogger(logger: FastifyBaseLogger, bindings: Bindings, opts: ChildLoggerOptions): FastifyBaseLogger {
  if (opts.level !== undefined || opts.serializers !== undefined || !canTell(logger)) return logger.child(bindings, opts);
  return new RequestLogger(logger, bindings);
}

/** Whether `log` writes lines at `level` (a logger that cannot say is taken to write them): a
 * caller skips building a line nobody reads. */
export function writes(log: FastifyBaseLogger, level: Level): boolean {
  return !canTell(log) || log.isLevelEnabled(level);
}
