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

export function verdictOf(differences: readonly Difference[], refresh?: RefreshOutcome): Verdict {
  const counts = countKinds(differences);
  const drifted = differences.some((d) => isDrift(d.kind)) || refresh?.status === 'fail';
  const found = [
    counts['new-failure'] > 0 && plural(counts['new-failure'], 'new failure', 'new failures'),
    counts.changed > 0 && plural(counts.changed, 'changed value', 'changed values'),
    refresh?.status === 'fail' && 'Pulumi refresh found changes',
  ].filter((x): x is string => typeof x === 'string');
  const unchecked = counts['could-not-check'] + (refresh?.status === 'error' ? 1 : 0);
  if (drifted) return { exitCode: 1, headline: `Drift: ${found.join(', ')} (exit 1).`, counts };
  if (unchecked > 0) return { exitCode: 3, headline: `No drift found, but ${plural(unchecked, 'result', 'results')} could not be checked (exit 3).`, counts };
  return { exitCode: 0, headline: `No drift: ${plural(differences.length, 'result', 'results')} compared with the baseline (exit 0).`, counts };
}
