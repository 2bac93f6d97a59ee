// How long a reader or a CDN may keep a feed: until the next scheduled fetch of any source behind
// it, since nothing can change before then (RFC 9111 §5.2.2.1), bounded to 1 minute .. 1 hour.
import cron from 'node-cron';
import type { Source } from '../model/feed.ts';

const MIN_S = 60;
const MAX_S = 3600;
/** A CDN may go on serving the last good copy this long while feedrelay is down (RFC 5861). */
const STALE_IF_ERROR_S = 86_400;

export class Freshness {
  readonly #globalCron: string;
  // Next run per schedule, recomputed only once it has passed.
  readonly #next = new Map<string, number>();
  // The distinct schedules behind a list of sources, worked out once per list.
  readonly #memo = new WeakMap<readonly Source[], { from: number; value: string }>();
  readonly #schedules = new WeakMap<readonly Source[], Array<[string, string | undefined]>>();

  constructor(globalCron: string) {
    this.#globalCron = globalCron;
  }

  /** Cache-Control for a document built from `sources` (every source for null), at `now`. */
  cacheControl(sources: readonly Source[], now = Date.now()): string {
    // max-age counts whole seconds: within one second the answer for a list is the same.
    const memo = this.#memo.get(sources);
    if (memo && now >= memo.from && now < memo.from + 1000) return memo.value;
    const value = this.#compute(sources, now);
    this.#memo.set(sources, { from: now - (now % 1000), value });
    return value;
  }

  #compute(sources: readonly Source[], now: number): string {
    let soonest = Infinity;
    for (const [expr, tz] of this.#distinct(sources)) soonest = Math.min(soonest, this.#nextRun(expr, tz, now));
    const seconds = Number.isFinite(soonest) ? Math.ceil((soonest - now) / 1000) : MAX_S;
    return `public, max-age=${Math.min(MAX_S, Math.max(MIN_S, seconds))}, stale-if-error=${STALE_IF_ERROR_S}`;
  }

  #distinct(sources: readonly Source[]): Array<[string, string | undefined]> {
    let list = this.#schedules.get(sources);
    if (!list) {
      const seen = new Map<string, [string, string | undefined]>();
      for (const s of sources) seen.set(`${s.schedule ?? this.#globalCron}\u0000${s.timezone ?? ''}`, [s.schedule ?? this.#globalCron, s.timezone]);
      list = [...seen.values()];
      this.#schedules.set(sources, list);
    }
    return list;
  }

  #nextRun(expr: string, timezone: string | undefined, now: number): number {
    const key = `${expr}\u0000${timezone ?? ''}`;
    const known = this.#next.get(key);
    if (known !== undefined && known > now) return known;
    const task = cron.createTask(expr, () => undefined, timezone ? { timezone } : {});
    try {
      const next = task.getNextRuns(1)[0]?.getTime() ?? now + MAX_S * 1000;
      this.#next.set(key, next);
      return next;
    } finally {
      void task.destroy();
    }
  }
}
