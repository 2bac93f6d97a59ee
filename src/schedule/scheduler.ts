// node-cron jobs: one per distinct schedule (the global one, or a source's own).
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { Source } from '../model/feed.ts';
import type { CycleRunner } from './runner.ts';

export class Scheduler {
  readonly #tasks: ScheduledTask[] = [];
  readonly #jobs: ScheduledTask[] = [];
  #running = false;

  readonly runner: CycleRunner;
  readonly log: Logger;

  constructor(runner: CycleRunner, log: Logger) {
    this.runner = runner;
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
        async () => {
          const r = await this.runner.run(group);
          const failed = r.sources.filter((s) => s.outcome === 'failed').length;
          this.log.info({ schedule: expr, sources: r.sources.length, failed, durationMs: r.durationMs }, 'scheduled cycle done');
        },
        { noOverlap: true, name: `ingest ${expr}` },
      );
      this.#tasks.push(task);
    }
    this.#running = true;
  }

  /** New definitions: the old jobs go, the new ones start (a cycle under way finishes). */
  async restart(sources: Source[], globalCron: string): Promise<void> {
    await Promise.all(this.#tasks.map((t) => t.destroy()));
    this.#tasks.length = 0;
    this.start(sources, globalCron);
  }

  /** A job besides ingest on its own schedule (retention); stopped with the rest. */
  every(expr: string, name: string, job: () => Promise<unknown>): void {
    this.#jobs.push(
      cron.schedule(
        expr,
        async () => {
          try {
            await job();
          } catch (err) {
            this.log.error({ err, job: name }, 'scheduled job failed');
          }
        },
        { noOverlap: true, name },
      ),
    );
  }

  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all([...this.#tasks, ...this.#jobs].map((t) => t.destroy()));
    this.#tasks.length = 0;
    this.#jobs.length = 0;
  }
}
