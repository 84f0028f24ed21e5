/** Leaks: http.client-bundle-secrets, http.error-leakage. */
import type { Check, Finding } from '../../types.js';
import { cannot, list, plural, unwrap } from '../judge.js';
import type { HttpSnapshot } from '../snapshot.js';

export const httpClientBundleSecrets: Check<HttpSnapshot> = {
  id: 'http.client-bundle-secrets',
  target: 'http',
  evaluate(s) {
    const { scanned, failed, secrets } = s.bundle;
    const out: Finding[] = secrets.map((x) => ({
      status: 'fail',
      message: `Client code must contain no secrets (found ${x.kind} at ${x.location}, ${x.fingerprint}).`,
      expected: 'no secrets',
      actual: `${x.kind} (${x.fingerprint})`,
      resource: x.location,
    }));
    for (const f of failed) out.push({ ...cannot(`fetch ${f.path} to scan it`, f.error), resource: f.path });
    if (secrets.length === 0 && scanned.length > 0) {
      out.unshift({ status: 'pass', message: `No secrets found in ${plural(scanned.length, 'scanned file')} (pages and the scripts they load).`, expected: 'no secrets', actual: 'none found' });
    }
    if (scanned.length === 0 && failed.length === 0) out.push({ status: 'skip', message: 'No page answered 200 with HTML, so there was nothing to scan.' });
    return out;
  },
};

export const httpErrorLeakage: Check<HttpSnapshot> = {
  id: 'http.error-leakage',
  target: 'http',
  evaluate(s) {
    return s.errorProbes.map(({ label, response }): Finding => {
      const r = unwrap(response, `send ${label}`);
      if (!r.ok) return { ...r.finding, resource: label };
      const { status, leaks } = r.value;
      const expected = 'no stack traces, connection strings or secrets';
      return leaks.length === 0
        ? { status: 'pass', message: `The ${status} answer to ${label} leaks no stack trace, connection string or secret.`, expected, actual: 'none', resource: label }
        : { status: 'fail', message: `Error responses must not leak internals (found ${list(leaks)} in the ${status} answer to ${label}).`, expected, actual: leaks.join(', '), resource: label };
    });
  },
};
