import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildChunks } from '../../../sandbox/app/content.js';
import type { AppFault } from '../../../sandbox/app/faults.js';
import { startSampleApp, type SampleApp } from '../../../sandbox/app/server.js';
import { sampleAppTargets } from '../../../sandbox/http/index.js';
import { targetsSchema } from '../../../spec/index.js';
import { HTTP_CHECKS, httpFamily, HttpUnreachableError } from '../../../verify/http/index.js';
import { httpCollector } from '../../../verify/http/collect.js';
import type { HttpSnapshot } from '../../../verify/http/snapshot.js';
import { fingerprint, Redactor } from '../../../report/redact.js';
import { runVerify } from '../../../verify/runner.js';
import { httpStack } from './stack.js';

const SPEC = httpStack();
const LEAKED_PASSWORD = 'leaked-db-Passw0rd';
const CHAT = '/api/chat';
const SIGN_IN = '/api/auth/signin';
const WEBHOOK = '/api/webhooks/stripe';
/** http.cdn-caching's findings for the sample app's pages, which the edge must revalidate. */
const PAGES_REVALIDATED = ['/', '/pricing'].map((p) => ['pass', `GET ${p} (HTML) is kept at the edge for at most 0 s (found Cache-Control: public, max-age=0, must-revalidate).`]);
/** The origins http.cors tries for an allow-list of https://shop.example.com, as its messages name them. */
const HOSTILE = [
  'https://evil.example',
  'https://shop.example.com.evil.net (look-alike suffix of https://shop.example.com)',
  'https://evilshop.example.com (look-alike prefix of https://shop.example.com)',
  'http://shop.example.com (the http:// scheme of https://shop.example.com)',
  'null (the null origin of sandboxed frames and files)',
];

let app: SampleApp;
let dir: string;
let caFile: string;

beforeAll(async () => {
  app = await startSampleApp({ spec: SPEC, leakedEnv: { DATABASE_URL: `postgres://app:${LEAKED_PASSWORD}@db.internal:5432/app` } });
  dir = await mkdtemp(join(tmpdir(), 'prodcheck-http-'));
  caFile = join(dir, 'ca.crt');
  await writeFile(caFile, app.caCert);
});

afterAll(async () => {
  await app?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Run {
  readonly snapshot: HttpSnapshot;
  readonly redactor: Redactor;
  /** [status, message] of each finding of a control. */
  readonly of: (control: string) => [string, string][];
  /** Controls with at least one failing finding. */
  readonly failing: string[];
}

async function collect(faults: AppFault[] = [], opts: { active?: boolean; timeoutMs?: number } = {}): Promise<Run> {
  await app.setFaults(faults);
  const redactor = new Redactor().add(LEAKED_PASSWORD);
  const targets = targetsSchema.parse({ http: sampleAppTargets(app, caFile, opts.timeoutMs ?? 5_000) });
  const snapshot = await httpCollector.collect({ spec: SPEC, targets, active: opts.active ?? false, redactor, signal: new AbortController().signal });
  const findings = HTTP_CHECKS.map((c) => [c.id, c.evaluate(snapshot, SPEC)] as const);
  return {
    snapshot,
    redactor,
    of: (control) => (findings.find(([id]) => id === control)?.[1] ?? []).map((f) => [f.status, f.message]),
    failing: findings.filter(([, fs]) => fs.some((f) => f.status === 'fail')).map(([id]) => id),
  };
}

const chunkPaths = (secrets = false) => buildChunks(SPEC.app.name, secrets ? app.planted : undefined).map((c) => c.path);

describe('http collector against a healthy sample app (--active)', () => {
  let run: Run;
  beforeAll(async () => {
    run = await collect([], { active: true });
  });

  it('fails nothing', () => {
    expect(run.failing).toEqual([]);
  });

  it('reads every page, API route and health endpoint', () => {
    expect(run.of('http.site-reachable')).toEqual([
      ['pass', 'GET / answers 200 with HTML.'],
      ['pass', 'GET /pricing answers 200 with HTML.'],
    ]);
    expect(run.of('http.api-smoke')).toEqual([['pass', 'GET /api/models answers 200 with JSON.']]);
    expect(run.of('http.health')).toEqual([['pass', 'GET /api/health answers 200 and reports healthy (database, redis).']]);
  });

  it('sees the https redirect, HSTS, the certificates and the www redirect', () => {
    expect(run.of('http.https-redirect')).toEqual([
      ['pass', 'http://shop.example.com/ answers 308 to https://shop.example.com/.'],
      ['pass', 'HSTS max-age is 63072000 s (at least 15552000 s).'],
    ]);
    expect(run.of('http.tls-certificate')).toEqual([
      ['pass', 'TLS certificate for shop.example.com verifies, covers the host and has 73 days left.'],
      ['pass', 'TLS certificate for www.shop.example.com verifies, covers the host and has 73 days left.'],
    ]);
    expect(run.of('http.www-redirect')).toEqual([['pass', 'https://www.shop.example.com/ answers 308 to https://shop.example.com/.']]);
  });

  it('grades the headers with the MDN HTTP Observatory', () => {
    expect(run.of('http.security-headers')).toEqual([
      ['pass', 'Security headers grade A+ (MDN HTTP Observatory score 130) meets the minimum B.'],
      ['pass', 'GET / carries Strict-Transport-Security max-age >= 15552000 (found max-age=63072000).'],
      ['pass', "GET / carries Content-Security-Policy restricting scripts without 'unsafe-inline' or 'unsafe-eval' (found scripts restricted)."],
      ['pass', 'GET / carries X-Content-Type-Options: nosniff (found nosniff).'],
      ['pass', "GET / carries CSP frame-ancestors without * or X-Frame-Options DENY or SAMEORIGIN (found frame-ancestors 'none')."],
      ['pass', 'GET / carries Referrer-Policy no-referrer, same-origin, strict-origin, strict-origin-when-cross-origin (found strict-origin-when-cross-origin).'],
    ]);
    const observatory = run.snapshot.observatory;
    expect(observatory?.ok && observatory.value.tests.map((t) => `${t.name} ${t.result}`)).toEqual([
      'content-security-policy csp-implemented-with-no-unsafe-default-src-none',
      'cookies cookies-not-found',
      'cross-origin-resource-sharing cross-origin-resource-sharing-not-implemented',
      'redirection redirection-to-https',
      'referrer-policy referrer-policy-private',
      'strict-transport-security hsts-implemented-max-age-at-least-six-months',
      'subresource-integrity sri-not-implemented-but-all-scripts-loaded-from-secure-origin',
      'x-content-type-options x-content-type-options-nosniff',
      'x-frame-options x-frame-options-implemented-via-csp',
      'cross-origin-resource-policy corp-implemented-with-same-origin',
    ]);
  });

  it('checks CORS, the webhook, protected routes and the session cookie', () => {
    expect(run.of('http.cors')).toEqual([
      ...HOSTILE.flatMap((from) => [
        ['pass', `A preflight to /api/models from ${from} gets no Access-Control-Allow-Origin.`],
        ['pass', `A credentialed GET to /api/models from ${from} gets no Access-Control-Allow-Origin.`],
      ]),
      ['pass', 'A preflight to /api/models from https://shop.example.com gets its origin echoed.'],
    ]);
    expect(run.of('http.webhook.endpoint')).toEqual([
      ['pass', 'An unsigned event POSTed to /api/webhooks/stripe is rejected with 400.'],
      ['pass', 'An event signed with the wrong secret POSTed to /api/webhooks/stripe is rejected with 400.'],
      ['pass', 'An event signed an hour ago POSTed to /api/webhooks/stripe is rejected with 400.'],
      ['pass', 'A balance.available test event signed with the webhook secret gets 200 from /api/webhooks/stripe.'],
    ]);
    expect(run.of('http.auth-protected-routes')).toEqual([
      ['pass', 'GET /api/account without a session answers 401.'],
      ['pass', 'GET /api/account with a forged session cookie __Host-session answers 401.'],
      ['pass', 'GET /api/account with an expired session cookie __Host-session answers 401.'],
      ['pass', 'GET /api/account with the test session answers 200.'],
      ['pass', 'GET /dashboard without a session redirects (307) to /login?callbackUrl=%2Fdashboard.'],
      ['pass', 'GET /dashboard with a forged session cookie __Host-session redirects (307) to /login?callbackUrl=%2Fdashboard.'],
      ['pass', 'GET /dashboard with an expired session cookie __Host-session redirects (307) to /login?callbackUrl=%2Fdashboard.'],
      ['pass', 'GET /dashboard with the test session answers 200.'],
    ]);
    expect(run.of('http.session-cookie-flags')).toEqual([['pass', 'Session cookie __Host-session is HttpOnly, Secure and SameSite=Lax.']]);
  });

  it('bursts limit + 1 requests at the rate-limited route and gets a 429 with its headers', () => {
    expect(run.of('http.rate-limit')).toEqual([
      ['pass', 'POST /api/chat answered 429 with retry-after, ratelimit-limit, ratelimit-remaining, ratelimit-reset after 6 requests (limit 5).'],
    ]);
    expect(app.requests(CHAT)).toBe(6);
  });

  it('scans the pages and chunks, probes errors, compression and caching', () => {
    const [webpack, main, chunk] = chunkPaths();
    expect(run.of('http.client-bundle-secrets')).toEqual([['pass', 'No secrets found in 5 scanned files (pages and the scripts they load).']]);
    expect(run.snapshot.bundle.scanned.map((s) => s.path)).toEqual(['/', '/pricing', webpack, main, chunk]);
    expect(run.of('http.error-leakage')).toEqual([
      ['pass', 'The 400 answer to POST /api/models with malformed JSON leaks no stack trace, connection string or secret.'],
      ['pass', 'The 400 answer to GET /api/models/%E0%A4%A with an undecodable id leaks no stack trace, connection string or secret.'],
    ]);
    expect(run.of('http.compression')).toEqual([
      ['pass', 'GET / is served br-compressed.'],
      ['pass', `GET ${webpack} is served br-compressed.`],
    ]);
    expect(run.of('http.cdn-caching')).toEqual([
      ...[webpack, main, chunk].map((p) => ['pass', `${p} is served with Cache-Control: public, max-age=31536000, immutable.`]),
      ...PAGES_REVALIDATED,
    ]);
  });
});

describe('http collector against each fault of the sample app', () => {
  it('page-error: a key page answering 503 fails http.site-reachable only', async () => {
    const run = await collect(['page-error']);
    expect(run.of('http.site-reachable')).toEqual([
      ['pass', 'GET / answers 200 with HTML.'],
      ['fail', 'GET /pricing must answer 200 with text/html (found 503 text/html).'],
    ]);
    expect(run.failing).toEqual(['http.site-reachable']);
  });

  it('root-not-html: / served as text/plain fails http.site-reachable only', async () => {
    const run = await collect(['root-not-html']);
    expect(run.of('http.site-reachable')[0]).toEqual(['fail', 'GET / must answer 200 with text/html (found 200 text/plain).']);
    expect(run.failing).toEqual(['http.site-reachable']);
  });

  it('api-500', async () => {
    const run = await collect(['api-500']);
    expect(run.of('http.api-smoke')).toEqual([['fail', 'GET /api/models must answer 200 (found 500).']]);
    expect(run.failing).toEqual(['http.api-smoke']);
  });

  it('unhealthy-service', async () => {
    const run = await collect(['unhealthy-service']);
    expect(run.of('http.health')).toEqual([['fail', 'GET /api/health must answer 200 (found 503).']]);
    expect(run.failing).toEqual(['http.health']);
  });

  it('slow-health: a health endpoint stuck mid-body is an error within the timeout', async () => {
    const t0 = Date.now();
    const run = await collect(['slow-health'], { timeoutMs: 500 });
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(run.of('http.health')).toEqual([['error', 'Could not GET /api/health: GET https://shop.example.com/api/health did not answer within 500 ms.']]);
    expect(run.failing).toEqual([]);
  });

  it('no-https-redirect: http:// serving the site fails http.https-redirect (the Observatory grade stays above B)', async () => {
    const run = await collect(['no-https-redirect']);
    expect(run.of('http.https-redirect')[0]).toEqual(['fail', 'http://shop.example.com/ must answer 301 or 308 to https:// (found 200).']);
    expect(run.of('http.security-headers')[0]).toEqual([
      'pass',
      'Security headers grade B+ (MDN HTTP Observatory score 80) meets the minimum B; weak: redirection redirection-missing.',
    ]);
    expect(run.failing).toEqual(['http.https-redirect']);
  });

  it('no-hsts', async () => {
    const run = await collect(['no-hsts']);
    expect(run.of('http.https-redirect')[1]).toEqual(['fail', 'HTTPS responses must carry Strict-Transport-Security (found none).']);
    // HSTS is also one of the headers http.security-headers requires by default.
    expect(run.of('http.security-headers')[1]).toEqual(['fail', 'GET / must carry Strict-Transport-Security max-age >= 15552000 (found none).']);
    expect(run.failing).toEqual(['http.https-redirect', 'http.security-headers']);
  });

  it('short-hsts', async () => {
    const run = await collect(['short-hsts']);
    expect(run.of('http.https-redirect')).toEqual([
      ['pass', 'http://shop.example.com/ answers 308 to https://shop.example.com/.'],
      ['fail', 'HSTS max-age must be at least 15552000 s (found 3600).'],
    ]);
    expect(run.of('http.security-headers')[1]).toEqual(['fail', 'GET / must carry Strict-Transport-Security max-age >= 15552000 (found max-age=3600).']);
    expect(run.failing).toEqual(['http.https-redirect', 'http.security-headers']);
  });

  it('expired-cert: the chain fails to verify, and the Observatory marks HSTS and the redirect invalid', async () => {
    const run = await collect(['expired-cert']);
    expect(run.of('http.tls-certificate')).toEqual([
      ['fail', 'TLS certificate for shop.example.com must verify against the trusted roots (found CERT_HAS_EXPIRED).'],
      ['fail', 'TLS certificate for www.shop.example.com must verify against the trusted roots (found CERT_HAS_EXPIRED).'],
    ]);
    expect(run.of('http.security-headers')[0]).toEqual([
      'fail',
      'Security headers grade must be at least B (found C+, score 60; weak: redirection redirection-invalid-cert, strict-transport-security hsts-invalid-cert).',
    ]);
    expect(run.snapshot.untrusted).toEqual({ host: 'shop.example.com', reason: 'CERT_HAS_EXPIRED' });
    expect(run.failing).toEqual(['http.tls-certificate', 'http.security-headers']);
  });

  it.each([
    ['expired-cert', 'CERT_HAS_EXPIRED'],
    ['wrong-host-cert', 'ERR_TLS_CERT_ALTNAME_INVALID'],
  ] as const)('%s (--active): only http.tls-certificate judges the impostor; no sign-in, session or signed event reaches it', async (fault, reason) => {
    const run = await collect([fault], { active: true });
    expect(run.snapshot.untrusted).toEqual({ host: 'shop.example.com', reason });
    expect(app.requests(SIGN_IN)).toBe(0);
    // Only the unsigned POST: anything with a signature travels over TLS that verifies, or not at all.
    expect(app.requests(WEBHOOK)).toBe(1);
    expect(run.snapshot.webhook?.signed).toEqual({ sent: false, reason: 'the certificate of the site did not verify, so no signed event goes to it' });
    const skip = `skipped: the TLS certificate of shop.example.com did not verify (${reason}), so its answers are not judged and no credentials or signed events were sent to it (see http.tls-certificate).`;
    const judged = httpFamily.checks.map((c) => [c.id, c.evaluate(run.snapshot, SPEC).map((f) => [f.status, f.message])] as const);
    for (const [id, findings] of judged) {
      if (id === 'http.tls-certificate') expect(findings.every(([status]) => status === 'fail')).toBe(true);
      else expect(findings, id).toEqual([['skip', skip]]);
    }
    if (fault === 'wrong-host-cert') {
      expect(run.of('http.tls-certificate')).toEqual([
        ['fail', 'TLS certificate for shop.example.com must cover shop.example.com (found DNS:wrong-host.invalid).'],
        ['fail', 'TLS certificate for www.shop.example.com must cover www.shop.example.com (found DNS:wrong-host.invalid).'],
      ]);
    }
  });

  it('short-lived-cert: a valid certificate with too few days left fails http.tls-certificate only', async () => {
    const run = await collect(['short-lived-cert']);
    expect(run.of('http.tls-certificate')[0]).toEqual(['fail', 'TLS certificate for shop.example.com must have at least 14 days left (found 6).']);
    expect(run.failing).toEqual(['http.tls-certificate']);
  });

  it('no-www-redirect', async () => {
    const run = await collect(['no-www-redirect']);
    expect(run.of('http.www-redirect')).toEqual([['fail', 'https://www.shop.example.com/ must answer 301 or 308 to https://shop.example.com/ (found 200).']]);
    expect(run.failing).toEqual(['http.www-redirect']);
  });

  it('missing-headers', async () => {
    const run = await collect(['missing-headers']);
    expect(run.of('http.security-headers')).toEqual([
      [
        'fail',
        'Security headers grade must be at least B (found C, score 50; weak: content-security-policy csp-not-implemented, x-content-type-options x-content-type-options-not-implemented, x-frame-options x-frame-options-not-implemented).',
      ],
      ['pass', 'GET / carries Strict-Transport-Security max-age >= 15552000 (found max-age=63072000).'],
      ['fail', "GET / must carry Content-Security-Policy restricting scripts without 'unsafe-inline' or 'unsafe-eval' (found none)."],
      ['fail', 'GET / must carry X-Content-Type-Options: nosniff (found none).'],
      ['fail', 'GET / must carry CSP frame-ancestors without * or X-Frame-Options DENY or SAMEORIGIN (found neither CSP frame-ancestors nor X-Frame-Options).'],
      ['fail', 'GET / must carry Referrer-Policy no-referrer, same-origin, strict-origin, strict-origin-when-cross-origin (found none).'],
    ]);
    expect(run.failing).toEqual(['http.security-headers']);
  });

  it('cors-wildcard', async () => {
    const run = await collect(['cors-wildcard']);
    const star = (from: string) => ['fail', `Access-Control-Allow-Origin * must never come with Access-Control-Allow-Credentials: true (found both on /api/models for ${from}).`];
    expect(run.of('http.cors')).toEqual([...HOSTILE.flatMap((from) => [star(from), star(from)]), star('https://shop.example.com')]);
    expect(run.failing).toEqual(['http.cors']);
  });

  it('no-rate-limit: the burst stops at limit + 1 requests and finds no 429', async () => {
    const run = await collect(['no-rate-limit'], { active: true });
    expect(run.of('http.rate-limit')).toEqual([['fail', 'POST /api/chat must answer 429 within 6 requests (found 6 × 200).']]);
    expect(app.requests(CHAT)).toBe(6);
    expect(run.failing).toEqual(['http.rate-limit']);
  });

  it('rate-limit-no-headers', async () => {
    const run = await collect(['rate-limit-no-headers'], { active: true });
    expect(run.of('http.rate-limit')).toEqual([['fail', 'The 429 from POST /api/chat must carry Retry-After or RateLimit headers (found none).']]);
    expect(app.requests(CHAT)).toBeLessThanOrEqual(6);
  });

  it('sends no burst without --active', async () => {
    const run = await collect([]);
    expect(run.snapshot.rateLimits).toBeUndefined();
    expect(app.requests(CHAT)).toBe(0);
    expect(run.of('http.webhook.endpoint')[3]).toEqual(['skip', 'No signed test event was sent: the signed test event is sent only with --active.']);
  });

  it('accept-unsigned-webhooks', async () => {
    const run = await collect(['accept-unsigned-webhooks']);
    expect(run.of('http.webhook.endpoint').slice(0, 2)).toEqual([
      ['fail', 'An unsigned event POSTed to /api/webhooks/stripe must be rejected with 400, 401 or 403 (found 200: accepted).'],
      ['fail', 'An event signed with the wrong secret POSTed to /api/webhooks/stripe must be rejected with 400, 401 or 403 (found 200: accepted).'],
    ]);
    expect(run.failing).toEqual(['http.webhook.endpoint']);
  });

  it('webhook-wrong-secret: the signed test event is refused', async () => {
    const run = await collect(['webhook-wrong-secret'], { active: true });
    expect(run.of('http.webhook.endpoint')).toEqual([
      ['pass', 'An unsigned event POSTed to /api/webhooks/stripe is rejected with 400.'],
      ['pass', 'An event signed with the wrong secret POSTed to /api/webhooks/stripe is rejected with 400.'],
      ['pass', 'An event signed an hour ago POSTed to /api/webhooks/stripe is rejected with 400.'],
      ['fail', 'A test event signed with the webhook secret must get a 2xx from /api/webhooks/stripe (found 400).'],
    ]);
  });

  it('webhook-no-tolerance (--active): an event signed an hour ago is accepted', async () => {
    const run = await collect(['webhook-no-tolerance'], { active: true });
    expect(run.of('http.webhook.endpoint')[2]).toEqual(['fail', 'An event signed an hour ago POSTed to /api/webhooks/stripe must be rejected with 400, 401 or 403 (found 200: accepted).']);
    expect(run.failing).toEqual(['http.webhook.endpoint']);
  });

  it('unprotected-route', async () => {
    const run = await collect(['unprotected-route']);
    expect(run.of('http.auth-protected-routes').filter(([status]) => status === 'fail')).toEqual([
      ['fail', 'GET /api/account without a session must answer 401 or redirect to sign-in (found 200).'],
      ['fail', 'GET /api/account with a forged session cookie __Host-session must answer 401 or redirect to sign-in (found 200).'],
      ['fail', 'GET /api/account with an expired session cookie __Host-session must answer 401 or redirect to sign-in (found 200).'],
      ['fail', 'GET /dashboard without a session must answer 401 or redirect to sign-in (found 200).'],
      ['fail', 'GET /dashboard with a forged session cookie __Host-session must answer 401 or redirect to sign-in (found 200).'],
      ['fail', 'GET /dashboard with an expired session cookie __Host-session must answer 401 or redirect to sign-in (found 200).'],
    ]);
    expect(run.failing).toEqual(['http.auth-protected-routes']);
  });

  it('weak-cookie', async () => {
    const run = await collect(['weak-cookie']);
    expect(run.of('http.session-cookie-flags')).toEqual([
      ['fail', 'Session cookie __Host-session must be HttpOnly, Secure and SameSite=Lax or Strict (found not HttpOnly, not Secure, SameSite=None).'],
    ]);
    expect(run.failing).toEqual(['http.session-cookie-flags']);
  });

  it('bundle-secret: reports location and fingerprint, never the secret', async () => {
    const run = await collect(['bundle-secret']);
    const chunk = chunkPaths(true)[2];
    const { stripeLiveKey, serviceRoleJwt } = app.planted;
    expect(run.of('http.client-bundle-secrets')).toEqual([
      ['fail', `Client code must contain no secrets (found a Stripe live secret key at ${chunk}:26:24, ${fingerprint(stripeLiveKey)}).`],
      ['fail', `Client code must contain no secrets (found a Supabase service-role JWT at ${chunk}:26:${24 + stripeLiveKey.length + 29}, ${fingerprint(serviceRoleJwt)}).`],
    ]);
    const everything = JSON.stringify([run.snapshot, HTTP_CHECKS.flatMap((c) => c.evaluate(run.snapshot, SPEC))]);
    for (const secret of [stripeLiveKey, serviceRoleJwt]) expect(everything).not.toContain(secret);
    // The collector registered them, so any later output is masked too.
    expect(run.redactor.redact(`leak: ${stripeLiveKey} ${serviceRoleJwt}`)).toBe('leak: [REDACTED] [REDACTED]');
    expect(run.failing).toEqual(['http.client-bundle-secrets']);
  });

  it('leaky-errors', async () => {
    const run = await collect(['leaky-errors']);
    const leaks = 'a stack trace, a connection string with a password and the value of DATABASE_URL';
    expect(run.of('http.error-leakage')).toEqual([
      ['fail', `Error responses must not leak internals (found ${leaks} in the 500 answer to POST /api/models with malformed JSON).`],
      ['fail', `Error responses must not leak internals (found ${leaks} in the 500 answer to GET /api/models/%E0%A4%A with an undecodable id).`],
    ]);
    expect(JSON.stringify(run.snapshot)).not.toContain(LEAKED_PASSWORD);
    expect(run.failing).toEqual(['http.error-leakage']);
  });

  it('no-compression', async () => {
    const run = await collect(['no-compression']);
    const [webpack] = chunkPaths();
    const page = run.snapshot.root.bodyBytes;
    const script = run.snapshot.assets[0]?.response.ok ? run.snapshot.assets[0].response.value.bodyBytes : 0;
    expect(run.of('http.compression')).toEqual([
      ['fail', `GET / must be served with br or gzip compression (found none for ${page} bytes).`],
      ['fail', `GET ${webpack} must be served with br or gzip compression (found none for ${script} bytes).`],
    ]);
    expect(page).toBeGreaterThan(1024);
    expect(run.failing).toEqual(['http.compression']);
  });

  it('no-cache-assets', async () => {
    const run = await collect(['no-cache-assets']);
    expect(run.of('http.cdn-caching')).toEqual([
      ...chunkPaths().map((p) => ['fail', `${p} must be served with Cache-Control max-age of at least 31536000 and immutable (found no-cache).`]),
      ...PAGES_REVALIDATED,
    ]);
    expect(run.failing).toEqual(['http.cdn-caching']);
  });
});

describe('a hung server', () => {
  it('makes the collector fail within the timeout', async () => {
    await app.setFaults(['hang']);
    const targets = targetsSchema.parse({ http: sampleAppTargets(app, caFile, 400) });
    const t0 = Date.now();
    const collecting = httpCollector.collect({ spec: SPEC, targets, active: false, redactor: new Redactor(), signal: new AbortController().signal });
    await expect(collecting).rejects.toThrow(new HttpUnreachableError('https://shop.example.com', 'GET https://shop.example.com/ did not answer within 400 ms'));
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it('yields error for http.site-reachable and skips the rest, within the timeout', async () => {
    await app.setFaults(['hang']);
    const targets = targetsSchema.parse({ http: sampleAppTargets(app, caFile, 400) });
    const report = await runVerify({ stack: 'test', spec: SPEC, targets, families: [httpFamily as never], redactor: new Redactor(), select: () => true, active: true });
    expect(report.durationMs).toBeLessThan(2_000);
    expect(report.summary).toEqual({ pass: 0, fail: 0, error: 1, skip: 18, waived: 0 });
    expect(report.results[0]).toMatchObject({
      control: 'http.site-reachable',
      status: 'error',
      message: 'http could not be reached: GET https://shop.example.com/ did not answer within 400 ms.',
    });
  });
});
