// Errors raised while ingesting, each prefixed by the step that raised it (as miniflux does),
// with a stable class the store records and /admin/sources reports.
export type Step = 'fetch' | 'decode' | 'detect' | 'parse' | 'extract' | 'normalize' | 'store';
export type ErrorClass =
  | 'bad_url'
  | 'refused_address'
  | 'dns'
  | 'connect'
  | 'timeout'
  | 'too_large'
  | 'too_many_redirects'
  | 'redirect_loop'
  | 'http_status'
  | 'network'
  | 'file'
  | 'empty'
  | 'unsupported_format'
  | 'no_feed'
  | 'malformed'
  /** The store refused a write or a read. */
  | 'storage'
  | 'internal';

export class IngestError extends Error {
  override name = 'IngestError';
  readonly step: Step;
  readonly errorClass: ErrorClass;
  readonly status: number | undefined;
  /** Seconds the origin asked us to wait (429/503 Retry-After). */
  readonly retryAfter: number | undefined;

  constructor(step: Step, errorClass: ErrorClass, message: string, extra: { status?: number; retryAfter?: number; cause?: unknown } = {}) {
    super(`${step}: ${message}`, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.step = step;
    this.errorClass = errorClass;
    this.status = extra.status;
    this.retryAfter = extra.retryAfter;
  }
}

export function asIngestError(err: unknown, step: Step, errorClass: ErrorClass = step === 'store' ? 'storage' : 'internal'): IngestError {
  if (err instanceof IngestError) return err;
  return new IngestError(step, errorClass, err instanceof Error ? err.message : String(err), { cause: err });
}

/** Runs one step, so that whatever it throws carries the step's name. */
export function inStep<T>(step: Step, run: () => T): T {
  try {
    return run();
  } catch (err) {
    throw asIngestError(err, step);
  }
}

export async function inStepAsync<T>(step: Step, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw asIngestError(err, step);
  }
}
