/** A healthy snapshot of httpStack() and helpers to judge one check against a changed copy of it. */
import type { StackSpec } from '../../../spec/index.js';
import type { HttpSnapshot, ResponseInfo } from '../../../verify/http/snapshot.js';
import type { Check, Probe } from '../../../verify/types.js';
import { httpStack } from './stack.js';

export const SPEC = httpStack();
export const CHECKED_AT = '2026-01-01T00:00:00.000Z';
export const CHUNK = '/_next/static/chunks/main-0123456789abcdef.js';

export const ok = <T>(value: T): Probe<T> => ({ ok: true, value });
export const err = (error: string): Probe<never> => ({ ok: false, error });
export const res = (status: number, headers: Record<string, string> = {}, extra: Partial<ResponseInfo> = {}): ResponseInfo => ({ status, headers, cookies: [], bodyBytes: 4096, ...extra });
export const html = (status = 200) => res(status, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'br', 'strict-transport-security': 'max-age=63072000; includeSubDomains' });
export const cert = (host: string, days = 60, extra: object = {}) =>
  ok({
    authorized: true,
    subjectCN: host,
    subjectAltName: `DNS:${host}`,
    validFrom: '2025-12-01T00:00:00.000Z',
    validTo: new Date(Date.parse(CHECKED_AT) + days * 86_400_000 + 3_600_000).toISOString(),
    ...extra,
  });

/** The security headers of a hardened deployment (HSTS is in html()). */
export const GOOD_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'self'; script-src 'self' 'nonce-r4nd0m' 'strict-dynamic'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

/** What a healthy deployment of httpStack() looks like to the collector. */
export function healthy(): HttpSnapshot {
  return {
    checkedAt: CHECKED_AT,
    origin: 'https://shop.example.com',
    hosts: { canonical: 'shop.example.com', apex: 'shop.example.com', www: 'www.shop.example.com' },
    root: { ...html(), headers: { ...html().headers, ...GOOD_HEADERS } },
    pages: ['/', '/pricing'].map((path) => ({ method: 'GET', path, response: ok(html()) })),
    apiSmoke: [{ method: 'GET', path: '/api/models', response: ok(res(200, { 'content-type': 'application/json; charset=utf-8' })) }],
    health: [{ method: 'GET', path: '/api/health', response: ok({ ...res(200), json: { status: 'healthy', services: { database: 'healthy', redis: { status: 'up' } } } }) }],
    httpRedirect: { url: 'http://shop.example.com/', response: ok(res(308, { location: 'https://shop.example.com/' })) },
    certificates: [
      { host: 'shop.example.com', handshake: cert('shop.example.com') },
      { host: 'www.shop.example.com', handshake: cert('www.shop.example.com') },
    ],
    wwwRedirect: { from: 'https://www.shop.example.com/', to: 'https://shop.example.com/', response: ok(res(308, { location: 'https://shop.example.com/' })) },
    observatory: ok({ grade: 'A+', score: 115, preloadList: false, tests: [{ name: 'content-security-policy', result: 'csp-implemented-with-no-unsafe', pass: true, modifier: 5 }] }),
    cors: {
      path: '/api/models',
      preflights: [
        { origin: 'https://evil.example', allowed: false, response: ok(res(204)) },
        { origin: 'https://shop.example.com', allowed: true, response: ok(res(204, { 'access-control-allow-origin': 'https://shop.example.com', 'access-control-allow-credentials': 'true' })) },
      ],
    },
    rateLimits: [{ method: 'POST', path: '/api/chat', limit: 5, response: ok({ sent: 6, statuses: [200, 200, 200, 200, 200, 429], limited: { after: 6, headers: { 'retry-after': '60' } } }) }],
    webhook: {
      path: '/api/webhooks/stripe',
      unsigned: ok(res(400)),
      forged: ok(res(400)),
      expired: { sent: true, response: ok(res(400)) },
      signed: { sent: true, eventType: 'balance.available', response: ok(res(200)) },
    },
    protectedRoutes: [
      { path: '/api/account', anonymous: ok(res(401)), withSession: ok(res(200)) },
      { path: '/dashboard', anonymous: ok(res(307, { location: '/login?callbackUrl=%2Fdashboard' })) },
    ],
    session: { cookie: { name: '__Host-session', httpOnly: true, secure: true, sameSite: 'strict', setBy: 'POST /api/auth/signin' } },
    bundle: { scanned: [{ path: '/', bytes: 2000 }, { path: CHUNK, bytes: 9000 }], failed: [], secrets: [] },
    assets: [{ method: 'GET', path: CHUNK, response: ok(res(200, { 'content-encoding': 'gzip', 'cache-control': 'public, max-age=31536000, immutable' })) }],
    errorProbes: [{ label: 'POST /api/models with malformed JSON', response: ok({ ...res(400), leaks: [] }) }],
  };
}

export function judge(check: Check<HttpSnapshot>, change: (s: HttpSnapshot) => Partial<HttpSnapshot> = () => ({}), spec: StackSpec = SPEC): [string, string][] {
  const s = healthy();
  return check.evaluate({ ...s, ...change(s) }, spec).map((f) => [f.status, f.message]);
}
