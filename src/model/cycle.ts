// What an ingest cycle reports, per source: the pipeline produces it, the schedule and the admin
// API pass it on, so it belongs to neither.
export interface SourceResult {
  sourceId: string;
  url: string;
  outcome: 'ok' | 'not_modified' | 'failed' | 'skipped';
  seen: number;
  new: number;
  updated: number;
  failed: number;
  httpStatus: number | null;
  bytes: number;
  durationMs: number;
  error?: { class: string; message: string };
}

export interface CycleResult {
  startedAt: string;
  durationMs: number;
  sources: SourceResult[];
}
