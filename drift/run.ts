import type { StackSpec, Targets } from '../spec/index.js';
import type { Redactor } from '../report/redact.js';
import { summarize } from '../report/summary.js';
import { runVerify } from '../verify/runner.js';
import type { TargetFamily } from '../verify/types.js';
import type { Report } from '../report/types.js';
import type { Observation } from './observe.js';
import { observe } from './observe.js';
import { driftFamilies } from './select.js';

export interface DriftRunOptions {
  readonly stack: string;
  readonly spec: StackSpec;
  readonly targets: Targets;
  /** The verify registry; drift keeps each family's drift checks (select.ts). */
  readonly families: readonly TargetFamily<unknown>[];
  readonly redactor: Redactor;
  readonly now?: () => Date;
}

export interface DriftRun {
  /** The results as a verify report (version 1), for every report format. */
  readonly report: Report;
  readonly observations: readonly Observation[];
}

/**
 * Runs the drift checks, one verify run per family and all of them at once: a result does not name the
 * target that produced it, and drift needs the target to tell apart two families judging one control.
 */
export async function runDrift(opts: DriftRunOptions): Promise<DriftRun> {
  const started = (opts.now ?? (() => new Date()))();
  const t0 = performance.now();
  const families = driftFamilies(opts.families);
  const runs = await Promise.all(
    families.map(async (family) => {
      const report = await runVerify({ stack: opts.stack, spec: opts.spec, targets: opts.targets, families: [family], redactor: opts.redactor, select: () => true, active: false, ...(opts.now && { now: opts.now }) });
      return { report, observations: observe(report.results, family.collector.target, opts.redactor) };
    }),
  );
  const results = runs.flatMap((r) => r.report.results);
  return {
    report: { version: 1, stack: opts.stack, startedAt: started.toISOString(), durationMs: Math.round(performance.now() - t0), summary: summarize(results), results },
    observations: runs.flatMap((r) => r.observations),
  };
}
