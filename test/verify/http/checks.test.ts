import { describe, expect, it } from 'vitest';
import { getControl } from '../../../checklist/index.js';
import * as checks from '../../../verify/http/checks/index.js';
import { HTTP_CHECKS } from '../../../verify/http/checks/index.js';
import { findLeaks } from '../../../verify/http/leaks.js';
import { findSecrets } from '../../../verify/http/secrets.js';
import type { HttpSnapshot, ResponseInfo } from '../../../verify/http/snapshot.js';
import { Redactor } from '../../../report/redact.js';
import type { Check, Probe } from '../../../verify/types.js';
import { cert, CHUNK, err, healthy, judge, ok, res } from './fixture.js';
import { httpStack } from './stack.js';

describe('http checks', () => {
  it('exports one check per http control of the catalogue, named the camelCase of its id, in HTTP_CHECKS', () => {
    const exported = Object.entries(checks).filter(([, v]) => typeof v === 'object' && v !== null && 'evaluate' in v) as [string, Check<HttpSnapshot>][];
    const camel = (id: string) => id.replace(/[.-]([a-z])/g, (_m, c: string) => c.toUpperCase());
    expect(exported.map(([name, c]) => [name, camel(c.id)]).filter(([a, b]) => a !== b)).toEqual([]);
    expect(exported).toHaveLength(HTTP_CHECKS.length);
    expect(new Set(exported.map(([, c]) => c))).toEqual(new Set(HTTP_CHECKS));
    // The app itself judges one env control: whether its webhook secret is the registered endpoint's.
    for (const c of HTTP_CHECKS) expect(c.id === 'env.stripe-webhook-secret' ? 'http' : getControl(c.id).family).toBe('http');
    expect(HTTP_CHECKS.filter((c) => c.connectivity).map((c) => c.id)).toEqual(['http.site-reachable']);
    expect(HTTP_CHECKS.filter((c) => c.active).map((c) => c.id)).toEqual(['http.rate-limit', 'http.rate-limit.per-identity', 'env.stripe-webhook-secret']);
  });

  it('passes every check on a healthy snapshot', () => {
    const spec = httpStack({ models: { path: '/api/models', minCount: 1, maxCount: 5, required: ['a'] }, tieredRateLimits: [{ path: '/api/chat', windowSeconds: 60, tiers: { free: 1, pro: 2 } }] });
    const tier = (name: string, limit: number) => ({ method: 'POST', path: '/api/chat', tier: name, limit, response: ok({ sent: limit + 1, statuses: [...Array<number>(limit).fill(200), 429], limited: { after: limit + 1, headers: {} } }) });
    const snapshot = { ...healthy(), models: { path: '/api/models', response: ok({ status: 200, count: 2, ids: ['a', 'b'] }) }, tierLimits: [tier('free', 1), tier('pro', 2)] };
    const statuses = HTTP_CHECKS.flatMap((c) => c.evaluate(snapshot, spec).map((f) => f.status));
    expect(statuses.every((s) => s === 'pass')).toBe(true);
  });
});

describe('http.site-reachable', () => {
  it('passes on 200 HTML, fails on another status or type, errors when unanswered', () => {
    expect(judge(checks.httpSiteReachable)).toEqual([
      ['pass', 'GET / answers 200 with HTML.'],
      ['pass', 'GET /pricing answers 200 with HTML.'],
    ]);
    expect(
      judge(checks.httpSiteReachable, (s) => ({
        pages: [
          { method: 'GET', path: '/', response: ok(res(200, { 'content-type': 'application/json' })) },
          { method: 'GET', path: '/pricing', response: ok(res(404, { 'content-type': 'text/html' })) },
          { method: 'GET', path: '/about', response: err('GET https://shop.example.com/about did not answer within 500 ms') },
          ...s.pages.slice(2),
        ],
      })),
    ).toEqual([
      ['fail', 'GET / must answer 200 with text/html (found 200 application/json).'],
      ['fail', 'GET /pricing must answer 200 with text/html (found 404 text/html).'],
      ['error', 'Could not GET /about: GET https://shop.example.com/about did not answer within 500 ms.'],
    ]);
  });

  it('judges the root page when the spec lists none', () => {
    expect(judge(checks.httpSiteReachable, () => ({ pages: [], root: res(500, { 'content-type': 'text/html' }) }))).toEqual([
      ['fail', 'GET / must answer 200 with text/html (found 500 text/html).'],
    ]);
  });
});

describe('http.api-smoke', () => {
  it('passes on the expected status with JSON, fails on another status or a non-JSON body', () => {
    expect(judge(checks.httpApiSmoke)).toEqual([['pass', 'GET /api/models answers 200 with JSON.']]);
    expect(judge(checks.httpApiSmoke, () => ({ apiSmoke: [{ method: 'GET', path: '/api/models', response: ok(res(502)) }] }))).toEqual([
      ['fail', 'GET /api/models must answer 200 (found 502).'],
    ]);
    expect(judge(checks.httpApiSmoke, () => ({ apiSmoke: [{ method: 'GET', path: '/api/models', response: ok(res(200, { 'content-type': 'text/html' })) }] }))).toEqual([
      ['fail', 'GET /api/models must answer with JSON (found text/html).'],
    ]);
  });

  it('skips without routes', () => {
    expect(judge(checks.httpApiSmoke, undefined, httpStack({ apiSmoke: [] }))).toEqual([['skip', 'No API routes to smoke-test (spec http.apiSmoke is empty).']]);
  });
});

describe('http.health', () => {
  const health = (status: number, json: unknown) => () => ({ health: [{ method: 'GET', path: '/api/health', response: ok({ ...res(status), json }) }] });

  it('passes when the body reports every listed service healthy', () => {
    expect(judge(checks.httpHealth)).toEqual([['pass', 'GET /api/health answers 200 and reports healthy (database, redis).']]);
  });

  it('fails on a non-200, an unhealthy status, an unhealthy or missing service, or a body that is not JSON', () => {
    expect(judge(checks.httpHealth, health(503, { status: 'unhealthy' }))).toEqual([['fail', 'GET /api/health must answer 200 (found 503).']]);
    expect(judge(checks.httpHealth, health(200, { status: 'degraded', services: {} }))).toEqual([['fail', 'GET /api/health must report status healthy (found "degraded").']]);
    expect(judge(checks.httpHealth, health(200, { status: 'ok', services: { database: { status: 'down' } } }))).toEqual([
      ['fail', 'GET /api/health must report database and redis healthy (found database {"status":"down"}, redis missing).'],
    ]);
    expect(judge(checks.httpHealth, health(200, undefined))).toEqual([['fail', 'GET /api/health must answer JSON that reports database, redis (found a body that is not JSON).']]);
  });

  it('needs only a 200 when no service is listed', () => {
    expect(judge(checks.httpHealth, health(200, undefined), httpStack({ health: [{ path: '/api/health' }] }))).toEqual([['pass', 'GET /api/health answers 200 and reports healthy.']]);
  });
});

describe('http.https-redirect', () => {
  it('passes on a 301/308 to https:// and a long HSTS max-age', () => {
    expect(judge(checks.httpHttpsRedirect)).toEqual([
      ['pass', 'http://shop.example.com/ answers 308 to https://shop.example.com/.'],
      ['pass', 'HSTS max-age is 63072000 s (at least 15552000 s).'],
    ]);
  });

  it('fails on no redirect, a 302, a redirect to http://, no HSTS or a short max-age', () => {
    const redirect = (r: ResponseInfo) => () => ({ httpRedirect: { url: 'http://shop.example.com/', response: ok(r) } });
    expect(judge(checks.httpHttpsRedirect, redirect(res(200)))[0]).toEqual(['fail', 'http://shop.example.com/ must answer 301 or 308 to https:// (found 200).']);
    expect(judge(checks.httpHttpsRedirect, redirect(res(302, { location: 'https://shop.example.com/' })))[0]).toEqual([
      'fail',
      'http://shop.example.com/ must answer 301 or 308 to https:// (found 302 to https://shop.example.com/).',
    ]);
    expect(judge(checks.httpHttpsRedirect, redirect(res(301, { location: 'http://www.shop.example.com/' })))[0]).toEqual([
      'fail',
      'http://shop.example.com/ must answer 301 or 308 to https:// (found 301 to http://www.shop.example.com/).',
    ]);
    expect(judge(checks.httpHttpsRedirect, () => ({ root: res(200) }))[1]).toEqual(['fail', 'HTTPS responses must carry Strict-Transport-Security (found none).']);
    expect(judge(checks.httpHttpsRedirect, () => ({ root: res(200, { 'strict-transport-security': 'max-age=3600' }) }))[1]).toEqual([
      'fail',
      'HSTS max-age must be at least 15552000 s (found 3600).',
    ]);
    expect(judge(checks.httpHttpsRedirect, () => ({ root: res(200, { 'strict-transport-security': 'includeSubDomains' }) }))[1]).toEqual([
      'fail',
      'Strict-Transport-Security must set max-age (found "includeSubDomains").',
    ]);
  });

  it('errors when plain HTTP does not answer', () => {
    expect(judge(checks.httpHttpsRedirect, () => ({ httpRedirect: { url: 'http://shop.example.com/', response: err('GET http://shop.example.com/: connect ECONNREFUSED 127.0.0.1:80') } }))[0]).toEqual([
      'error',
      'Could not GET http://shop.example.com/: GET http://shop.example.com/: connect ECONNREFUSED 127.0.0.1:80.',
    ]);
  });
});

describe('http.tls-certificate', () => {
  const certs = (handshake: Probe<never> | ReturnType<typeof cert>) => () => ({ certificates: [{ host: 'shop.example.com', handshake }] });

  it('passes a verified certificate that names the host and has days left', () => {
    expect(judge(checks.httpTlsCertificate)).toEqual([
      ['pass', 'TLS certificate for shop.example.com verifies, covers the host and has 60 days left.'],
      ['pass', 'TLS certificate for www.shop.example.com verifies, covers the host and has 60 days left.'],
    ]);
  });

  it('fails an untrusted chain, a certificate for other names, or one about to expire', () => {
    expect(judge(checks.httpTlsCertificate, certs(cert('shop.example.com', -2, { authorized: false, authorizationError: 'CERT_HAS_EXPIRED' })))).toEqual([
      ['fail', 'TLS certificate for shop.example.com must verify against the trusted roots (found CERT_HAS_EXPIRED).'],
    ]);
    expect(
      judge(
        checks.httpTlsCertificate,
        certs(cert('shop.example.com', 60, { authorized: false, authorizationError: 'ERR_TLS_CERT_ALTNAME_INVALID', subjectCN: 'other.example', subjectAltName: 'DNS:other.example, DNS:*.other.example' })),
      ),
    ).toEqual([['fail', 'TLS certificate for shop.example.com must cover shop.example.com (found DNS:other.example, DNS:*.other.example).']]);
    expect(judge(checks.httpTlsCertificate, certs(cert('shop.example.com', 6)))).toEqual([['fail', 'TLS certificate for shop.example.com must have at least 14 days left (found 6).']]);
  });

  it('accepts a wildcard that covers the host', () => {
    expect(judge(checks.httpTlsCertificate, certs(cert('shop.example.com', 60, { subjectAltName: 'DNS:*.example.com' })))).toEqual([
      ['pass', 'TLS certificate for shop.example.com verifies, covers the host and has 60 days left.'],
    ]);
  });

  it('errors when the handshake fails', () => {
    expect(judge(checks.httpTlsCertificate, certs(err('TLS handshake with shop.example.com did not answer within 500 ms')))).toEqual([
      ['error', 'Could not complete a TLS handshake with shop.example.com: TLS handshake with shop.example.com did not answer within 500 ms.'],
    ]);
  });
});

describe('http.www-redirect', () => {
  const www = (r: ResponseInfo) => (s: HttpSnapshot) => ({ wwwRedirect: { ...(s.wwwRedirect as NonNullable<HttpSnapshot['wwwRedirect']>), response: ok(r) } });

  it('passes on a 301/308 to the canonical host, fails otherwise', () => {
    expect(judge(checks.httpWwwRedirect)).toEqual([['pass', 'https://www.shop.example.com/ answers 308 to https://shop.example.com/.']]);
    expect(judge(checks.httpWwwRedirect, www(res(200)))).toEqual([['fail', 'https://www.shop.example.com/ must answer 301 or 308 to https://shop.example.com/ (found 200).']]);
    expect(judge(checks.httpWwwRedirect, www(res(308, { location: 'https://elsewhere.example/' })))).toEqual([
      ['fail', 'https://www.shop.example.com/ must answer 301 or 308 to https://shop.example.com/ (found 308 to https://elsewhere.example/).'],
    ]);
  });

  it('skips when the app has no www host', () => {
    expect(judge(checks.httpWwwRedirect, () => ({ wwwRedirect: undefined }), httpStack({}, { canonicalHost: 'none' }))).toEqual([
      ['skip', 'app.canonicalHost is none: the app has no www host to redirect.'],
    ]);
  });
});

describe('http.security-headers: the Observatory grade', () => {
  // No header required: only the grade is judged here (security-headers.test.ts judges each header).
  const GRADE_ONLY = httpStack({ securityHeaders: { required: [] } });
  const graded = (grade: string, score: number) => () => ({
    observatory: ok({
      grade,
      score,
      preloadList: false,
      tests: [
        { name: 'content-security-policy', result: 'csp-not-implemented', pass: false, modifier: -25 },
        { name: 'x-frame-options', result: 'x-frame-options-not-implemented', pass: false, modifier: -20 },
        { name: 'referrer-policy', result: 'referrer-policy-private', pass: true, modifier: 5 },
      ],
    }),
  });

  it('passes at or above the minimum grade, naming the weak headers', () => {
    expect(judge(checks.httpSecurityHeaders, undefined, GRADE_ONLY)).toEqual([['pass', 'Security headers grade A+ (MDN HTTP Observatory score 115) meets the minimum B.']]);
    expect(judge(checks.httpSecurityHeaders, graded('B', 70), GRADE_ONLY)).toEqual([
      ['pass', 'Security headers grade B (MDN HTTP Observatory score 70) meets the minimum B; weak: content-security-policy csp-not-implemented, x-frame-options x-frame-options-not-implemented.'],
    ]);
  });

  it('fails below the minimum grade with each weak header', () => {
    expect(judge(checks.httpSecurityHeaders, graded('C', 55), GRADE_ONLY)).toEqual([
      ['fail', 'Security headers grade must be at least B (found C, score 55; weak: content-security-policy csp-not-implemented, x-frame-options x-frame-options-not-implemented).'],
    ]);
    expect(judge(checks.httpSecurityHeaders, undefined, httpStack({ securityHeadersMinGrade: 'A+', securityHeaders: { required: [] } }))).toEqual([
      ['pass', 'Security headers grade A+ (MDN HTTP Observatory score 115) meets the minimum A+.'],
    ]);
  });

  it('errors when the page could not be graded', () => {
    expect(judge(checks.httpSecurityHeaders, () => ({ observatory: err('the MDN HTTP Observatory grades only 2xx, 3xx, 401 and 403 answers (found 500 for https://shop.example.com/)') }), GRADE_ONLY)).toEqual([
      ['error', 'Could not grade the security headers: the MDN HTTP Observatory grades only 2xx, 3xx, 401 and 403 answers (found 500 for https://shop.example.com/).'],
    ]);
  });

  it('skips, saying how to add the grader, when the optional Observatory package is not installed', () => {
    expect(judge(checks.httpSecurityHeaders, () => ({ observatory: undefined }), GRADE_ONLY)).toEqual([
      [
        'skip',
        'Security headers not graded: the MDN HTTP Observatory grader is not installed: `npm install @mdn/mdn-http-observatory` next to prodcheck to grade the security headers.',
      ],
    ]);
  });
});

describe('http.cors', () => {
  const preflight = (evil: Record<string, string>, allowed: Record<string, string>) => () => ({
    cors: {
      path: '/api/models',
      preflights: [
        { origin: 'https://evil.example', allowed: false, response: ok(res(204, evil)) },
        { origin: 'https://shop.example.com', allowed: true, response: ok(res(204, allowed)) },
      ],
    },
  });

  it('passes when only allowed origins are echoed', () => {
    expect(judge(checks.httpCors)).toEqual([
      ['pass', 'A preflight to /api/models from https://evil.example gets no Access-Control-Allow-Origin.'],
      ['pass', 'A preflight to /api/models from https://shop.example.com gets its origin echoed.'],
    ]);
  });

  it('fails a reflected or wildcard origin, * with credentials, and an allowed origin not echoed', () => {
    expect(judge(checks.httpCors, preflight({ 'access-control-allow-origin': 'https://evil.example' }, {}))).toEqual([
      ['fail', 'A preflight to /api/models from https://evil.example must get no Access-Control-Allow-Origin (found https://evil.example, its origin reflected).'],
      ['fail', 'A preflight to /api/models from https://shop.example.com must get Access-Control-Allow-Origin https://shop.example.com (found none).'],
    ]);
    const star = { 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' };
    expect(judge(checks.httpCors, preflight(star, { 'access-control-allow-origin': '*' }))).toEqual([
      ['fail', 'Access-Control-Allow-Origin * must never come with Access-Control-Allow-Credentials: true (found both on /api/models for https://evil.example).'],
      ['fail', 'A preflight to /api/models from https://shop.example.com must get Access-Control-Allow-Origin https://shop.example.com (found *).'],
    ]);
  });
});

describe('http.rate-limit', () => {
  const burst = (response: HttpSnapshot['rateLimits']) => () => ({ rateLimits: response });

  it('passes on a 429 with rate-limit headers', () => {
    expect(judge(checks.httpRateLimit)).toEqual([['pass', 'POST /api/chat answered 429 with retry-after after 6 requests (limit 5).']]);
  });

  it('fails without a 429 or with a bare 429', () => {
    expect(judge(checks.httpRateLimit, burst([{ method: 'POST', path: '/api/chat', limit: 5, response: ok({ sent: 6, statuses: [200, 200, 200, 500, 200, 200] }) }]))).toEqual([
      ['fail', 'POST /api/chat must answer 429 within 6 requests (found 5 × 200, 1 × 500).'],
    ]);
    expect(judge(checks.httpRateLimit, burst([{ method: 'POST', path: '/api/chat', limit: 5, response: ok({ sent: 6, statuses: [200, 429], limited: { after: 2, headers: {} } }) }]))).toEqual([
      ['fail', 'The 429 from POST /api/chat must carry Retry-After or RateLimit headers (found none).'],
    ]);
  });

  it('errors on an unfinished burst and skips without --active or limits', () => {
    expect(judge(checks.httpRateLimit, burst([{ method: 'POST', path: '/api/chat', limit: 5, response: err("the burst's 2000 ms deadline passed after 3 requests") }]))).toEqual([
      ['error', "Could not finish the burst on POST /api/chat: the burst's 2000 ms deadline passed after 3 requests."],
    ]);
    expect(judge(checks.httpRateLimit, burst(undefined))).toEqual([['skip', 'The burst acts on the live system: it runs only with --active.']]);
    expect(judge(checks.httpRateLimit, undefined, httpStack({ rateLimits: [] }))).toEqual([['skip', 'No rate limits to test (spec http.rateLimits is empty).']]);
  });
});

describe('http.webhook.endpoint', () => {
  type Webhook = NonNullable<HttpSnapshot['webhook']>;
  const webhook =
    (unsigned: ResponseInfo, signed: Webhook['signed'], forged: ResponseInfo = res(400), expired: Webhook['expired'] = { sent: true, response: ok(res(400)) }) =>
    () => ({ webhook: { path: '/api/webhooks/stripe', unsigned: ok(unsigned), forged: ok(forged), expired, signed } });
  const SIGNED_OK = { sent: true as const, eventType: 'balance.available', response: ok(res(200)) };

  it('passes when unsigned, forged and expired posts are rejected and the signed test event is accepted', () => {
    expect(judge(checks.httpWebhookEndpoint)).toEqual([
      ['pass', 'An unsigned event POSTed to /api/webhooks/stripe is rejected with 400.'],
      ['pass', 'An event signed with the wrong secret POSTed to /api/webhooks/stripe is rejected with 400.'],
      ['pass', 'An event signed an hour ago POSTed to /api/webhooks/stripe is rejected with 400.'],
      ['pass', 'A balance.available test event signed with the webhook secret gets 200 from /api/webhooks/stripe.'],
    ]);
    expect(judge(checks.httpWebhookEndpoint, webhook(res(401), SIGNED_OK, res(403)))[1]).toEqual(['pass', 'An event signed with the wrong secret POSTed to /api/webhooks/stripe is rejected with 403.']);
  });

  it('fails an accepted unsigned post, a missing route and a refused signed event', () => {
    expect(judge(checks.httpWebhookEndpoint, webhook(res(200), { sent: true, eventType: 'balance.available', response: ok(res(400)) }))).toEqual([
      ['fail', 'An unsigned event POSTed to /api/webhooks/stripe must be rejected with 400, 401 or 403 (found 200: accepted).'],
      ['pass', 'An event signed with the wrong secret POSTed to /api/webhooks/stripe is rejected with 400.'],
      ['pass', 'An event signed an hour ago POSTed to /api/webhooks/stripe is rejected with 400.'],
      ['fail', 'A test event signed with the webhook secret must get a 2xx from /api/webhooks/stripe (found 400).'],
    ]);
    expect(judge(checks.httpWebhookEndpoint, webhook(res(404), { sent: false, reason: 'the signed test event is sent only with --active' }, res(404), { sent: false, reason: 'the signed test event is sent only with --active' }))).toEqual([
      ['fail', 'An unsigned event POSTed to /api/webhooks/stripe must be rejected with 400, 401 or 403 (found 404: not a signature rejection).'],
      ['fail', 'An event signed with the wrong secret POSTed to /api/webhooks/stripe must be rejected with 400, 401 or 403 (found 404: not a signature rejection).'],
      ['skip', 'No expired test event was sent: the signed test event is sent only with --active.'],
      ['skip', 'No signed test event was sent: the signed test event is sent only with --active.'],
    ]);
  });

  it('fails a forged signature or an expired timestamp that gets through, and never takes a 429 or 5xx as enforcement', () => {
    expect(judge(checks.httpWebhookEndpoint, webhook(res(400), SIGNED_OK, res(200), { sent: true, response: ok(res(200)) })).slice(1, 3)).toEqual([
      ['fail', 'An event signed with the wrong secret POSTed to /api/webhooks/stripe must be rejected with 400, 401 or 403 (found 200: accepted).'],
      ['fail', 'An event signed an hour ago POSTed to /api/webhooks/stripe must be rejected with 400, 401 or 403 (found 200: accepted).'],
    ]);
    expect(judge(checks.httpWebhookEndpoint, webhook(res(429), SIGNED_OK, res(500), { sent: true, response: ok(res(502)) })).slice(0, 3)).toEqual([
      ['error', 'Could not tell whether /api/webhooks/stripe checks signatures: an unsigned event got 429 (rate-limited), which says nothing about the signature.'],
      ['fail', 'An event signed with the wrong secret POSTed to /api/webhooks/stripe must be rejected with 400, 401 or 403 (found 500: a server error, no evidence the signature was checked).'],
      ['fail', 'An event signed an hour ago POSTed to /api/webhooks/stripe must be rejected with 400, 401 or 403 (found 502: a server error, no evidence the signature was checked).'],
    ]);
  });

  it('skips without a Stripe webhook', () => {
    expect(judge(checks.httpWebhookEndpoint, () => ({ webhook: undefined }))).toEqual([['skip', 'The stack has no prodcheck:stripe section: no webhook endpoint to check.']]);
  });
});

describe('http.auth-protected-routes', () => {
  it('passes a 401 or a redirect without a session and a 200 with one', () => {
    expect(judge(checks.httpAuthProtectedRoutes)).toEqual([
      ['pass', 'GET /api/account without a session answers 401.'],
      ['pass', 'GET /api/account with the test session answers 200.'],
      ['pass', 'GET /dashboard without a session redirects (307) to /login?callbackUrl=%2Fdashboard.'],
    ]);
  });

  it('fails a route served without a session, a redirect to itself, and a refused session', () => {
    expect(
      judge(checks.httpAuthProtectedRoutes, () => ({
        protectedRoutes: [
          { path: '/api/account', anonymous: ok(res(200)), withSession: ok(res(401)) },
          { path: '/dashboard', anonymous: ok(res(302, { location: '/dashboard' })) },
        ],
      })),
    ).toEqual([
      ['fail', 'GET /api/account without a session must answer 401 or redirect to sign-in (found 200).'],
      ['fail', 'GET /api/account with the test session must answer 200 (found 401).'],
      ['fail', 'GET /dashboard without a session must answer 401 or redirect to sign-in (found 302 to /dashboard).'],
    ]);
  });

  it('skips without protected routes', () => {
    expect(judge(checks.httpAuthProtectedRoutes, undefined, httpStack({ protectedRoutes: [] }))).toEqual([['skip', 'No protected routes to check (spec http.protectedRoutes is empty).']]);
  });
});

describe('http.session-cookie-flags', () => {
  const session = (value: HttpSnapshot['session']) => () => ({ session: value });

  it('passes an HttpOnly, Secure, SameSite=Strict cookie', () => {
    expect(judge(checks.httpSessionCookieFlags)).toEqual([['pass', 'Session cookie __Host-session is HttpOnly, Secure and SameSite=Strict.']]);
  });

  it('fails each missing flag', () => {
    expect(judge(checks.httpSessionCookieFlags, session({ cookie: { name: '__Host-session', httpOnly: false, secure: true, setBy: 'GET /' } }))).toEqual([
      ['fail', 'Session cookie __Host-session must be HttpOnly, Secure and SameSite=Lax or Strict (found not HttpOnly, no SameSite).'],
    ]);
  });

  it('skips when nothing set the cookie and no sign-in is configured, errors when sign-in did not give one', () => {
    expect(judge(checks.httpSessionCookieFlags, session({}))).toEqual([['skip', 'No response set the session cookie __Host-session: set targets http.signIn to sign a test user in.']]);
    expect(judge(checks.httpSessionCookieFlags, session({ signIn: { method: 'POST', path: '/api/auth/signin', response: ok(res(401)) } }))).toEqual([
      ['error', 'Could not sign in at POST /api/auth/signin: it answered 401.'],
    ]);
    expect(judge(checks.httpSessionCookieFlags, session({ signIn: { method: 'POST', path: '/api/auth/signin', response: ok(res(200)) } }))).toEqual([
      ['error', 'Could not read the session cookie: sign-in at POST /api/auth/signin answered 200 but set no cookie named __Host-session.'],
    ]);
  });
});

describe('http.client-bundle-secrets', () => {
  it('passes when nothing was found, fails each secret by location and fingerprint, errors on files it could not fetch', () => {
    expect(judge(checks.httpClientBundleSecrets)).toEqual([['pass', 'No secrets found in 2 scanned files (pages and the scripts they load).']]);
    expect(
      judge(checks.httpClientBundleSecrets, (s) => ({
        bundle: {
          scanned: s.bundle.scanned,
          failed: [{ path: '/_next/static/chunks/gone.js', error: 'answered 404' }],
          secrets: [{ kind: 'a Stripe live secret key', location: `${CHUNK}:1:120`, fingerprint: 'sk_live_…len 32, sha256:0123456789ab' }],
        },
      })),
    ).toEqual([
      ['fail', `Client code must contain no secrets (found a Stripe live secret key at ${CHUNK}:1:120, sk_live_…len 32, sha256:0123456789ab).`],
      ['error', 'Could not fetch /_next/static/chunks/gone.js to scan it: answered 404.'],
    ]);
  });

  it('skips when no page could be scanned', () => {
    expect(judge(checks.httpClientBundleSecrets, () => ({ bundle: { scanned: [], failed: [], secrets: [] } }))).toEqual([['skip', 'No page answered 200 with HTML, so there was nothing to scan.']]);
  });
});

describe('http.error-leakage', () => {
  it('passes clean error bodies and fails leaking ones', () => {
    expect(judge(checks.httpErrorLeakage)).toEqual([['pass', 'The 400 answer to POST /api/models with malformed JSON leaks no stack trace, connection string or secret.']]);
    expect(judge(checks.httpErrorLeakage, () => ({ errorProbes: [{ label: 'POST /api/models with malformed JSON', response: ok({ ...res(500), leaks: ['a stack trace', 'the value of STRIPE_SECRET_KEY'] }) }] }))).toEqual([
      ['fail', 'Error responses must not leak internals (found a stack trace and the value of STRIPE_SECRET_KEY in the 500 answer to POST /api/models with malformed JSON).'],
    ]);
  });
});

describe('http.compression', () => {
  it('passes br or gzip and small bodies, fails large uncompressed ones', () => {
    expect(judge(checks.httpCompression)).toEqual([
      ['pass', 'GET / is served br-compressed.'],
      ['pass', `GET ${CHUNK} is served gzip-compressed.`],
    ]);
    expect(judge(checks.httpCompression, () => ({ root: res(200, {}, { bodyBytes: 300 }), assets: [{ method: 'GET', path: CHUNK, response: ok(res(200, { 'content-encoding': 'deflate' })) }] }))).toEqual([
      ['pass', 'GET / is 300 bytes: too small to need compression.'],
      ['fail', `GET ${CHUNK} must be served with br or gzip compression (found deflate for 4096 bytes).`],
    ]);
  });
});

describe('http.cdn-caching', () => {
  const asset = (cacheControl: string | undefined, status = 200) => () => ({
    assets: [{ method: 'GET', path: CHUNK, response: ok(res(status, cacheControl === undefined ? {} : { 'cache-control': cacheControl })) }],
  });

  // The fixture's pages carry no caching header: they pass after the asset findings.
  const PAGES: [string, string][] = ['/', '/pricing'].map((p) => ['pass', `GET ${p} (HTML) carries no caching header, so the edge does not keep it.`]);

  it('passes a year-long immutable cache, fails anything shorter, private or uncached', () => {
    expect(judge(checks.httpCdnCaching)).toEqual([['pass', `${CHUNK} is served with Cache-Control: public, max-age=31536000, immutable.`], ...PAGES]);
    for (const cc of ['public, max-age=31536000', 'private, max-age=31536000, immutable', 'public, max-age=3600, immutable']) {
      expect(judge(checks.httpCdnCaching, asset(cc))).toEqual([['fail', `${CHUNK} must be served with Cache-Control max-age of at least 31536000 and immutable (found ${cc}).`], ...PAGES]);
    }
    expect(judge(checks.httpCdnCaching, asset(undefined))).toEqual([['fail', `${CHUNK} must be served with Cache-Control max-age of at least 31536000 and immutable (found none).`], ...PAGES]);
  });

  it('errors on an asset that did not load and skips without assets', () => {
    expect(judge(checks.httpCdnCaching, asset('public, max-age=31536000, immutable', 404))).toEqual([['error', `Could not check ${CHUNK}: it answered 404.`], ...PAGES]);
    expect(judge(checks.httpCdnCaching, (s) => ({ assets: [], pages: [], root: { ...s.root, status: 503 } }))).toEqual([
      ['skip', 'No page answered 200 with HTML and the pages load no same-site scripts: nothing to check.'],
    ]);
  });
});

describe('secret and leak detection', () => {
  const jwt = (role: string) =>
    [Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url'), Buffer.from(JSON.stringify({ role, iss: 'supabase' })).toString('base64url'), 'c2lnbmF0dXJlLXNpZ25hdHVyZQ'].join('.');

  it('finds live Stripe keys, webhook secrets, AWS keys and service-role JWTs, not test keys or anon JWTs', () => {
    const text = [
      'a="sk_live_abcdefghij0123456789"',
      'b="sk_test_abcdefghij0123456789" c="rk_live_abcdefghij0123456789"',
      `d="whsec_abcdefghij0123456789ABCD" e="AKIAABCDEFGHIJKLMNOP" f="${jwt('anon')}" g="${jwt('service_role')}"`,
      'awsSecretAccessKey: "abcdefghijABCDEFGHIJ0123456789abcdefghij"',
    ].join('\n');
    expect(findSecrets(text).map((h) => `${h.kind} @${h.line}:${h.column}`)).toEqual([
      'a Stripe live secret key @1:4',
      'a Stripe live restricted key @2:37',
      'a Stripe webhook signing secret @3:4',
      'an AWS access key id @3:39',
      'an AWS secret access key @4:22',
      `a Supabase service-role JWT @3:${(text.split('\n')[2] ?? '').indexOf(jwt('service_role')) + 1}`,
    ]);
  });

  it('names what an error body leaks, including any secret this run knows', () => {
    const redactor = new Redactor().add('internal-token-value-42');
    expect(findLeaks('{"error":"Invalid JSON"}', redactor)).toEqual([]);
    expect(findLeaks('{"error":"x","stack":"SyntaxError: x\\n    at JSON.parse (<anonymous>)\\n    at handler (/var/task/.next/server/app/api/route.js:1:2044)"}', redactor)).toEqual(['a stack trace']);
    expect(findLeaks('Error: connect ECONNREFUSED redis://default:hunter2@cache:6379', redactor)).toEqual(['a connection string with a password']);
    expect(findLeaks('{"env":{"STRIPE_SECRET_KEY":"sk_live_abcdefghij0123456789"}}', redactor)).toEqual(['the value of STRIPE_SECRET_KEY', 'a Stripe live secret key']);
    expect(findLeaks('upstream said: internal-token-value-42', redactor)).toEqual(['a secret of this stack']);
  });
});
