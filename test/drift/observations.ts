import type { Observation } from '../../drift/observe.js';
import { fingerprintOf } from '../../drift/observe.js';
import type { TargetName } from '../../verify/types.js';
import type { Status } from '../../report/types.js';

/** An observation as observe() would make it, for the pure diff tests. */
export function obs(key: string, status: Status, message: string, fields: { expected?: string; observed?: string; target?: TargetName } = {}): Observation {
  const control = key.split(' ')[0] ?? key;
  return {
    target: fields.target ?? 'redis',
    key,
    control,
    status,
    ...(fields.expected !== undefined && { expected: fields.expected }),
    ...(fields.observed !== undefined && { observed: fields.observed }),
    fingerprint: fingerprintOf(status, fields.expected, fields.observed),
    message,
  };
}
