/** Access control: http.rate-limit, http.webhook.endpoint, http.auth-protected-routes, http.session-cookie-flags. */
import type { Check, Finding } from '../../types.js';
import { cannot, locationOf, plural, redirectFound, statusSummary, unwrap } from '../judge.js';
import type { HttpSnapshot } from '../snapshot.js';

export const httpRateLimit: Check<HttpSnapshot> = {
  id: 'http.rate-limit',
  target: 'http',
  active: true,
  evaluate(s, spec) {
    if (spec.http.rateLimits.length === 0) return [{ status: 'skip', message: 'No rate limits to test (spec http.rateLimits is empty).' }];
    if (!s.rateLimits) return [{ status: 'skip', message: 'The burst acts on the live system: it runs only with --active.' }];
    return s.rateLimits.map(({ method, path, limit, response }): Finding => {
      const resource = `${method} ${path}`;
      const r = unwrap(response, `finish the burst on ${resource}`);
      if (!r.ok) return { ...r.finding, resource };
      const { limited, statuses } = r.value;
      const cap = limit + 1;
      const expected = `a 429 with Retry-After or RateLimit headers within ${cap} requests`;
      if (!limited) {
        const found = statusSummary(statuses);
        return { status: 'fail', message: `${resource} must answer 429 within ${cap} requests (found ${found}).`, expected, actual: found, resource };
      }
      const headers = Object.keys(limited.headers);
      if (headers.length === 0) {
        return { status: 'fail', message: `The 429 from ${resource} must carry Retry-After or RateLimit headers (found none).`, expected, actual: '429 without rate-limit headers', resource };
      }
      const actual = `429 after ${limited.after} requests with ${headers.join(', ')}`;
      return { status: 'pass', message: `${resource} answered 429 with ${headers.join(', ')} after ${plural(limited.after, 'request')} (limit ${limit}).`, expected, actual, resource };
    });
  },
};

export const httpWebhookEndpoint: Check<HttpSnapshot> = {
  id: 'http.webhook.endpoint',
  target: 'http',
  evaluate(s) {
    const w = s.webhook;
    if (!w) return [{ status: 'skip', message: 'The stack has no prodcheck:stripe section: no webhook endpoint to check.' }];
    const unsigned = ((): Finding => {
      const resource = 'unsigned';
      const r = unwrap(w.unsigned, `POST to ${w.path}`);
      if (!r.ok) return { ...r.finding, resource };
      const { status } = r.value;
      const expected = 'a 4xx other than 404';
      return status >= 400 && status < 500 && status !== 404
        ? { status: 'pass', message: `An unsigned POST to ${w.path} is rejected with ${status}.`, expected, actual: String(status), resource }
        : { status: 'fail', message: `An unsigned POST to ${w.path} must be rejected with a 4xx other than 404 (found ${status}).`, expected, actual: String(status), resource };
    })();
    const signed = ((): Finding => {
      const resource = 'signed';
      if (!w.signed.sent) return { status: 'skip', message: `No signed test event was sent: ${w.signed.reason}.`, resource };
      const { eventType } = w.signed;
      const r = unwrap(w.signed.response, `POST a signed test event to ${w.path}`);
      if (!r.ok) return { ...r.finding, resource };
      const { status } = r.value;
      return status >= 200 && status < 300
        ? { status: 'pass', message: `A ${eventType} test event signed with the webhook secret gets ${status} from ${w.path}.`, expected: '2xx', actual: String(status), resource }
        : { status: 'fail', message: `A test event signed with the webhook secret must get a 2xx from ${w.path} (found ${status}).`, expected: '2xx', actual: String(status), resource };
    })();
    return [unsigned, signed];
  },
};

export const httpAuthProtectedRoutes: Check<HttpSnapshot> = {
  id: 'http.auth-protected-routes',
  target: 'http',
  evaluate(s, spec) {
    if (spec.http.protectedRoutes.length === 0) return [{ status: 'skip', message: 'No protected routes to check (spec http.protectedRoutes is empty).' }];
    return s.protectedRoutes.flatMap(({ path, anonymous, withSession }): Finding[] => {
      const out: Finding[] = [anonymousFinding(s, path, anonymous)];
      if (withSession) {
        const resource = `${path} (signed in)`;
        const r = unwrap(withSession, `GET ${path} with the test session`);
        if (!r.ok) out.push({ ...r.finding, resource });
        else if (r.value.status === 200) out.push({ status: 'pass', message: `GET ${path} with the test session answers 200.`, expected: '200', actual: '200', resource });
        else out.push({ status: 'fail', message: `GET ${path} with the test session must answer 200 (found ${r.value.status}).`, expected: '200', actual: String(r.value.status), resource });
      }
      return out;
    });
  },
};

function anonymousFinding(s: HttpSnapshot, path: string, anonymous: HttpSnapshot['protectedRoutes'][number]['anonymous']): Finding {
  const r = unwrap(anonymous, `GET ${path}`);
  if (!r.ok) return { ...r.finding, resource: path };
  const { status } = r.value;
  const expected = '401 or a redirect to sign-in';
  if (status === 401 || status === 403) return { status: 'pass', message: `GET ${path} without a session answers ${status}.`, expected, actual: String(status), resource: path };
  const requested = new URL(path, s.origin).href;
  const to = locationOf(r.value, requested);
  if (status >= 300 && status < 400 && to && to.href !== requested) {
    return { status: 'pass', message: `GET ${path} without a session redirects (${status}) to ${r.value.headers.location}.`, expected, actual: redirectFound(r.value), resource: path };
  }
  return { status: 'fail', message: `GET ${path} without a session must answer 401 or redirect to sign-in (found ${redirectFound(r.value)}).`, expected, actual: redirectFound(r.value), resource: path };
}

export const httpSessionCookieFlags: Check<HttpSnapshot> = {
  id: 'http.session-cookie-flags',
  target: 'http',
  evaluate(s, spec) {
    const name = spec.http.sessionCookie;
    const c = s.session.cookie;
    const expected = 'HttpOnly, Secure, SameSite=Lax or Strict';
    if (c) {
      const sameSite = c.sameSite ? `${c.sameSite[0]?.toUpperCase()}${c.sameSite.slice(1)}` : undefined;
      const problems = [
        ...(c.httpOnly ? [] : ['not HttpOnly']),
        ...(c.secure ? [] : ['not Secure']),
        ...(sameSite === 'Lax' || sameSite === 'Strict' ? [] : [sameSite ? `SameSite=${sameSite}` : 'no SameSite']),
      ];
      return problems.length === 0
        ? [{ status: 'pass', message: `Session cookie ${name} is HttpOnly, Secure and SameSite=${sameSite}.`, expected, actual: `HttpOnly, Secure, SameSite=${sameSite}`, resource: name }]
        : [{ status: 'fail', message: `Session cookie ${name} must be HttpOnly, Secure and SameSite=Lax or Strict (found ${problems.join(', ')}).`, expected, actual: problems.join(', '), resource: name }];
    }
    const signIn = s.session.signIn;
    if (!signIn) return [{ status: 'skip', message: `No response set the session cookie ${name}: set targets http.signIn to sign a test user in.`, resource: name }];
    const at = `${signIn.method} ${signIn.path}`;
    const r = unwrap(signIn.response, `sign in at ${at}`);
    if (!r.ok) return [{ ...r.finding, resource: name }];
    if (r.value.status >= 400) return [{ ...cannot(`sign in at ${at}`, `it answered ${r.value.status}`), resource: name }];
    return [{ ...cannot(`read the session cookie`, `sign-in at ${at} answered ${r.value.status} but set no cookie named ${name}`), resource: name }];
  },
};
