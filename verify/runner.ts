import { getControl } from '../checklist/index.js';
import type { StackSpec, Targets } from '../spec/index.js';
import { describeError, withTimeout } from './net.js';
import type { Redactor } from '../report/redact.js';
import { summarize } from '../report/summary.js';
import type { Check, Finding, Report, Result, TargetFamily } from './types.js';
import { applyWaivers } from './waivers.js';

export interface RunOptions {
  readonly stack: string;
  readonly spec: StackSpec;
  readonly targets: Targets;
  readonly families: readonly TargetFamily<unknown>[];
  readonly redactor: Redactor;
  /** Control predicate from --only / --skip. */
  readonly select: (id: string) => boolean;
  readonly active: boolean;
  /** Upper bound for one target's whole collect, on top of each call's own timeout. */
  readonly targetTimeoutMs?: number;
  readonly now?: () => Date;
  /** Called as each target finishes, for live progress. */
  readonly onResults?: (results: readonly Result[]) => void;
}

/** Runs every selected check: targets concurrently, each collected once, then judged by pure checks. */
export async function runVerify(opts: RunOptions): Promise<Report> {
  const now = opts.now ?? (() => new Date());
  const started = now();
  const t0 = performance.now();
  const perFamily = await Promise.all(
    opts.families.map(async (family) => {
      const results = await runFamily(family, opts);
      opts.onResults?.(results);
      return results;
    }),
  );
  const results = applyWaivers(perFamily.flat(), opts.spec.waivers, started.toISOString().slice(0, 10)).map((r) => opts.redactor.redactValue(r));
  return {
    version: 1,
    stack: opts.stack,
    startedAt: started.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    summary: summarize(results),
    results,
  };
}

async function runFamily(family: TargetFamily<unknown>, opts: RunOptions): Promise<Result[]> {
  const checks = family.checks.filter((c) => opts.select(c.id));
  if (checks.length === 0) return [];
  const t0 = performance.now();
  const elapsed = () => Math.round(performance.now() - t0);
  const notApplicable = family.collector.applies(opts.spec, opts.targets);
  if (notApplicable !== undefined) return checks.map((c) => result(c, { status: 'skip', message: notApplicable }, 0));
  const runnable = checks.filter((c) => opts.active || !c.active);
  const passive = checks.filter((c) => !runnable.includes(c)).map((c) => result(c, { status: 'skip', message: 'acts on the live system: runs only with --active' }, 0));
  if (runnable.length === 0) return passive;
  let snapshot: unknown;
  try {
    const budget = opts.targetTimeoutMs ?? 60_000;
    snapshot = await withTimeout(`${family.collector.target} target`, budget, (signal) =>
      family.collector.collect({ spec: opts.spec, targets: opts.targets, active: opts.active, redactor: opts.redactor, signal }),
    );
  } catch (e) {
    const why = `${family.collector.target} could not be reached: ${describeError(e)}`;
    const hasConnectivity = runnable.some((c) => c.connectivity);
    return [
      ...runnable.map((c) =>
        c.connectivity || !hasConnectivity
          ? result(c, { status: 'error', message: `${why}.` }, elapsed())
          : result(c, { status: 'skip', message: `skipped: ${why}.` }, elapsed()),
      ),
      ...passive,
    ];
  }
  // A result's time is its own check's: the collect is shared by every check of the target, and
  // charging it to each would make the JUnit report claim the target's time once per check.
  return [
    ...runnable.flatMap((c) => {
      const e0 = performance.now();
      let findings: Finding[];
      try {
        findings = c.evaluate(snapshot, opts.spec);
      } catch (e) {
        findings = [{ status: 'error', message: `the check itself failed: ${describeError(e)}` }];
      }
      const ms = Math.round((performance.now() - e0) * 1000) / 1000;
      return findings.map((f) => result(c, f, ms));
    }),
    ...passive,
  ];
}

function result(check: Check<unknown>, f: Finding, durationMs: number): Result {
  const control = getControl(check.id);
  return { control: check.id, title: control.title, severity: control.severity, ...f, durationMs };
}
