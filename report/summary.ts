import type { Severity } from '../checklist/index.js';
import type { Report, Result, Summary } from './types.js';

export function summarize(results: readonly Result[]): Summary {
  const s: Summary = { pass: 0, fail: 0, error: 0, skip: 0, waived: 0 };
  for (const r of results) s[r.status]++;
  return s;
}

/** Nothing was judged: every result a skip, or no result at all. Such a run must never look green. */
export function checkedNothing(summary: Summary): boolean {
  return summary.pass + summary.fail + summary.error + summary.waived === 0;
}

/** 1 on any failure, else 3 when something (or everything) could not be checked, else 0: the exit codes of every command. */
export function exitCodeOf(summary: Summary): 0 | 1 | 3 {
  if (summary.fail > 0) return 1;
  if (summary.error > 0 || checkedNothing(summary)) return 3;
  return 0;
}

/** The line a command prints when a run checked nothing, saying why it is not green and what to do. */
export function checkedNothingNote(summary: Summary): string {
  return `nothing was checked: all ${summary.skip} selected results were skipped (their reasons are in the report), so this run is not a pass (exit 3): add the targets the skipped checks need, or select controls that apply.`;
}

/** Most severe first: the order `--fail-on` compares in. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}

/** Failures that set exit 1: all of them, or with `--fail-on` only those at or above its severity. */
export function blockingFailures(results: readonly Result[], failOn?: Severity): Result[] {
  return results.filter((r) => r.status === 'fail' && (failOn === undefined || atLeast(r.severity, failOn)));
}

/** exitCodeOf with `--fail-on`: failures below the threshold are reported but do not fail the run. */
export function exitCodeFor(report: Pick<Report, 'summary' | 'results'>, failOn?: Severity): 0 | 1 | 3 {
  if (failOn === undefined) return exitCodeOf(report.summary);
  return exitCodeOf({ ...report.summary, fail: blockingFailures(report.results, failOn).length });
}
