import type { Check, TargetFamily } from '../types.js';
import { HTTP_CHECKS } from './checks/index.js';
import { httpCollector } from './collect.js';
import type { HttpSnapshot } from './snapshot.js';

export type { HttpSnapshot } from './snapshot.js';
export { HttpUnreachableError } from './collect.js';
export * from './checks/index.js';

/**
 * After a certificate that did not verify, the answers may come from an impostor: only http.tls-certificate
 * judges them, every other check skips with the reason.
 */
function trustedOnly(check: Check<HttpSnapshot>): Check<HttpSnapshot> {
  if (check.id === 'http.tls-certificate') return check;
  return {
    ...check,
    evaluate: (s, spec) =>
      s.untrusted
        ? [
            {
              status: 'skip',
              message: `skipped: the TLS certificate of ${s.untrusted.host} did not verify (${s.untrusted.reason}), so its answers are not judged and no credentials or signed events were sent to it (see http.tls-certificate).`,
            },
          ]
        : check.evaluate(s, spec),
  };
}

export const httpFamily: TargetFamily<HttpSnapshot> = { collector: httpCollector, checks: HTTP_CHECKS.map(trustedOnly) };
