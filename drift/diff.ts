import type { Observation } from './observe.js';
import { wasChecked } from './observe.js';

/**
 * How one result compares with the baseline. `new-failure` and `changed` are drift; the others are
 * reported but leave the exit code alone: a resolved failure, a failure the baseline accepted, or a
 * result that appears or disappears with a change of config or of prodcheck is not the live system drifting.
 */
export type DriftKind = 'new-failure' | 'changed' | 'could-not-check' | 'resolved' | 'still-failing' | 'new' | 'removed' | 'unchanged';

export const DRIFT_KINDS: readonly DriftKind[] = ['new-failure', 'changed', 'could-not-check', 'resolved', 'still-failing', 'new', 'removed', 'unchanged'];

export function isDrift(kind: DriftKind): boolean {
  return kind === 'new-failure' || kind === 'changed';
}

export interface Difference {
  readonly kind: DriftKind;
  readonly key: string;
  readonly control: string;
  readonly before?: Observation;
  readonly after?: Observation;
  /** One sentence: what the baseline held and what this run found. */
  readonly detail: string;
}

const quote = (s: string | undefined): string => (s === undefined ? 'nothing' : `"${s}"`);

function baselineNote(before: Observation | undefined): string {
  if (before === undefined) return 'not in the baseline';
  if (!wasChecked(before)) return 'the baseline could not check it';
  return `baseline: ${before.status}${before.observed === undefined ? '' : ` ${quote(before.observed)}`}`;
}

/** `status pass → skip, found "a" → "b"`: each compared part that differs. */
function changes(before: Observation, after: Observation): string {
  const parts: string[] = [];
  if (before.status !== after.status) parts.push(`status ${before.status} → ${after.status}`);
  if (before.expected !== after.expected) parts.push(`expected ${quote(before.expected)} → ${quote(after.expected)}`);
  if (before.observed !== after.observed) parts.push(`found ${quote(before.observed)} → ${quote(after.observed)}`);
  return parts.join(', ');
}

export function classify(before: Observation | undefined, after: Observation | undefined): Difference {
  if (after === undefined) {
    if (before === undefined) throw new Error('classify needs a baseline entry or a current result');
    return { kind: 'removed', key: before.key, control: before.control, before, detail: `In the baseline (${before.status}: ${before.message}) but not produced by this run.` };
  }
  const at = { key: (before ?? after).key, control: after.control, after, ...(before !== undefined && { before }) };
  if (!wasChecked(after)) return { ...at, kind: 'could-not-check', detail: `${after.message} (${baselineNote(before)})` };
  if (before === undefined || !wasChecked(before)) {
    return after.status === 'fail'
      ? { ...at, kind: 'new-failure', detail: `${after.message} (${baselineNote(before)})` }
      : { ...at, kind: 'new', detail: `${after.status}: ${after.message} (${baselineNote(before)})` };
  }
  if (after.status === 'fail') {
    if (before.status !== 'fail') return { ...at, kind: 'new-failure', detail: `${after.message} (${baselineNote(before)})` };
    return before.fingerprint === after.fingerprint
      ? { ...at, kind: 'still-failing', detail: after.message }
      : { ...at, kind: 'changed', detail: `${changes(before, after)}: ${after.message}` };
  }
  if (before.status === 'fail') return { ...at, kind: 'resolved', detail: `now ${after.status}: ${after.message} (${baselineNote(before)})` };
  return before.fingerprint === after.fingerprint
    ? { ...at, kind: 'unchanged', detail: after.message }
    : { ...at, kind: 'changed', detail: `${changes(before, after)}: ${after.message}` };
}

const identity = (o: Observation): string => `${o.target} ${o.key}`;

/**
 * Every current result against its baseline entry, then the baseline entries this run did not produce.
 * A target that could not be reached yields one result per check, without the resources the baseline
 * lists (one per table, per prefix...): those entries could not be checked, they were not removed.
 */
export function diff(baseline: readonly Observation[], current: readonly Observation[]): Difference[] {
  const byId = new Map(baseline.map((o) => [identity(o), o]));
  const currentIds = new Set(current.map(identity));
  // A control's unchecked result stands for its baseline resources this run could not reach, also when
  // that result has a baseline entry of its own (redis.connectivity and redis.connectivity [authentication]).
  const unreached = new Map(current.filter((o) => !wasChecked(o)).map((o) => [`${o.target} ${o.control}`, o]));
  const standsFor = new Set<Observation>();
  const leftover = baseline
    .filter((o) => !currentIds.has(identity(o)))
    .map((o) => {
      const stand = unreached.get(`${o.target} ${o.control}`);
      if (stand && !byId.has(identity(stand))) standsFor.add(stand);
      return classify(o, stand);
    });
  return [...current.filter((o) => !standsFor.has(o)).map((o) => classify(byId.get(identity(o)), o)), ...leftover];
}

export type DriftCounts = Readonly<Record<DriftKind, number>>;

export function countKinds(differences: readonly Difference[]): DriftCounts {
  const counts = Object.fromEntries(DRIFT_KINDS.map((k) => [k, 0])) as Record<DriftKind, number>;
  for (const d of differences) counts[d.kind]++;
  return counts;
}
