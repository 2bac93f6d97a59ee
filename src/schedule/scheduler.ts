// node-cron jobs: one per distinct schedule (the global one, or a source's own).
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { Source } from '../model/feed.ts';
import type { Dispatch } from '../cluster/dispatch.ts';

export class Scheduler {
  readonly #tasks: ScheduledTask[] = [];
  readonly #jobs: ScheduledTask[] = [];
  #running = false;
  readonly #inFlight = new Set<Promise<void>>();

  /** Runs the due sources here, or enqueues them for the cluster (see src/cluster/dispatch.ts). */
  readonly dispatch: Dispatch;
  readonly log: Logger;

  constructor(dispatch: Dispatch, log: Logger) {
    this.dispatch = dispatch;
    this.log = log;
  }

  get running(): boolean {
    return this.#running;
  }

  start(sources: Source[], globalCron: string): void {
    const groups = new Map<string, Source[]>();
    for (const s of sources) {
      const expr = s.schedule ?? globalCron;
      groups.set(expr, [...(groups.get(expr) ?? []), s]);
    }
    for (const [expr, group] of groups) {
      const task = cron.schedule(
        expr,
        async (ctx) => {
          // ctx.date is the scheduled second, the same on every replica: the fire's identity.
          await this.dispatch(group, { due: new Date(Math.floor(ctx.date.getTime() / 1000) * 1000), reason: 'schedule' }).catch((err: unknown) => { this.log.error({ schedule: expr, err }, 'scheduled cycle failed'); });
        },
        { noOverlap: true, name: `ingest ${expr}` },
      );
      this.#tasks.push(task);
    }
    this.#running = true;
  }

  /** New definitions: the old jobs go, the new ones start (a cycle under way finishes). */
  restart(sources: Source[], globalCron: string): Promise<void> {
    destroyAll(this.#tasks);
    this.start(sources, globalCron);
    return Promise.resolve();
  }

  /** A job besides ingest on its own schedule (retention), given its fire's scheduled second (the
   * same on every replica); stopped with the rest, and stop() waits for a run under way. */
  every(expr: string, name: string, job: (due: Date) => Promise<unknown>): void {
    this.#jobs.push(
      cron.schedule(
        expr,
        async (ctx) => {
          const run = job(new Date(Math.floor(ctx.date.getTime() / 1000) * 1000)).then(
            () => undefined,
            (err: unknown) => {
              this.log.error({ err, job: name }, 'scheduled job failed');
            },
          );
          this.#inFlight.add(run);
          try {
            await run;
          } finally {
            this.#inFlight.delete(run);
          }
        },
        { noOverlap: true, name },
      ),
    );
  }

  /** No new fires; resolves when a job already running (a prune) has finished, so the store it
   * writes is not closed under it. Ingest cycles are waited for by the runner's idle(). */
  async stop(): Promise<void> {
    this.#running = false;
    destroyAll(this.#tasks);
    destroyAll(this.#jobs);
    await Promise.all(this.#inFlight);
  }
}

/** node-cron's destroy() returns a promise only for a task run from a file in a child process;
 * every task here is an inline function, whose destroy() is synchronous (it does not wait for a
 * run under way: the runner's idle() is what shutdown waits on). */
function destroyAll(tasks: ScheduledTask[]): void {
  for (const t of tasks) void t.destroy();
  tasks.length = 0;
}
