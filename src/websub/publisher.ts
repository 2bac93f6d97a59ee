// WebSub publish pings: tells each hub which topics changed, after the change is stored. Pings run
// in the background (a cycle never waits for a hub), are retried with doubling backoff while a hub
// fails, and a topic already waiting for a hub is not queued twice.
import { request } from 'undici';
import type { Logger } from 'pino';

export interface PublisherOptions {
  hubs: string[];
  retries: number;
  timeoutMs: number;
  log: Logger;
  userAgent: string;
  /** First wait before a retry; doubled each time, with jitter, up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  onPing?: (outcome: 'sent' | 'retried' | 'failed') => void;
}

export class WebSubPublisher {
  readonly #o: Required<Omit<PublisherOptions, 'onPing'>> & Pick<PublisherOptions, 'onPing'>;
  readonly #pending = new Map<string, Promise<void>>();
  readonly #timers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  #closed = false;

  constructor(opts: PublisherOptions) {
    this.#o = { baseDelayMs: 1000, maxDelayMs: 10 * 60_000, ...opts };
  }

  get enabled(): boolean {
    return this.#o.hubs.length > 0;
  }

  /** Queues a ping per hub per topic and returns at once. */
  publish(topics: string[]): void {
    if (this.#closed) return;
    for (const hub of this.#o.hubs) {
      for (const topic of new Set(topics)) {
        const key = `${hub} ${topic}`;
        if (this.#pending.has(key)) continue;
        const p = this.#deliver(hub, topic).finally(() => this.#pending.delete(key));
        this.#pending.set(key, p);
      }
    }
  }

  /**
   * One attempt at every hub for every topic, for a caller that retries durably (a cluster job):
   * resolves when each hub took its pings or refused them for good (a 4xx, logged), and rejects
   * naming the hubs worth trying again (5xx, 408, 429, network), so the job is retried.
   */
  async pingOnce(topics: string[]): Promise<void> {
    const retry: string[] = [];
    await Promise.all(
      this.#o.hubs.flatMap((hub) =>
        [...new Set(topics)].map(async (topic) => {
          const error = await this.#ping(hub, topic);
          if (error === null) {
            this.#o.onPing?.('sent');
            this.#o.log.info({ hub, topic }, 'websub: hub notified');
          } else if (error.retry) {
            this.#o.onPing?.('retried');
            retry.push(`${hub} (${topic}): ${error.reason}`);
          } else {
            this.#o.onPing?.('failed');
            this.#o.log.warn({ hub, topic, reason: error.reason }, 'websub: hub refused the ping; not retried');
          }
        }),
      ),
    );
    if (retry.length > 0) throw new Error(`websub: to retry: ${retry.join('; ')}`);
  }

  /** Resolves when no ping is waiting or in flight. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending.values()]);
  }

  /** Stops retrying; pings in flight finish or time out. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const t of this.#timers) {
      clearTimeout(t.timer);
      t.wake();
    }
    await this.idle();
  }

  async #deliver(hub: string, topic: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const error = await this.#ping(hub, topic);
      if (error === null) {
        this.#o.onPing?.('sent');
        this.#o.log.info({ hub, topic, attempt: attempt + 1 }, 'websub: hub notified');
        return;
      }
      if (attempt >= this.#o.retries || this.#closed || !error.retry) {
        this.#o.onPing?.('failed');
        this.#o.log.warn({ hub, topic, attempts: attempt + 1, reason: error.reason }, 'websub: hub not notified; giving up');
        return;
      }
      this.#o.onPing?.('retried');
      const exp = Math.min(this.#o.maxDelayMs, this.#o.baseDelayMs * 2 ** attempt);
      const wait = Math.round(exp / 2 + Math.random() * (exp / 2));
      this.#o.log.warn({ hub, topic, attempt: attempt + 1, reason: error.reason, retryInMs: wait }, 'websub: hub failed; will retry');
      await this.#sleep(wait);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() may have set it while we slept; TypeScript keeps the narrowing from the check above across the await
      if (this.#closed) {
        this.#o.onPing?.('failed');
        return;
      }
    }
  }

  /** Null when the hub took the ping (2xx); else why, and whether trying again may help. */
  async #ping(hub: string, topic: string): Promise<{ reason: string; retry: boolean } | null> {
    const body = new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': topic, 'hub.topic': topic }).toString();
    try {
      const res = await request(hub, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': this.#o.userAgent },
        body,
        headersTimeout: this.#o.timeoutMs,
        bodyTimeout: this.#o.timeoutMs,
        signal: AbortSignal.timeout(this.#o.timeoutMs),
      });
      await res.body.dump();
      if (res.statusCode >= 200 && res.statusCode < 300) return null;
      // A 4xx says the ping itself is wrong: sending it again cannot help, except 408 and 429.
      const retry = res.statusCode >= 500 || res.statusCode === 408 || res.statusCode === 429;
      return { reason: `HTTP ${res.statusCode}`, retry };
    } catch (err) {
      return { reason: err instanceof Error ? err.message : String(err), retry: true };
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.#timers.delete(entry);
          resolve();
        }, ms),
        wake: resolve,
      };
      entry.timer.unref();
      this.#timers.add(entry);
    });
  }
}
