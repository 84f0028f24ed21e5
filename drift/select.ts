import type { Implementation } from '../checklist/index.js';
import { getControl } from '../checklist/index.js';
import type { Check, TargetFamily } from '../verify/types.js';
import { REFRESH_CONTROL } from './refresh.js';

/**
 * Drift re-runs a verify check when its control has stage D in the catalogue. Checks that act on the
 * live system stay out: drift runs unattended on a schedule and never writes (DESIGN.md, read-only by default).
 */
export function isDriftCheck(check: Check<unknown>): boolean {
  return check.active !== true && getControl(check.id).stages.includes('D');
}

/** The families with only their drift checks; families left without any are dropped, so their targets are never contacted. */
export function driftFamilies(families: readonly TargetFamily<unknown>[]): TargetFamily<unknown>[] {
  return families.flatMap((f) => {
    const checks = f.checks.filter(isDriftCheck);
    return checks.length > 0 ? [{ collector: f.collector, checks }] : [];
  });
}

/** What drift registers for the coverage matrix: stage D of every check it re-runs, plus the Pulumi refresh. */
export function driftImplementations(families: readonly TargetFamily<unknown>[]): Implementation[] {
  return [
    ...driftFamilies(families).flatMap((f) => f.checks.map((c) => ({ control: c.id, stage: 'D' as const, source: `drift/${f.collector.target}` }))),
    { control: REFRESH_CONTROL, stage: 'D', source: 'drift/refresh' },
  ];
}
