/** The result model every report shares: verify, gate and drift produce it, every format renders it. */
import type { Severity } from '../checklist/index.js';

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
  /** A gate violation the policy config makes advisory: it passes (the engine lets it through) but is shown as a warning everywhere. */
  readonly advisory?: boolean;
  /** The check's own time; a target's shared collect is not in it. */
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
