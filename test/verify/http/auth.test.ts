import { describe, expect, it } from 'vitest';
import * as checks from '../../../verify/http/checks/index.js';
import { expiredSessionValue, forgedSessionValue } from '../../../verify/http/probe-access.js';
import type { ResponseInfo } from '../../../verify/http/snapshot.js';
import { err, judge, ok, res } from './fixture.js';

const route = (forged: ResponseInfo, expired: ResponseInfo) => () => ({
  protectedRoutes: [{ path: '/api/account', anonymous: ok(res(401)), forged: ok(forged), expired: ok(expired), withSession: ok(res(200)) }],
});

describe('http.auth-protected-routes: forged and expired session cookies', () => {
  it('makes a forged value and a JWT whose exp passed an hour ago', () => {
    expect(forgedSessionValue()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(forgedSessionValue()).not.toBe(forgedSessionValue());
    const now = Date.parse('2026-01-01T12:00:00Z');
    const [head, payload, sig] = expiredSessionValue(now).split('.');
    expect(JSON.parse(Buffer.from(head ?? '', 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString())).toEqual({ sub: 'prodcheck-expired-session', iat: now / 1000 - 7200, exp: now / 1000 - 3600 });
    expect(sig).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('passes when both are refused (401, or a redirect to sign-in)', () => {
    expect(judge(checks.httpAuthProtectedRoutes, route(res(401), res(307, { location: '/login' })))).toEqual([
      ['pass', 'GET /api/account without a session answers 401.'],
      ['pass', 'GET /api/account with a forged session cookie __Host-session answers 401.'],
      ['pass', 'GET /api/account with an expired session cookie __Host-session redirects (307) to /login.'],
      ['pass', 'GET /api/account with the test session answers 200.'],
    ]);
  });

  it('accepts a 400 for a malformed session cookie, but not for no cookie at all', () => {
    expect(judge(checks.httpAuthProtectedRoutes, route(res(400), res(400)))[1]).toEqual(['pass', 'GET /api/account with a forged session cookie __Host-session answers 400.']);
    const anonymous400 = () => ({ protectedRoutes: [{ path: '/api/account', anonymous: ok(res(400)) }] });
    expect(judge(checks.httpAuthProtectedRoutes, anonymous400)).toEqual([['fail', 'GET /api/account without a session must answer 401 or redirect to sign-in (found 400).']]);
  });

  it('fails when a forged or expired cookie of the right name gets through', () => {
    expect(judge(checks.httpAuthProtectedRoutes, route(res(200), res(200))).filter(([status]) => status === 'fail')).toEqual([
      ['fail', 'GET /api/account with a forged session cookie __Host-session must answer 401 or redirect to sign-in (found 200).'],
      ['fail', 'GET /api/account with an expired session cookie __Host-session must answer 401 or redirect to sign-in (found 200).'],
    ]);
  });

  it('errors, naming the cookie, when the request got no answer', () => {
    const change = () => ({ protectedRoutes: [{ path: '/dashboard', anonymous: ok(res(401)), forged: err('socket hang up') }] });
    expect(judge(checks.httpAuthProtectedRoutes, change)[1]).toEqual(['error', 'Could not GET /dashboard with a forged session cookie __Host-session: socket hang up.']);
  });
});
