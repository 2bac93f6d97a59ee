// Runs ingest cycles so that no source is ever ingested twice at once: a cycle asked for while
// another is under way joins the work in flight instead of starting it again.
import type { Source } from '../model/feed.ts';
import type { CycleResult, SourceResult } from '../model/cycle.ts';
import { ingestSource, type PipelineDeps } from '../ingest/pipeline/pipeline.ts';
import { asIngestError } from '../ingest/errors.ts';

export class CycleRunner {
  readonly #deps: PipelineDeps;
  readonly #concurrency: number;
  readonly #inFlight = new Map<string, Promise<SourceResult>>();
  readonly #observers: Array<(cycle: CycleResult) => void> = [];
  #stopping = false;

  constructor(deps: PipelineDeps, concurrency: number) {
    this.#deps = deps;
    this.#concurrency = concurrency;
  }

  get busy(): boolean {
    return this.#inFlight.size > 0;
  }

  /** Resolves when every source in flight has finished. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight.values()]);
  }

  /** Called after every cycle, whoever asked for it (schedule, startup, admin, CLI): metrics,
   * WebSub pings. An observer that throws is logged and never fails the cycle. */
  onCycle(observer: (cycle: CycleResult) => void): void {
    this.#observers.push(observer);
  }

  stop(): void {
    this.#stopping = true;
  }

  #one(source: Source, force: boolean): Promise<SourceResult> {
    const running = this.#inFlight.get(source.id);
    if (running) return running;
    const p = ingestSource(source, this.#deps, { force })
      .catch((err: unknown): SourceResult => {
        // Only a store failure gets here; the source is reported failed, the cycle goes on.
        this.#deps.log.error({ source: source.id, url: source.url, err }, 'source ingest crashed');
        const e = asIngestError(err, 'store');
        return { sourceId: source.id, url: source.url, outcome: 'failed', seen: 0, new: 0, updated: 0, failed: 0, httpStatus: null, bytes: 0, durationMs: 0, error: { class: e.errorClass, message: e.message } };
      })
      .finally(() => this.#inFlight.delete(source.id));
    this.#inFlight.set(source.id, p);
    return p;
  }

  async run(sources: Source[], opts: { force?: boolean; onSource?: (r: SourceResult, done: number, total: number) => void } = {}): Promise<CycleResult> {
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    const results = new Array<SourceResult>(sources.length);
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < sources.length && !this.#stopping) {
        const i = next++;
        results[i] = await this.#one(sources[i]!, opts.force ?? false);
        opts.onSource?.(results[i], ++done, sources.length);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.#concurrency, sources.length)) }, worker));
    const cycle = { startedAt, durationMs: Math.round(performance.now() - t0), sources: results.filter(Boolean) };
    for (const observe of this.#observers) {
      try {
        observe(cycle);
      } catch (err) {
        this.#deps.log.error({ err }, 'cycle observer failed');
      }
    }
    return cycle;
  }
}
