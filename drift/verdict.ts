import type { Severity } from '../checklist/index.js';
import { CONTROLS } from '../checklist/index.js';
import { atLeast } from '../report/summary.js';
import type { Difference, DriftCounts } from './diff.js';
import { countKinds, isDrift } from './diff.js';
import type { RefreshOutcome } from './refresh.js';

export interface Verdict {
  /** 1 drift, 3 could not check (and no drift), 0 none: the exit codes of every prodcheck command. */
  readonly exitCode: 0 | 1 | 3;
  readonly headline: string;
  readonly counts: DriftCounts;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
const SEVERITY = new Map(CONTROLS.map((c) => [c.id, c.severity]));

/**
 * Drift that sets exit 1: every new failure and changed value, or with `--fail-on SEVERITY` only those
 * of controls at or above it. A control the catalogue does not know has no severity below any
 * threshold: it always counts.
 */
export function blockingDrift(differences: readonly Difference[], failOn?: Severity): Difference[] {
  return differences.filter((d) => {
    if (!isDrift(d.kind)) return false;
    const severity = SEVERITY.get(d.control);
    return failOn === undefined || severity === undefined || atLeast(severity, failOn);
  });
}

export function verdictOf(differences: readonly Difference[], refresh?: RefreshOutcome, failOn?: Severity): Verdict {
  const counts = countKinds(differences);
  const blocking = countKinds(blockingDrift(differences, failOn));
  const letThrough = counts['new-failure'] + counts.changed - blocking['new-failure'] - blocking.changed;
  // A Pulumi refresh's changes name no control and so no severity: they always count.
  const drifted = blocking['new-failure'] + blocking.changed > 0 || refresh?.status === 'fail';
  const found = [
    blocking['new-failure'] > 0 && plural(blocking['new-failure'], 'new failure', 'new failures'),
    blocking.changed > 0 && plural(blocking.changed, 'changed value', 'changed values'),
    refresh?.status === 'fail' && 'Pulumi refresh found changes',
  ].filter((x): x is string => typeof x === 'string');
  const below = letThrough > 0 ? `; ${plural(letThrough, 'drifted result', 'drifted results')} below --fail-on ${failOn ?? 'low'} let through` : '';
  const unchecked = counts['could-not-check'] + (refresh?.status === 'error' ? 1 : 0);
  if (drifted) return { exitCode: 1, headline: `Drift: ${found.join(', ')}${failOn === undefined ? '' : ` at or above ${failOn}`}${below} (exit 1).`, counts };
  if (unchecked > 0) return { exitCode: 3, headline: `No drift found${failOn === undefined ? '' : ` at or above ${failOn}`}, but ${plural(unchecked, 'result', 'results')} could not be checked${below} (exit 3).`, counts };
  if (letThrough > 0) return { exitCode: 0, headline: `No drift at or above ${failOn ?? 'low'}: ${plural(differences.length, 'result', 'results')} compared with the baseline${below} (exit 0).`, counts };
  return { exitCode: 0, headline: `No drift: ${plural(differences.length, 'result', 'results')} compared with the baseline (exit 0).`, counts };
}
