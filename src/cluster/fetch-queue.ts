// Source fetches shared between replicas through pg-boss, on the PostgreSQL the store uses.
// One queue, one job per source at a time (policy "exclusive" keyed by source id): replicas that
// enqueue the same fire all land on the one job. Heartbeats hand a dead replica's job to another;
// a job that keeps crashing is retried with backoff and then dead-lettered, never dropped.
import { createHash, randomUUID } from 'node:crypto';
import { PgBoss, fromKysely, type JobWithMetadata } from 'pg-boss';
import type { Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Source } from '../model/feed.ts';
import type { SourceResult } from '../model/cycle.ts';
import type { SourceState } from '../store/port.ts';

export const FETCH_QUEUE = 'source-fetch';
export const DEAD_QUEUE = 'source-fetch-dead';

export interface ClusterSettings {
  /** pg-boss's own schema; empty: "<store schema>_jobs". */
  schema: string;
  /** Jobs this replica works at once. */
  concurrency: number;
  /** A job whose worker sent no heartbeat for this long goes back to the queue (pg-boss minimum 10). */
  heartbeatSeconds: number;
  /** How often pg-boss looks for lost heartbeats and expired jobs. */
  superviseIntervalSeconds: number;
  /** Attempts after the first when a job crashes (a store failure, a lost replica), then dead-lettered. */
  retryLimit: number;
  /** First retry delay; doubles with jitter each time. */
  retryDelaySeconds: number;
  /** The most connections pg-boss holds on this replica (workers, supervision, LISTEN). */
  maxConnections: number;
  /** How often an idle worker looks for jobs when no NOTIFY woke it. */
  pollingIntervalSeconds: number;
  /** A start-up job skips a source some replica fetched this recently (replicas started together fetch once). */
  freshSeconds: number;
}

export interface FetchJobData {
  sourceId: string;
  /** The fire this job is for: a replica that finds the source attempted at or after it has nothing to do. */
  due: string;
  force: boolean;
  reason: 'schedule' | 'start' | 'refresh';
}

export interface FetchQueueDeps {
  /** The replica's own definition of a source, by id (definitions may be reloaded). */
  source(id: string): Source | undefined;
  state(id: string): Promise<SourceState | undefined>;
  /** Undefined when the replica is stopping and took nothing. */
  ingest(source: Source, force: boolean): Promise<SourceResult | undefined>;
  log: Logger;
}

export interface EnqueueResult {
  /** Sources given a new job. */
  queued: string[];
  /** Sources that already had a job queued or running. */
  alreadyQueued: string[];
}

/** The pg-boss schema for a store URL: its `?schema=` (or public) with a `_jobs` suffix. */
export function jobsSchema(storeUrl: string, configured: string): string {
  if (configured) return configured;
  const store = new URL(storeUrl).searchParams.get('schema') ?? 'public';
  return store === 'public' ? 'feedrelay_jobs' : `${store}_jobs`;
}

export class FetchQueue {
  readonly #boss: PgBoss;
  readonly #deps: FetchQueueDeps;
  readonly #settings: ClusterSettings;
  #working = false;

  private constructor(boss: PgBoss, deps: FetchQueueDeps, settings: ClusterSettings) {
    this.#boss = boss;
    this.#deps = deps;
    this.#settings = settings;
  }

  /** Connects, installs or migrates pg-boss's schema (replicas serialise on pg-boss's own lock), creates the queues. */
  static async open(storeUrl: string, settings: ClusterSettings, deps: FetchQueueDeps): Promise<FetchQueue> {
    const conn = new URL(storeUrl);
    conn.searchParams.delete('schema');
    const boss = new PgBoss({
      connectionString: conn.href,
      schema: jobsSchema(storeUrl, settings.schema),
      max: settings.maxConnections,
      // PGAPPNAME, libpq's own variable, names the store's pool too: one name for a replica's connections.
      application_name: process.env['PGAPPNAME'] ?? 'feedrelay-jobs',
      useListenNotify: true,
      superviseIntervalSeconds: settings.superviseIntervalSeconds,
      monitorIntervalSeconds: settings.superviseIntervalSeconds,
      // feedrelay's clock is node-cron; pg-boss schedules nothing.
      schedule: false,
    });
    boss.on('error', (err: unknown) => { deps.log.error({ err }, 'job queue error'); });
    await boss.start();
    const queue = {
      policy: 'exclusive' as const,
      retryLimit: settings.retryLimit,
      retryDelay: settings.retryDelaySeconds,
      retryBackoff: true,
      retryDelayMax: 3600,
      heartbeatSeconds: settings.heartbeatSeconds,
      // A fetch is bounded by the fetch timeouts; this only catches a worker that hangs while alive.
      expireInSeconds: 900,
      notify: true,
    };
    await ensureQueue(boss, DEAD_QUEUE, { retryLimit: 0, deleteAfterSeconds: 14 * 86400 });
    await ensureQueue(boss, FETCH_QUEUE, { ...queue, deadLetter: DEAD_QUEUE });
    return new FetchQueue(boss, deps, settings);
  }

  /**
   * One job per source for the fire at `due`. A source that already has a job queued or running
   * gets no second one; it is reported in `alreadyQueued`.
   */
  async enqueue(sources: Source[], opts: { due: Date; force?: boolean; reason: FetchJobData['reason'] }): Promise<EnqueueResult> {
    const ids = new Map<string, string>();
    const jobs = sources.map((s) => {
      const id = randomUUID();
      ids.set(id, s.id);
      const data: FetchJobData = { sourceId: s.id, due: opts.due.toISOString(), force: opts.force ?? false, reason: opts.reason };
      return { id, data, singletonKey: s.id };
    });
    const inserted = new Set<string>();
    for (let i = 0; i < jobs.length; i += 500) {
      const got = await this.#boss.insert(FETCH_QUEUE, jobs.slice(i, i + 500), { returnId: true });
      for (const id of got ?? []) {
        const sourceId = ids.get(id);
        if (sourceId !== undefined) inserted.add(sourceId);
      }
    }
    return {
      queued: sources.filter((s) => inserted.has(s.id)).map((s) => s.id),
      alreadyQueued: sources.filter((s) => !inserted.has(s.id)).map((s) => s.id),
    };
  }

  /** Starts working the queue on this replica. */
  async work(): Promise<void> {
    if (this.#working) return;
    this.#working = true;
    // Jobs come two at a time: a full batch makes the worker fetch again at once (pg-boss's burst),
    // where one at a time would wait out the polling interval after every job.
    await this.#boss.work<FetchJobData>(
      FETCH_QUEUE,
      {
        localConcurrency: Math.ceil(this.#settings.concurrency / 2),
        batchSize: 2,
        burstWhenBatchFull: true,
        perJobResults: true,
        includeMetadata: true,
        pollingIntervalSeconds: this.#settings.pollingIntervalSeconds,
        // Retries come due without a NOTIFY; the backstop poll finds them.
        notifyPollingIntervalSeconds: this.#settings.pollingIntervalSeconds,
      },
      async (jobs) =>
        Promise.all(
          jobs.map(async (job) => {
            try {
              return { id: job.id, status: 'completed' as const, output: await this.#run(job as JobWithMetadata<FetchJobData>) };
            } catch (err) {
              this.#deps.log.warn({ source: job.data.sourceId, job: job.id, retry: job.retryCount, err: (err as Error).message }, 'fetch job failed; pg-boss retries it');
              return { id: job.id, status: 'failed' as const, output: { message: (err as Error).message } };
            }
          }),
        ),
    );
  }

  async #run(job: JobWithMetadata<FetchJobData>): Promise<Record<string, unknown>> {
    const { sourceId, due, reason } = job.data;
    const log = this.#deps.log.child({ source: sourceId, job: job.id });
    const source = this.#deps.source(sourceId);
    // Thrown, so the job is retried (perhaps on a replica that knows the source) and then dead-lettered.
    if (!source) throw new Error(`source ${sourceId} is not defined on this replica`);
    const state = await this.#deps.state(sourceId);
    const since = reason === 'start' ? new Date(Date.parse(due) - this.#settings.freshSeconds * 1000).toISOString() : due;
    const sameUrl = state?.url === source.url;
    // A retry is a hand-back: the replica that held the job died, stopped or crashed, and whatever
    // it recorded (an aborted fetch and its backoff) must not stop this one from doing the work.
    const handBack = job.retryCount > 0;
    if (sameUrl && state.lastSuccessAt && state.lastSuccessAt >= since) {
      // Another replica already did this fire's work (its job finished before ours was queued).
      log.debug({ due, lastSuccessAt: state.lastSuccessAt }, 'source already fetched for this fire; job done');
      return { outcome: 'done_elsewhere' };
    }
    if (!handBack && sameUrl && state.lastAttemptAt && state.lastAttemptAt >= since) {
      // Attempted for this fire and failed upstream: the source's own backoff decides when next.
      return { outcome: 'attempted_elsewhere' };
    }
    const r = await this.#deps.ingest(source, job.data.force || handBack);
    if (!r) throw new Error('replica stopping; job handed back');
    // An upstream failure is the source's own business (it backs off on its state); a crash is ours.
    if (r.error?.class === 'internal') throw new Error(`ingest crashed: ${r.error.message}`);
    return { outcome: r.outcome, new: r.new, updated: r.updated, status: r.httpStatus };
  }

  /**
   * A cluster-wide task (retention, WebSub pings): its queue, worked one job at a time on every
   * replica. Define it on every replica before it is run.
   */
  async defineTask(name: string, handler: (data: Record<string, unknown>) => Promise<unknown>): Promise<void> {
    const queue = `task-${name}`;
    await ensureQueue(this.#boss, queue, { retryLimit: this.#settings.retryLimit, retryDelay: this.#settings.retryDelaySeconds, retryBackoff: true, deadLetter: DEAD_QUEUE });
    await this.#boss.work<Record<string, unknown>>(queue, { pollingIntervalSeconds: this.#settings.pollingIntervalSeconds }, async (jobs) => handler(jobs[0]!.data));
  }

  /**
   * Runs a task once for the fire at `due`, however many replicas ask: the job's id is derived
   * from the task and the fire, so every insert after the first is refused, even once it finished.
   * True when this call created the job.
   */
  async runOnce(name: string, due: Date, data: Record<string, unknown> = {}): Promise<boolean> {
    const h = createHash('sha1').update(`${name}|${due.toISOString()}`).digest('hex');
    const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
    const got = await this.#boss.insert(`task-${name}`, [{ id, data: { ...data, due: due.toISOString() } }], { returnId: true });
    return (got ?? []).includes(id);
  }

  /** A task job written in the caller's transaction (the store's, see Store.onWrite): it exists
   * exactly when what it announces was committed. Its task must be defined first. */
  async enqueueTaskWithin(trx: Transaction<unknown>, name: string, data: Record<string, unknown>): Promise<void> {
    await this.#boss.insert(`task-${name}`, [{ data }], { db: fromKysely(trx) });
  }

  /** Counts by state, for the admin API and tests. */
  async counts(): Promise<{ queued: number; active: number; failed: number; dead: number }> {
    const [q, d] = await Promise.all([this.#boss.getQueue(FETCH_QUEUE), this.#boss.getQueue(DEAD_QUEUE)]);
    return { queued: q?.queuedCount ?? 0, active: q?.activeCount ?? 0, failed: q?.failedCount ?? 0, dead: d?.queuedCount ?? 0 };
  }

  /**
   * Stops taking jobs and lets the ones in hand finish for up to `timeoutMs`. A job still running
   * at the deadline is left active; its heartbeat stops with the process, and another replica takes
   * it within the heartbeat window.
   */
  async stop(timeoutMs: number): Promise<void> {
    await this.#boss.stop({ graceful: true, timeout: Math.max(1000, timeoutMs), close: true });
  }
}

async function ensureQueue(boss: PgBoss, name: string, options: Record<string, unknown>): Promise<void> {
  const existing = await boss.getQueue(name);
  if (!existing) {
    // Two replicas starting together may both get here; the loser's create fails harmlessly.
    await boss.createQueue(name, options).catch(async (err: unknown) => {
      if (!(await boss.getQueue(name))) throw err;
    });
  } else {
    const { policy: _p, deadLetter, heartbeatSeconds: _h, retryDelayMax, ...changeable } = options as Record<string, never> & { deadLetter?: string; retryDelayMax?: number };
    await boss.updateQueue(name, { ...changeable, ...(deadLetter !== undefined && { deadLetter }), ...(retryDelayMax !== undefined && { retryDelayMax }) });
  }
}
