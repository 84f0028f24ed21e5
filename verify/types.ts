import type { Severity } from '../checklist/index.js';
import type { StackSpec, Targets } from '../spec/index.js';
import type { Redactor } from './redact.js';

/** pass / fail / error (could not check) / skip (not applicable or a dependency failed) / waived (a failure covered by a live waiver). */
export type Status = 'pass' | 'fail' | 'error' | 'skip' | 'waived';

/** What a check finds: one sentence saying what was expected and what was found. */
export interface Finding {
  readonly status: 'pass' | 'fail' | 'error' | 'skip';
  readonly message: string;
  readonly expected?: string;
  readonly actual?: string;
  /** The table, endpoint, key prefix... when a control yields one result per resource. */
  readonly resource?: string;
}

export interface WaiverNote {
  readonly reason: string;
  readonly owner: string;
  readonly expires: string;
  readonly expired: boolean;
}

export interface Result {
  readonly control: string;
  readonly title: string;
  readonly severity: Severity;
  readonly status: Status;
  readonly message: string;
  readonly expected?: string;
  readonly actual?: string;
  readonly resource?: string;
  readonly waiver?: WaiverNote;
  readonly durationMs: number;
}

export interface Summary {
  pass: number;
  fail: number;
  error: number;
  skip: number;
  waived: number;
}

/** The JSON report of DESIGN.md (version 1). */
export interface Report {
  readonly version: 1;
  readonly stack: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly summary: Summary;
  readonly results: readonly Result[];
}

export type TargetName = 'postgres' | 'redis' | 'stripe' | 'http' | 'vercel' | 'aws' | 'repo' | 'dns';

export interface CollectContext {
  readonly spec: StackSpec;
  readonly targets: Targets;
  /** Active mode: checks that act on the system (bounded) may run. */
  readonly active: boolean;
  readonly redactor: Redactor;
  /** Aborted when the run gives up on this target. */
  readonly signal: AbortSignal;
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
}

/** One control, judged by a pure function over a snapshot. The export name is the camelCase of the id. */
export interface Check<S> {
  readonly id: string;
  readonly target: TargetName;
  /** The check that reports reachability: it becomes `error` when collect fails; the others `skip`. */
  readonly connectivity?: boolean;
  /** Acts on the system: runs only with --active. */
  readonly active?: boolean;
  evaluate(snapshot: S, spec: StackSpec): Finding[];
}

/** A part of a snapshot that was gathered, or the reason it could not be. */
export type Probe<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export interface TargetFamily<S> {
  readonly collector: Collector<S>;
  readonly checks: readonly Check<S>[];
}
