import { describe, expect, it } from 'vitest';
import * as checks from '../../../verify/http/checks/index.js';
import { cspDirectives, scriptProblem } from '../../../verify/http/header-rules.js';
import type { HttpSnapshot } from '../../../verify/http/snapshot.js';
import { GOOD_HEADERS, judge, ok } from './fixture.js';
import { httpStack } from './stack.js';

const HSTS = 'max-age=63072000; includeSubDomains';
/** The root answer with these headers (undefined removes one). */
const rootWith = (changes: Record<string, string | undefined>) => (s: HttpSnapshot) => {
  const headers: Record<string, string> = { ...s.root.headers };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete headers[k];
    else headers[k] = v;
  }
  return { root: { ...s.root, headers } };
};
const A_PLUS = ok({ grade: 'A+', score: 120, preloadList: false, tests: [] });

describe('http.security-headers: each header on its own', () => {
  it('passes every default rule on a hardened answer, beside the grade', () => {
    expect(judge(checks.httpSecurityHeaders)).toEqual([
      ['pass', 'Security headers grade A+ (MDN HTTP Observatory score 115) meets the minimum B.'],
      ['pass', `GET / carries Strict-Transport-Security max-age >= 15552000 (found max-age=63072000).`],
      ['pass', "GET / carries Content-Security-Policy restricting scripts without 'unsafe-inline' or 'unsafe-eval' (found scripts restricted)."],
      ['pass', 'GET / carries X-Content-Type-Options: nosniff (found nosniff).'],
      ['pass', "GET / carries CSP frame-ancestors without * or X-Frame-Options DENY or SAMEORIGIN (found frame-ancestors 'none')."],
      ['pass', 'GET / carries Referrer-Policy no-referrer, same-origin, strict-origin, strict-origin-when-cross-origin (found strict-origin-when-cross-origin).'],
    ]);
  });

  it('fails a missing header even when the grade is A+', () => {
    const found = judge(checks.httpSecurityHeaders, (s) => ({ ...rootWith({ 'x-content-type-options': undefined })(s), observatory: A_PLUS }));
    expect(found[0]).toEqual(['pass', 'Security headers grade A+ (MDN HTTP Observatory score 120) meets the minimum B.']);
    expect(found.filter(([status]) => status === 'fail')).toEqual([['fail', 'GET / must carry X-Content-Type-Options: nosniff (found none).']]);
  });

  it('fails a short HSTS max-age, and HSTS without max-age', () => {
    expect(judge(checks.httpSecurityHeaders, rootWith({ 'strict-transport-security': 'max-age=86400' }))[1]).toEqual([
      'fail',
      'GET / must carry Strict-Transport-Security max-age >= 15552000 (found max-age=86400).',
    ]);
    expect(judge(checks.httpSecurityHeaders, rootWith({ 'strict-transport-security': 'includeSubDomains' }))[1]).toEqual([
      'fail',
      'GET / must carry Strict-Transport-Security max-age >= 15552000 (found "includeSubDomains" without max-age).',
    ]);
  });

  it("fails a CSP that lets scripts run inline or through eval, or does not restrict scripts, or is report-only", () => {
    const csp = (value: string | undefined, extra: Record<string, string> = {}) => judge(checks.httpSecurityHeaders, rootWith({ 'content-security-policy': value, ...extra }))[2];
    const wants = "GET / must carry Content-Security-Policy restricting scripts without 'unsafe-inline' or 'unsafe-eval'";
    expect(csp("default-src 'self'; script-src 'self' 'unsafe-inline'")).toEqual(['fail', `${wants} (found script-src allows 'unsafe-inline').`]);
    expect(csp("default-src 'self' 'unsafe-eval'")).toEqual(['fail', `${wants} (found default-src allows 'unsafe-eval').`]);
    expect(csp("img-src 'self'; frame-ancestors 'none'")).toEqual(['fail', `${wants} (found no script-src or default-src).`]);
    expect(csp("script-src 'self' https:")).toEqual(['fail', `${wants} (found script-src allows any source (https:)).`]);
    expect(csp(undefined, { 'content-security-policy-report-only': "script-src 'self'" })).toEqual([
      'fail',
      `${wants} (found only Content-Security-Policy-Report-Only, which enforces nothing).`,
    ]);
  });

  it("accepts 'unsafe-inline' beside a nonce (ignored by CSP2+ browsers), and one strict policy among several", () => {
    const csp = (value: string) => judge(checks.httpSecurityHeaders, rootWith({ 'content-security-policy': value }))[2]?.[0];
    expect(csp("script-src 'nonce-abc' 'unsafe-inline' 'strict-dynamic' https:; frame-ancestors 'none'")).toBe('pass');
    expect(csp("script-src * 'unsafe-inline', script-src 'self'")).toBe('pass');
    expect(scriptProblem(cspDirectives("script-src 'sha256-abc=' 'unsafe-inline'"))).toBeUndefined();
  });

  it('fails framing protection that is missing or allows any ancestor; accepts X-Frame-Options', () => {
    const frame = (changes: Record<string, string | undefined>) => judge(checks.httpSecurityHeaders, rootWith(changes))[4];
    const wants = 'GET / must carry CSP frame-ancestors without * or X-Frame-Options DENY or SAMEORIGIN';
    expect(frame({ 'content-security-policy': "script-src 'self'" })).toEqual(['fail', `${wants} (found neither CSP frame-ancestors nor X-Frame-Options).`]);
    expect(frame({ 'content-security-policy': "script-src 'self'; frame-ancestors *" })).toEqual(['fail', `${wants} (found frame-ancestors *).`]);
    expect(frame({ 'content-security-policy': "script-src 'self'", 'x-frame-options': 'ALLOW-FROM https://a.example' })).toEqual([
      'fail',
      `${wants} (found X-Frame-Options ALLOW-FROM https://a.example).`,
    ]);
    expect(frame({ 'content-security-policy': "script-src 'self'", 'x-frame-options': 'SAMEORIGIN' })?.[0]).toBe('pass');
  });

  it('fails a Referrer-Policy that leaks the URL, judging the last listed value', () => {
    const ref = (value: string | undefined) => judge(checks.httpSecurityHeaders, rootWith({ 'referrer-policy': value }))[5];
    const wants = 'GET / must carry Referrer-Policy no-referrer, same-origin, strict-origin, strict-origin-when-cross-origin';
    expect(ref('unsafe-url')).toEqual(['fail', `${wants} (found unsafe-url).`]);
    expect(ref(undefined)).toEqual(['fail', `${wants} (found none).`]);
    expect(ref('no-referrer, no-referrer-when-downgrade')).toEqual(['fail', `${wants} (found no-referrer-when-downgrade).`]);
    expect(ref('unsafe-url, strict-origin')?.[0]).toBe('pass');
  });

  it('judges only the headers the spec requires, with its own Referrer-Policy list', () => {
    const spec = httpStack({ securityHeaders: { required: ['referrer-policy'], referrerPolicies: ['no-referrer'] } });
    expect(judge(checks.httpSecurityHeaders, rootWith({ ...GOOD_HEADERS, 'x-content-type-options': undefined }), spec)).toEqual([
      ['pass', 'Security headers grade A+ (MDN HTTP Observatory score 115) meets the minimum B.'],
      ['fail', 'GET / must carry Referrer-Policy no-referrer (found strict-origin-when-cross-origin).'],
    ]);
  });

  it('judges the first page that answered 200 when / only redirects (to a locale, say)', () => {
    const change = (s: HttpSnapshot) => ({
      root: { ...s.root, status: 307, headers: { location: '/en' } },
      pages: [{ method: 'GET', path: '/en', response: ok({ ...s.root, headers: { ...s.root.headers, 'referrer-policy': 'unsafe-url' } }) }],
    });
    expect(judge(checks.httpSecurityHeaders, change).slice(1)).toEqual([
      ['pass', 'GET /en carries Strict-Transport-Security max-age >= 15552000 (found max-age=63072000).'],
      ['pass', "GET /en carries Content-Security-Policy restricting scripts without 'unsafe-inline' or 'unsafe-eval' (found scripts restricted)."],
      ['pass', 'GET /en carries X-Content-Type-Options: nosniff (found nosniff).'],
      ['pass', "GET /en carries CSP frame-ancestors without * or X-Frame-Options DENY or SAMEORIGIN (found frame-ancestors 'none')."],
      ['fail', 'GET /en must carry Referrer-Policy no-referrer, same-origin, strict-origin, strict-origin-when-cross-origin (found unsafe-url).'],
    ]);
  });

  it('judges the headers even when the Observatory is not installed', () => {
    const found = judge(checks.httpSecurityHeaders, (s) => ({ ...rootWith({ 'strict-transport-security': HSTS })(s), observatory: undefined }));
    expect(found[0]?.[0]).toBe('skip');
    expect(found.slice(1).map(([status]) => status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
  });
});
