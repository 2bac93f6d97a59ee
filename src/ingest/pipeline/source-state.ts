// The per-source fetch state between cycles: a fresh one for a new source, and how long a failing
// source waits before its next attempt.
import type { Source } from '../../model/feed.ts';
import type { SourceState } from '../../store/port.ts';

const BASE_BACKOFF_MS = 60_000;

/** Exponential backoff with full jitter on the upper half, capped. */
export function backoffMs(failures: number, capMs: number, random = Math.random): number {
  const exp = Math.min(capMs, BASE_BACKOFF_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

export function freshState(source: Source): SourceState {
  return {
    id: source.id,
    url: source.url,
    effectiveUrl: null,
    etag: null,
    lastModified: null,
    lastAttemptAt: null,
    lastSuccessAt: null,
    lastStatus: null,
    consecutiveFailures: 0,
    lastErrorClass: null,
    lastErrorMessage: null,
    nextAttemptAt: null,
    discoveredAt: null,
  };
}
