import type { StackSpec, Targets } from '../spec/index.js';
import type { Redactor } from '../report/redact.js';
import type { Finding } from '../report/types.js';
import type { RunMemo } from './memo.js';

export type { Finding, Report, Result, Status, Summary, WaiverNote } from '../report/types.js';

/** Every target family verify knows, as the targets file and drift baselines name them. */
export const TARGET_NAMES = ['postgres', 'redis', 'stripe', 'http', 'vercel', 'aws', 'repo', 'dns', 'github', 'sentry', 'checkly', 'upstash', 'litellm', 'resend', 'supabase', 'neon', 'perf', 'datadog'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export interface CollectContext {
  readonly spec: StackSpec;
  readonly targets: Targets;
  /** Active mode: checks that act on the system (bounded) may run. */
  readonly active: boolean;
  readonly redactor: Redactor;
  /** Aborted when the run gives up on this target. */
  readonly signal: AbortSignal;
  /**
   * Whether a check of this control runs in this verify (selected with --only/--skip, and allowed without
   * --active). A collector may leave out work only unselected checks need; absent: every check runs.
   */
  readonly runs?: (control: string) => boolean;
  /** Shared by every target of the run: what several of them read from one place is read once. Absent: nothing is shared. */
  readonly memo?: RunMemo;
}

/**
 * Gathers a target's state once. `applies` says why the target is not checked (no section in the spec,
 * no entry in the targets file) or returns undefined when it is. `collect` throws when the target
 * cannot be reached at all; partial failures are recorded inside the snapshot as Probe errors.
 */
export interface Collector<S> {
  readonly target: TargetName;
  applies(spec: StackSpec, targets: Targets): string | undefined;
  collect(ctx: CollectContext): Promise<S>;
  /**
   * Timings (latency percentiles) taken after every target's collect has finished, one target at a time,
   * so that nothing else in this process competes with the measurement. Records failures in the snapshot.
   */
  measure?(snapshot: S, ctx: CollectContext): Promise<S>;
}

/** One control, judged by a pure function over a snapshot. The export name is the camelCase of the id. */
export interface Check<S> {
  readonly id: string;
  readonly target: TargetName;
  /** The check that reports reachability: it becomes `error` when collect fails; the others `skip`. */
  readonly connectivity?: boolean;
  /** Acts on the system: runs only with --active. */
  readonly active?: boolean;
  /**
   * The catalogue stage this check implements when it is not the default (V; A for an acting check whose
   * control has an A stage): an acting check that is the catalogue's V itself says V.
   */
  readonly stage?: 'V' | 'A';
  evaluate(snapshot: S, spec: StackSpec): Finding[];
}

/** A part of a snapshot that was gathered, or the reason it could not be. */
export type Probe<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export interface TargetFamily<S> {
  readonly collector: Collector<S>;
  readonly checks: readonly Check<S>[];
}
