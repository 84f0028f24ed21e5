import { getControl } from '../checklist/index.js';
import type { StackSpec, Targets } from '../spec/index.js';
import { describeError, withTimeout } from './net.js';
import type { Redactor } from '../report/redact.js';
import { summarize } from '../report/summary.js';
import type { Check, CollectContext, Finding, Report, Result, TargetFamily } from './types.js';
import { mergeAcrossTargets, type TargetResults } from './merge.js';
import { applyWaivers } from './waivers.js';
import { RunMemo } from './memo.js';

export interface RunOptions {
  readonly stack: string;
  readonly spec: StackSpec;
  readonly targets: Targets;
  readonly families: readonly TargetFamily<unknown>[];
  readonly redactor: Redactor;
  /** Control predicate from --only / --skip. */
  readonly select: (id: string) => boolean;
  /** Selected controls that are skipped with the given reason instead of run (e.g. what the machine lacks). */
  readonly skipped?: ReadonlyMap<string, string>;
  readonly active: boolean;
  /** Upper bound for one target's whole collect, on top of each call's own timeout. */
  readonly targetTimeoutMs?: number;
  readonly now?: () => Date;
  /** Called with each target's results (as merged across targets), for progress output. */
  readonly onResults?: (results: readonly Result[]) => void;
}

/**
 * Runs every selected check, in three phases: every target collected at once (one snapshot per target),
 * then each target's timings one target at a time, then the pure checks judge the snapshots. Results
 * are merged across targets, waived and redacted.
 */
export async function runVerify(opts: RunOptions): Promise<Report> {
  const now = opts.now ?? (() => new Date());
  const started = now();
  const t0 = performance.now();
  const run: Run = { ...opts, memo: new RunMemo() };
  const collected = await Promise.all(
    opts.families.map(async (family) => {
      const plan = planTarget(family, run);
      return { plan, outcome: await collectTarget(plan, run) };
    }),
  );
  const perTarget: TargetResults[] = [];
  // Timings run one target at a time once every collect is over: measured in a busy process they would
  // time prodcheck's own event loop, not the target.
  for (const { plan, outcome } of collected) {
    const results = 'snapshot' in outcome ? judge(plan, await measured(plan, outcome.snapshot, run), opts.spec) : outcome.results;
    perTarget.push({ target: plan.family.collector.target, results: [...results, ...plan.settled] });
  }
  const merged = mergeAcrossTargets(perTarget);
  const kept = new Set(merged);
  // Progress shows what the report will hold: each target's results once the merge has settled them.
  for (const t of perTarget) opts.onResults?.(t.results.filter((r) => kept.has(r)));
  const results = applyWaivers(merged, opts.spec.waivers, started.toISOString().slice(0, 10)).map((r) => opts.redactor.redactValue(r));
  return {
    version: 1,
    stack: opts.stack,
    startedAt: started.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    summary: summarize(results),
    results,
  };
}

/** One run's options and what its targets share. */
type Run = RunOptions & { readonly memo: RunMemo };

/** Each target's budget for its collect, and again for its timings (DESIGN.md "Bounded"). */
const TARGET_TIMEOUT_MS = 60_000;

/** What one target will run, and the results settled without contacting it. */
interface TargetPlan {
  readonly family: TargetFamily<unknown>;
  /** The checks that need the target's snapshot. */
  readonly runnable: readonly Check<unknown>[];
  /** Skips known beforehand, reported after the runnable checks' results: not applicable, acting without --active, preset. */
  readonly settled: readonly Result[];
}

function planTarget(family: TargetFamily<unknown>, opts: RunOptions): TargetPlan {
  const selected = family.checks.filter((c) => opts.select(c.id));
  const preset = selected.flatMap((c) => {
    const reason = opts.skipped?.get(c.id);
    return reason === undefined ? [] : [result(c, { status: 'skip', message: reason }, 0)];
  });
  const checks = selected.filter((c) => !opts.skipped?.has(c.id));
  if (checks.length === 0) return { family, runnable: [], settled: preset };
  const notApplicable = family.collector.applies(opts.spec, opts.targets);
  if (notApplicable !== undefined) return { family, runnable: [], settled: [...checks.map((c) => result(c, { status: 'skip', message: notApplicable }, 0)), ...preset] };
  const runnable = checks.filter((c) => opts.active || !c.active);
  const acting = checks.filter((c) => !runnable.includes(c)).map((c) => result(c, { status: 'skip', message: 'acts on the live system: runs only with --active' }, 0));
  return { family, runnable, settled: [...acting, ...preset] };
}

/** The target's snapshot, or, when it could not be reached, the runnable checks' results saying so. */
type Collected = { readonly snapshot: unknown } | { readonly results: readonly Result[] };

async function collectTarget(plan: TargetPlan, opts: Run): Promise<Collected> {
  const { family, runnable } = plan;
  if (runnable.length === 0) return { results: [] };
  const t0 = performance.now();
  try {
    return { snapshot: await withTimeout(`${family.collector.target} target`, opts.targetTimeoutMs ?? TARGET_TIMEOUT_MS, (signal) => family.collector.collect(context(opts, signal, plan))) };
  } catch (e) {
    const why = `${family.collector.target} could not be reached: ${describeError(e)}`;
    const elapsed = Math.round(performance.now() - t0);
    // The connectivity checks report the error; the others skip because of it (or all error if none is about connectivity).
    const hasConnectivity = runnable.some((c) => c.connectivity);
    return {
      results: runnable.map((c) =>
        c.connectivity || !hasConnectivity ? result(c, { status: 'error', message: `${why}.` }, elapsed) : result(c, { status: 'skip', message: `skipped: ${why}.` }, elapsed),
      ),
    };
  }
}

/** The snapshot with the target's timings, where its collector measures any. A measure that throws leaves it as collected: its timings say "not measured". */
async function measured(plan: TargetPlan, snapshot: unknown, opts: Run): Promise<unknown> {
  const { measure, target } = plan.family.collector;
  if (!measure) return snapshot;
  return withTimeout(`${target} timing`, opts.targetTimeoutMs ?? TARGET_TIMEOUT_MS, (signal) => measure(snapshot, context(opts, signal, plan))).catch(() => snapshot);
}

/**
 * The runnable checks' results. A result's time is its own check's: the collect is shared by every check
 * of the target, and charging it to each would make the JUnit report claim the target's time once per check.
 */
function judge(plan: TargetPlan, snapshot: unknown, spec: StackSpec): Result[] {
  return plan.runnable.flatMap((check) => {
    const e0 = performance.now();
    let findings: Finding[];
    try {
      findings = check.evaluate(snapshot, spec);
    } catch (e) {
      findings = [{ status: 'error', message: `the check itself failed: ${describeError(e)}` }];
    }
    const ms = Math.round((performance.now() - e0) * 1000) / 1000;
    return findings.map((f) => result(check, f, ms));
  });
}

function context(opts: Run, signal: AbortSignal, plan: TargetPlan): CollectContext {
  const running = new Set(plan.runnable.map((c) => c.id));
  return { spec: opts.spec, targets: opts.targets, active: opts.active, redactor: opts.redactor, signal, runs: (control) => running.has(control), memo: opts.memo };
}

function result(check: Check<unknown>, f: Finding, durationMs: number): Result {
  const control = getControl(check.id);
  return { control: check.id, title: control.title, severity: control.severity, ...f, durationMs };
}
