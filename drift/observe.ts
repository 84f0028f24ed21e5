import { createHash } from 'node:crypto';
import type { Redactor } from '../report/redact.js';
import type { TargetName } from '../verify/types.js';
import type { Result, Status } from '../report/types.js';
import { isMeasured } from './measured.js';

/** One result reduced to what drift compares and keeps: no timing, no secret (every string redacted). */
export interface Observation {
  /** The family that produced it: one control can be judged by two targets (env.redis-url by redis and vercel). */
  readonly target: TargetName;
  /** `control` or `control [resource]`, unique within its target. */
  readonly key: string;
  readonly control: string;
  readonly resource?: string;
  readonly status: Status;
  readonly expected?: string;
  /** What the check found (its `actual`, else its message); absent for measurements (drift/measured.ts). */
  readonly observed?: string;
  /** sha256 prefix over status, expected and observed: equal fingerprints mean nothing drift compares has changed. */
  readonly fingerprint: string;
  readonly message: string;
}

export function fingerprintOf(status: Status, expected: string | undefined, observed: string | undefined): string {
  return createHash('sha256')
    .update(JSON.stringify([status, expected ?? null, observed ?? null]))
    .digest('hex')
    .slice(0, 16);
}

/**
 * The runner reports "could not check" as an error on the target's connectivity check and a skip that
 * starts with "skipped:" on the checks that depend on it; neither says anything about the live state.
 */
export function wasChecked(o: Pick<Observation, 'status' | 'message'>): boolean {
  return o.status !== 'error' && !(o.status === 'skip' && /^skipped:/i.test(o.message));
}

/**
 * Results become observations. The fingerprint is taken over the redacted text, so the baseline holds
 * no secret in any form, not even as a hash.
 */
export function observe(results: readonly Result[], target: TargetName, redactor: Redactor): Observation[] {
  const seen = new Map<string, number>();
  return results.map((r) => {
    const base = r.resource === undefined ? r.control : `${r.control} [${redactor.redact(r.resource)}]`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    // A control that yields two results for the same resource keeps them apart by their order.
    const key = n === 1 ? base : `${base} #${n}`;
    const expected = r.expected === undefined ? undefined : redactor.redact(r.expected);
    const observed = isMeasured(r.control, r.resource) ? undefined : redactor.redact(r.actual ?? r.message);
    return {
      target,
      key,
      control: r.control,
      ...(r.resource !== undefined && { resource: redactor.redact(r.resource) }),
      status: r.status,
      ...(expected !== undefined && { expected }),
      ...(observed !== undefined && { observed }),
      fingerprint: fingerprintOf(r.status, expected, observed),
      message: redactor.redact(r.message),
    };
  });
}
