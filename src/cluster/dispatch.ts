// What happens to sources that are due: run here (SQLite, one replica), or become jobs any
// replica may take (PostgreSQL). The scheduler, the start-up cycle and /admin/refresh call this.
import type { Logger } from 'pino';
import type { Source } from '../model/feed.ts';
import type { CycleRunner } from '../schedule/runner.ts';
import type { CycleResult } from '../model/cycle.ts';
import type { EnqueueResult, FetchJobData, FetchQueue } from './fetch-queue.ts';

export interface DispatchOptions {
  /** The fire this is for (node-cron's scheduled time, or now). */
  due: Date;
  force?: boolean;
  reason: FetchJobData['reason'];
}

export type DispatchResult = ({ mode: 'local' } & CycleResult) | ({ mode: 'cluster'; due: string } & EnqueueResult);

export type Dispatch = (sources: Source[], opts: DispatchOptions) => Promise<DispatchResult>;

export function localDispatch(runner: CycleRunner, log: Logger): Dispatch {
  return async (sources, opts) => {
    const r = await runner.run(sources, { force: opts.force ?? false });
    const failed = r.sources.filter((s) => s.outcome === 'failed').length;
    log.info({ reason: opts.reason, sources: r.sources.length, failed, durationMs: r.durationMs }, opts.reason === 'start' ? 'startup cycle done' : 'scheduled cycle done');
    return { mode: 'local', ...r };
  };
}

export function clusterDispatch(queue: FetchQueue, log: Logger): Dispatch {
  return async (sources, opts) => {
    const r = await queue.enqueue(sources, opts);
    log.info({ reason: opts.reason, due: opts.due.toISOString(), queued: r.queued.length, alreadyQueued: r.alreadyQueued.length }, 'sources enqueued');
    return { mode: 'cluster', due: opts.due.toISOString(), ...r };
  };
}
