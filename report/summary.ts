import type { Severity } from '../checklist/index.js';
import type { Report, Result, Summary } from './types.js';

export function summarize(results: readonly Result[]): Summary {
  const s: Summary = { pass: 0, fail: 0, error: 0, skip: 0, waived: 0 };
  for (const r of results) s[r.status]++;
  return s;
}

/** 1 on any failure, else 3 when something could not be checked, else 0: the exit codes of every command. */
export function exitCodeOf(summary: Summary): 0 | 1 | 3 {
  if (summary.fail > 0) return 1;
  if (summary.error > 0) return 3;
  return 0;
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
  if (blockingFailures(report.results, failOn).length > 0) return 1;
  return report.summary.error > 0 ? 3 : 0;
}
