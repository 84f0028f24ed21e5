import { getControl } from '../checklist/index.js';
import type { StackSpec, Targets } from '../spec/index.js';
import { describeError, withTimeout } from './net.js';
import type { Redactor } from '../report/redact.js';
import { summarize } from '../report/summary.js';
import type { Check, Finding, Report, Result, TargetFamily } from './types.js';
import { mergeAcrossTargets, type TargetResults } from './merge.js';
import { applyWaivers } from './waivers.js';

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

/** Runs every selected check: targets concurrently, each collected once, timed alone, then judged by pure checks. */
export async function runVerify(opts: RunOptions): Promise<Report> {
  const now = opts.now ?? (() => new Date());
  const started = now();
  const t0 = performance.now();
  const collected = await Promise.all(opts.families.map((family) => collectFamily(family, opts)));
  const perTarget: TargetResults[] = [];
  // Timings run one target at a time once every collect is over: measured in a busy process they would
  // time prodcheck's own event loop, not the target.
  for (const c of collected) {
    const results = 'results' in c ? c.results : await judgeFamily(c, opts);
    perTarget.push({ target: c.family.collector.target, results });
  }
  const merged = mergeAcrossTargets(perTarget);
  // Progress shows what the report will hold: each target's results once the merge has settled them.
  for (const t of perTarget) opts.onResults?.(merged.filter((r) => t.results.includes(r)));
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

interface Collected {
  readonly family: TargetFamily<unknown>;
  readonly snapshot: unknown;
  readonly runnable: readonly Check<unknown>[];
  readonly passive: readonly Result[];
  readonly collectMs: number;
}

async function collectFamily(family: TargetFamily<unknown>, opts: RunOptions): Promise<Collected | { family: TargetFamily<unknown>; results: Result[] }> {
  const done = (results: Result[]) => ({ family, results });
  const selected = family.checks.filter((c) => opts.select(c.id));
  const preset = selected.flatMap((c) => {
    const reason = opts.skipped?.get(c.id);
    return reason === undefined ? [] : [result(c, { status: 'skip', message: reason }, 0)];
  });
  const checks = selected.filter((c) => !opts.skipped?.has(c.id));
  if (checks.length === 0) return done(preset);
  const t0 = performance.now();
  const elapsed = () => Math.round(performance.now() - t0);
  const notApplicable = family.collector.applies(opts.spec, opts.targets);
  if (notApplicable !== undefined) return done([...checks.map((c) => result(c, { status: 'skip', message: notApplicable }, 0)), ...preset]);
  const runnable = checks.filter((c) => opts.active || !c.active);
  const passive = [...checks.filter((c) => !runnable.includes(c)).map((c) => result(c, { status: 'skip', message: 'acts on the live system: runs only with --active' }, 0)), ...preset];
  if (runnable.length === 0) return done(passive);
  try {
    const snapshot = await withTimeout(`${family.collector.target} target`, opts.targetTimeoutMs ?? 60_000, (signal) => family.collector.collect(context(opts, signal)));
    return { family, snapshot, runnable, passive, collectMs: elapsed() };
  } catch (e) {
    const why = `${family.collector.target} could not be reached: ${describeError(e)}`;
    const hasConnectivity = runnable.some((c) => c.connectivity);
    return done([
      ...runnable.map((c) =>
        c.connectivity || !hasConnectivity
          ? result(c, { status: 'error', message: `${why}.` }, elapsed())
          : result(c, { status: 'skip', message: `skipped: ${why}.` }, elapsed()),
      ),
      ...passive,
    ]);
  }
}

async function judgeFamily(c: Collected, opts: RunOptions): Promise<Result[]> {
  let snapshot = c.snapshot;
  const measure = c.family.collector.measure;
  if (measure) {
    // A measure that throws leaves the snapshot as collect left it: its timings say "not measured".
    snapshot = await withTimeout(`${c.family.collector.target} timing`, opts.targetTimeoutMs ?? 60_000, (signal) => measure(snapshot, context(opts, signal))).catch(() => snapshot);
  }
  // A result's time is its own check's: the collect is shared by every check of the target, and
  // charging it to each would make the JUnit report claim the target's time once per check.
  return [
    ...c.runnable.flatMap((check) => {
      const e0 = performance.now();
      let findings: Finding[];
      try {
        findings = check.evaluate(snapshot, opts.spec);
      } catch (e) {
        findings = [{ status: 'error', message: `the check itself failed: ${describeError(e)}` }];
      }
      const ms = Math.round((performance.now() - e0) * 1000) / 1000;
      return findings.map((f) => result(check, f, ms));
    }),
    ...c.passive,
  ];
}

function context(opts: RunOptions, signal: AbortSignal) {
  return { spec: opts.spec, targets: opts.targets, active: opts.active, redactor: opts.redactor, signal };
}

function result(check: Check<unknown>, f: Finding, durationMs: number): Result {
  const control = getControl(check.id);
  return { control: check.id, title: control.title, severity: control.severity, ...f, durationMs };
}
