/** Access control: http.rate-limit, http.webhook.endpoint, http.auth-protected-routes, http.session-cookie-flags. */
import type { Check, Finding } from '../../types.js';
import { cannot, locationOf, plural, redirectFound, statusSummary, unwrap } from '../judge.js';
import type { HttpSnapshot, ResponseInfo } from '../snapshot.js';
import type { Probe } from '../../types.js';

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

/** What a signature check answers when it refuses (Stripe's libraries and docs: 400; some apps 401/403). */
/** How a webhook route refuses an event whose signature does not verify. */
export const SIGNATURE_REJECTED: ReadonlySet<number> = new Set([400, 401, 403]);

/**
 * One request the endpoint must refuse. Only 400/401/403 count as a refusal: a 429 says the rate limiter
 * answered first, a 5xx that the handler crashed, a 404/405 that the route is not there. None proves the
 * signature was checked.
 */
function mustReject(path: string, what: string, resource: string, probe: Probe<ResponseInfo>): Finding {
  const r = unwrap(probe, `POST ${what} to ${path}`);
  if (!r.ok) return { ...r.finding, resource };
  const { status } = r.value;
  const expected = '400, 401 or 403';
  const actual = String(status);
  if (SIGNATURE_REJECTED.has(status)) return { status: 'pass', message: `${cap(what)} POSTed to ${path} is rejected with ${status}.`, expected, actual, resource };
  if (status === 429) {
    return { status: 'error', message: `Could not tell whether ${path} checks signatures: ${what} got 429 (rate-limited), which says nothing about the signature.`, expected, actual, resource };
  }
  const why = status >= 200 && status < 300 ? 'accepted' : status >= 500 ? 'a server error, no evidence the signature was checked' : 'not a signature rejection';
  return { status: 'fail', message: `${cap(what)} POSTed to ${path} must be rejected with 400, 401 or 403 (found ${status}: ${why}).`, expected, actual, resource };
}

const cap = (text: string): string => `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}`;

export const httpWebhookEndpoint: Check<HttpSnapshot> = {
  id: 'http.webhook.endpoint',
  target: 'http',
  evaluate(s) {
    const w = s.webhook;
    if (!w) return [{ status: 'skip', message: 'The stack has no prodcheck:stripe section: no webhook endpoint to check.' }];
    const unsigned = mustReject(w.path, 'an unsigned event', 'unsigned', w.unsigned);
    const forged = mustReject(w.path, 'an event signed with the wrong secret', 'forged signature', w.forged);
    const expired: Finding = w.expired.sent
      ? mustReject(w.path, 'an event signed an hour ago', 'expired timestamp', w.expired.response)
      : { status: 'skip', message: `No expired test event was sent: ${w.expired.reason}.`, resource: 'expired timestamp' };
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
    return [unsigned, forged, expired, signed];
  },
};

export const httpAuthProtectedRoutes: Check<HttpSnapshot> = {
  id: 'http.auth-protected-routes',
  target: 'http',
  evaluate(s, spec) {
    if (spec.http.protectedRoutes.length === 0) return [{ status: 'skip', message: 'No protected routes to check (spec http.protectedRoutes is empty).' }];
    const name = spec.http.sessionCookie;
    return s.protectedRoutes.flatMap(({ path, anonymous, forged, expired, withSession }): Finding[] => {
      const out: Finding[] = [anonymousFinding(s, path, anonymous)];
      if (forged) out.push(anonymousFinding(s, path, forged, `with a forged session cookie ${name}`, `${path} (forged session)`));
      if (expired) out.push(anonymousFinding(s, path, expired, `with an expired session cookie ${name}`, `${path} (expired session)`));
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

/** A request that must not get through: 401/403, or a redirect elsewhere (to sign-in). */
function anonymousFinding(s: HttpSnapshot, path: string, anonymous: Probe<ResponseInfo>, how = 'without a session', resource = path): Finding {
  const r = unwrap(anonymous, `GET ${path}${how === 'without a session' ? '' : ` ${how}`}`);
  if (!r.ok) return { ...r.finding, resource };
  const { status } = r.value;
  const expected = '401 or a redirect to sign-in';
  // A forged or expired cookie may also be refused as a bad request: what matters is that it does not get through.
  const refused = status === 401 || status === 403 || (status === 400 && how !== 'without a session');
  if (refused) return { status: 'pass', message: `GET ${path} ${how} answers ${status}.`, expected, actual: String(status), resource };
  const requested = new URL(path, s.origin).href;
  const to = locationOf(r.value, requested);
  if (status >= 300 && status < 400 && to && to.href !== requested) {
    return { status: 'pass', message: `GET ${path} ${how} redirects (${status}) to ${r.value.headers.location}.`, expected, actual: redirectFound(r.value), resource };
  }
  return { status: 'fail', message: `GET ${path} ${how} must answer 401 or redirect to sign-in (found ${redirectFound(r.value)}).`, expected, actual: redirectFound(r.value), resource };
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
