import type { Probe } from '../types.js';

/** Timed requests to one route. */
export interface Timing {
  /** Time to the last byte of each timed answer, in order. */
  readonly samplesMs: readonly number[];
  /** Status of each timed answer, in order. */
  readonly statuses: readonly number[];
  /** How the samples were taken, for the report. */
  readonly method: string;
}

/** The medians-to-be of one Lighthouse run of one page. */
export interface VitalsRun {
  /** Lighthouse performance score, 0..1. */
  readonly score: number;
  readonly lcpMs: number;
  readonly cls: number;
  readonly tbtMs: number;
  readonly fcpMs: number;
  /** Undefined when Lighthouse reported no Time to Interactive. */
  readonly ttiMs?: number;
}

export interface PageVitals {
  readonly path: string;
  readonly runs: readonly Probe<VitalsRun>[];
}

/** Everything the perf family measured; each part is "not measured" until the runner's measure phase fills it. */
export interface PerfSnapshot {
  readonly origin: string;
  readonly apiLatency: readonly { readonly method: string; readonly path: string; readonly timing: Probe<Timing> }[];
  readonly modelsCache?: { readonly path: string; readonly first: Probe<{ readonly ms: number; readonly status: number }>; readonly timing: Probe<Timing> };
  readonly webVitals?: Probe<{ readonly pages: readonly PageVitals[]; readonly method: string }>;
}
