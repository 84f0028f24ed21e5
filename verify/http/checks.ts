import { OBSERVATORY_GRADES } from '../../spec/index.js';
import type { Check, Finding } from '../types.js';
import {
  cacheDirectives,
  cannot,
  COMPRESSION_MIN_BYTES,
  contentType,
  coversHost,
  daysLeft,
  hstsMaxAge,
  IMMUTABLE_MAX_AGE,
  isHealthy,
  isRedirect,
  list,
  locationOf,
  plural,
  redirectFound,
  serviceValue,
  showValue,
  statusSummary,
  unwrap,
} from './judge.js';
import type { HttpSnapshot, ResponseInfo } from './snapshot.js';

type HttpCheck = Check<HttpSnapshot>;

export const httpSiteReachable: HttpCheck = {
  id: 'http.site-reachable',
  target: 'http',
  connectivity: true,
  evaluate(s) {
    const pages = s.pages.length > 0 ? s.pages : [{ method: 'GET', path: '/', response: { ok: true as const, value: s.root } }];
    return pages.map(({ path, response }): Finding => {
      const r = unwrap(response, `GET ${path}`);
      if (!r.ok) return { ...r.finding, resource: path };
      const { status } = r.value;
      const type = contentType(r.value) || 'no content type';
      const actual = `${status} ${type}`;
      return status === 200 && /^(text\/html|application\/xhtml\+xml)$/i.test(type)
        ? { status: 'pass', message: `GET ${path} answers 200 with HTML.`, expected: '200 text/html', actual, resource: path }
        : { status: 'fail', message: `GET ${path} must answer 200 with text/html (found ${actual}).`, expected: '200 text/html', actual, resource: path };
    });
  },
};

export const httpApiSmoke: HttpCheck = {
  id: 'http.api-smoke',
  target: 'http',
  evaluate(s, spec) {
    if (spec.http.apiSmoke.length === 0) return [{ status: 'skip', message: 'No API routes to smoke-test (spec http.apiSmoke is empty).' }];
    return spec.http.apiSmoke.map(({ method, path, status: expected }): Finding => {
      const resource = `${method} ${path}`;
      const probe = s.apiSmoke.find((p) => p.method === method && p.path === path);
      if (!probe) return { status: 'error', message: `${resource} was not probed.`, resource };
      const r = unwrap(probe.response, resource);
      if (!r.ok) return { ...r.finding, resource };
      const { status } = r.value;
      if (status !== expected) return { status: 'fail', message: `${resource} must answer ${expected} (found ${status}).`, expected: String(expected), actual: String(status), resource };
      const type = contentType(r.value);
      if (method === 'GET' && status >= 200 && status < 300 && !/[/+]json$/i.test(type)) {
        return { status: 'fail', message: `${resource} must answer with JSON (found ${type || 'no content type'}).`, expected: 'application/json', actual: type, resource };
      }
      return { status: 'pass', message: `${resource} answers ${status}${method === 'GET' ? ' with JSON' : ''}.`, expected: String(expected), actual: String(status), resource };
    });
  },
};

export const httpHealth: HttpCheck = {
  id: 'http.health',
  target: 'http',
  evaluate(s, spec) {
    if (spec.http.health.length === 0) return [{ status: 'skip', message: 'No health endpoints to check (spec http.health is empty).' }];
    return spec.http.health.map(({ path, services }): Finding => {
      const probe = s.health.find((p) => p.path === path);
      if (!probe) return { status: 'error', message: `GET ${path} was not probed.`, resource: path };
      const r = unwrap(probe.response, `GET ${path}`);
      if (!r.ok) return { ...r.finding, resource: path };
      const { status, json } = r.value;
      const expected = services.length > 0 ? `200, status and ${services.join(', ')} healthy` : '200, status healthy';
      if (status !== 200) return { status: 'fail', message: `GET ${path} must answer 200 (found ${status}).`, expected, actual: String(status), resource: path };
      if (json === undefined && services.length > 0) {
        return { status: 'fail', message: `GET ${path} must answer JSON that reports ${services.join(', ')} (found a body that is not JSON).`, expected, actual: 'not JSON', resource: path };
      }
      const overall = typeof json === 'object' && json !== null ? (json as Record<string, unknown>).status : undefined;
      if (overall !== undefined && !isHealthy(overall)) {
        return { status: 'fail', message: `GET ${path} must report status healthy (found ${showValue(overall)}).`, expected, actual: `status ${showValue(overall)}`, resource: path };
      }
      const sick = services.filter((name) => !isHealthy(serviceValue(json, name)));
      if (sick.length > 0) {
        const found = sick.map((name) => `${name} ${showValue(serviceValue(json, name))}`).join(', ');
        return { status: 'fail', message: `GET ${path} must report ${list(sick)} healthy (found ${found}).`, expected, actual: found, resource: path };
      }
      const which = services.length > 0 ? ` (${services.join(', ')})` : '';
      return { status: 'pass', message: `GET ${path} answers 200 and reports healthy${which}.`, expected, actual: '200, healthy', resource: path };
    });
  },
};

export const httpHttpsRedirect: HttpCheck = {
  id: 'http.https-redirect',
  target: 'http',
  evaluate(s, spec) {
    const { url, response } = s.httpRedirect;
    const redirect = ((): Finding => {
      const r = unwrap(response, `GET ${url}`);
      if (!r.ok) return { ...r.finding, resource: url };
      const to = locationOf(r.value, url);
      const actual = redirectFound(r.value);
      return isRedirect(r.value.status) && to?.protocol === 'https:'
        ? { status: 'pass', message: `${url} answers ${actual}.`, expected: '301 or 308 to https://', actual, resource: url }
        : { status: 'fail', message: `${url} must answer 301 or 308 to https:// (found ${actual}).`, expected: '301 or 308 to https://', actual, resource: url };
    })();
    const min = spec.http.hstsMinMaxAgeDays * 86_400;
    const expected = `max-age >= ${min}`;
    const resource = 'Strict-Transport-Security';
    const hsts = s.root.headers['strict-transport-security'];
    const maxAge = hsts === undefined ? undefined : hstsMaxAge(hsts);
    const header: Finding =
      hsts === undefined
        ? { status: 'fail', message: 'HTTPS responses must carry Strict-Transport-Security (found none).', expected, actual: 'none', resource }
        : maxAge === undefined
          ? { status: 'fail', message: `Strict-Transport-Security must set max-age (found "${hsts}").`, expected, actual: hsts, resource }
          : maxAge < min
            ? { status: 'fail', message: `HSTS max-age must be at least ${min} s (found ${maxAge}).`, expected, actual: String(maxAge), resource }
            : { status: 'pass', message: `HSTS max-age is ${maxAge} s (at least ${min} s).`, expected, actual: String(maxAge), resource };
    return [redirect, header];
  },
};

export const httpTlsCertificate: HttpCheck = {
  id: 'http.tls-certificate',
  target: 'http',
  evaluate(s, spec) {
    const min = spec.http.tlsMinDaysLeft;
    return s.certificates.map(({ host, handshake }): Finding => {
      const r = unwrap(handshake, `complete a TLS handshake with ${host}`);
      if (!r.ok) return { ...r.finding, resource: host };
      const cert = r.value;
      const expected = `verifies, covers ${host}, >= ${min} days left`;
      const chainError = cert.authorized || cert.authorizationError === 'ERR_TLS_CERT_ALTNAME_INVALID' ? undefined : (cert.authorizationError ?? 'not trusted');
      if (chainError) {
        return { status: 'fail', message: `TLS certificate for ${host} must verify against the trusted roots (found ${chainError}).`, expected, actual: chainError, resource: host };
      }
      if (!coversHost(cert, host)) {
        const names = cert.subjectAltName ?? `CN=${cert.subjectCN ?? 'none'}`;
        return { status: 'fail', message: `TLS certificate for ${host} must cover ${host} (found ${names}).`, expected, actual: names, resource: host };
      }
      const left = daysLeft(cert, s.checkedAt);
      if (left < min) {
        return { status: 'fail', message: `TLS certificate for ${host} must have at least ${min} days left (found ${left}).`, expected, actual: `${left} days left`, resource: host };
      }
      return { status: 'pass', message: `TLS certificate for ${host} verifies, covers the host and has ${left} days left.`, expected, actual: `${left} days left`, resource: host };
    });
  },
};

export const httpWwwRedirect: HttpCheck = {
  id: 'http.www-redirect',
  target: 'http',
  evaluate(s, spec) {
    if (spec.app.canonicalHost === 'none' || !s.wwwRedirect) return [{ status: 'skip', message: 'app.canonicalHost is none: the app has no www host to redirect.' }];
    const { from, to, response } = s.wwwRedirect;
    const r = unwrap(response, `GET ${from}`);
    if (!r.ok) return [{ ...r.finding, resource: from }];
    const target = locationOf(r.value, from);
    const actual = redirectFound(r.value);
    const expected = `301 or 308 to ${to}`;
    return isRedirect(r.value.status) && target?.protocol === 'https:' && target.hostname === new URL(to).hostname
      ? [{ status: 'pass', message: `${from} answers ${actual}.`, expected, actual, resource: from }]
      : [{ status: 'fail', message: `${from} must answer 301 or 308 to ${to} (found ${actual}).`, expected, actual, resource: from }];
  },
};

export const httpSecurityHeaders: HttpCheck = {
  id: 'http.security-headers',
  target: 'http',
  evaluate(s, spec) {
    const r = unwrap(s.observatory, 'grade the security headers');
    if (!r.ok) return [r.finding];
    const { grade, score, tests, preloadList } = r.value;
    const min = spec.http.securityHeadersMinGrade;
    const weak = tests.filter((t) => t.modifier < 0).map((t) => `${t.name} ${t.result}`);
    const expected = `grade ${min} or better`;
    const actual = `${grade} (score ${score}${preloadList ? '' : ', HSTS preload list not installed'})`;
    const rank = (g: string) => OBSERVATORY_GRADES.indexOf(g as (typeof OBSERVATORY_GRADES)[number]);
    if (rank(grade) !== -1 && rank(grade) <= rank(min)) {
      const note = weak.length > 0 ? `; weak: ${weak.join(', ')}` : '';
      return [{ status: 'pass', message: `Security headers grade ${grade} (MDN HTTP Observatory score ${score}) meets the minimum ${min}${note}.`, expected, actual }];
    }
    return [{ status: 'fail', message: `Security headers grade must be at least ${min} (found ${grade}, score ${score}; weak: ${weak.join(', ') || 'none'}).`, expected, actual }];
  },
};

export const httpCors: HttpCheck = {
  id: 'http.cors',
  target: 'http',
  evaluate(s) {
    const { path } = s.cors;
    return s.cors.preflights.map(({ origin, allowed, response }): Finding => {
      const r = unwrap(response, `send a CORS preflight to ${path} from ${origin}`);
      if (!r.ok) return { ...r.finding, resource: origin };
      const acao = r.value.headers['access-control-allow-origin'];
      const credentials = r.value.headers['access-control-allow-credentials']?.trim().toLowerCase() === 'true';
      const expected = allowed ? origin : 'no Access-Control-Allow-Origin';
      const actual = acao ?? 'none';
      if (acao?.trim() === '*' && credentials) {
        return {
          status: 'fail',
          message: `Access-Control-Allow-Origin * must never come with Access-Control-Allow-Credentials: true (found both on ${path} for ${origin}).`,
          expected,
          actual: '* with credentials',
          resource: origin,
        };
      }
      if (!allowed) {
        return acao === undefined
          ? { status: 'pass', message: `A preflight to ${path} from ${origin} gets no Access-Control-Allow-Origin.`, expected, actual, resource: origin }
          : { status: 'fail', message: `A preflight to ${path} from ${origin} must get no Access-Control-Allow-Origin (found ${acao}).`, expected, actual, resource: origin };
      }
      return acao?.trim() === origin
        ? { status: 'pass', message: `A preflight to ${path} from ${origin} gets its origin echoed.`, expected, actual, resource: origin }
        : { status: 'fail', message: `A preflight to ${path} from ${origin} must get Access-Control-Allow-Origin ${origin} (found ${actual}).`, expected, actual, resource: origin };
    });
  },
};

export const httpRateLimit: HttpCheck = {
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

export const httpWebhookEndpoint: HttpCheck = {
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

export const httpAuthProtectedRoutes: HttpCheck = {
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

export const httpSessionCookieFlags: HttpCheck = {
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

export const httpClientBundleSecrets: HttpCheck = {
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

export const httpErrorLeakage: HttpCheck = {
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

export const httpCompression: HttpCheck = {
  id: 'http.compression',
  target: 'http',
  evaluate(s) {
    const script = s.assets.find((a) => a.response.ok && a.response.value.status === 200);
    const targets: { path: string; r: ResponseInfo }[] = [{ path: '/', r: s.root }];
    if (script?.response.ok) targets.push({ path: script.path, r: script.response.value });
    return targets.map(({ path, r }): Finding => {
      const encoding = r.headers['content-encoding']?.trim().toLowerCase();
      const expected = 'Content-Encoding br or gzip';
      if (encoding === 'br' || encoding === 'gzip') return { status: 'pass', message: `GET ${path} is served ${encoding}-compressed.`, expected, actual: encoding, resource: path };
      if (r.bodyBytes < COMPRESSION_MIN_BYTES) {
        return { status: 'pass', message: `GET ${path} is ${r.bodyBytes} bytes: too small to need compression.`, expected, actual: `${r.bodyBytes} bytes`, resource: path };
      }
      const actual = `${encoding ?? 'none'} for ${r.bodyBytes} bytes`;
      return { status: 'fail', message: `GET ${path} must be served with br or gzip compression (found ${actual}).`, expected, actual, resource: path };
    });
  },
};

export const httpCdnCaching: HttpCheck = {
  id: 'http.cdn-caching',
  target: 'http',
  evaluate(s) {
    if (s.assets.length === 0) return [{ status: 'skip', message: 'The pages load no same-site scripts to check.' }];
    const expected = `max-age >= ${IMMUTABLE_MAX_AGE}, immutable`;
    return s.assets.map(({ path, response }): Finding => {
      const r = unwrap(response, `GET ${path}`);
      if (!r.ok) return { ...r.finding, resource: path };
      if (r.value.status !== 200) return { ...cannot(`check ${path}`, `it answered ${r.value.status}`), resource: path };
      const cc = r.value.headers['cache-control'] ?? '';
      const d = cacheDirectives(cc);
      const maxAge = Number(d.get('s-maxage') ?? d.get('max-age') ?? 0);
      const cacheable = !d.has('no-store') && !d.has('no-cache') && !d.has('private') && maxAge >= IMMUTABLE_MAX_AGE && d.has('immutable');
      return cacheable
        ? { status: 'pass', message: `${path} is served with Cache-Control: ${cc}.`, expected, actual: cc, resource: path }
        : { status: 'fail', message: `${path} must be served with Cache-Control max-age of at least ${IMMUTABLE_MAX_AGE} and immutable (found ${cc || 'none'}).`, expected, actual: cc || 'none', resource: path };
    });
  },
};

export const HTTP_CHECKS: readonly HttpCheck[] = [
  httpSiteReachable,
  httpApiSmoke,
  httpHealth,
  httpHttpsRedirect,
  httpTlsCertificate,
  httpWwwRedirect,
  httpSecurityHeaders,
  httpCors,
  httpRateLimit,
  httpWebhookEndpoint,
  httpAuthProtectedRoutes,
  httpSessionCookieFlags,
  httpClientBundleSecrets,
  httpErrorLeakage,
  httpCompression,
  httpCdnCaching,
];
