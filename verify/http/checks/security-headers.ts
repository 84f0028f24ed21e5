/** http.security-headers: each required header judged on its own, and the MDN HTTP Observatory grade beside them. */
import { OBSERVATORY_GRADES } from '../../../spec/index.js';
import type { Check, Finding } from '../../types.js';
import { judgeSecurityHeaders, type SecurityHeader } from '../header-rules.js';
import { unwrap } from '../judge.js';
import { OBSERVATORY_MISSING } from '../observatory.js';
import type { HttpSnapshot, ResponseInfo } from '../snapshot.js';

/** How each rule is named in messages and as the finding's resource. */
const LABEL: Readonly<Record<SecurityHeader, string>> = {
  'strict-transport-security': 'Strict-Transport-Security',
  'content-security-policy': 'Content-Security-Policy',
  'x-content-type-options': 'X-Content-Type-Options',
  'frame-ancestors': 'frame-ancestors / X-Frame-Options',
  'referrer-policy': 'Referrer-Policy',
};

export const httpSecurityHeaders: Check<HttpSnapshot> = {
  id: 'http.security-headers',
  target: 'http',
  evaluate(s, spec) {
    // A grade adds extra credit for some headers and so can hide a missing one: each is judged on its own,
    // on / or, when / only redirects (e.g. to a locale), on the first page that answered 200.
    const page = judgedPage(s);
    const headers = judgeSecurityHeaders(page.r.headers, spec.http).map(({ header, ok, found, wants }): Finding => {
      const resource = LABEL[header];
      return ok
        ? { status: 'pass', message: `GET ${page.path} carries ${wants} (found ${found}).`, expected: wants, actual: found, resource }
        : { status: 'fail', message: `GET ${page.path} must carry ${wants} (found ${found}).`, expected: wants, actual: found, resource };
    });
    return [grade(s, spec.http.securityHeadersMinGrade), ...headers];
  },
};

function judgedPage(s: HttpSnapshot): { path: string; r: ResponseInfo } {
  if (s.root.status < 300 || s.root.status >= 400) return { path: '/', r: s.root };
  for (const p of s.pages) if (p.response.ok && p.response.value.status === 200) return { path: p.path, r: p.response.value };
  return { path: '/', r: s.root };
}

function grade(s: HttpSnapshot, min: (typeof OBSERVATORY_GRADES)[number]): Finding {
  const resource = 'Observatory grade';
  if (!s.observatory) return { status: 'skip', message: `Security headers not graded: ${OBSERVATORY_MISSING}.`, resource };
  const r = unwrap(s.observatory, 'grade the security headers');
  if (!r.ok) return { ...r.finding, resource };
  const { grade: found, score, tests, preloadList } = r.value;
  const weak = tests.filter((t) => t.modifier < 0).map((t) => `${t.name} ${t.result}`);
  const expected = `grade ${min} or better`;
  const actual = `${found} (score ${score}${preloadList ? '' : ', HSTS preload list not installed'})`;
  const rank = (g: string) => OBSERVATORY_GRADES.indexOf(g as (typeof OBSERVATORY_GRADES)[number]);
  if (rank(found) !== -1 && rank(found) <= rank(min)) {
    const note = weak.length > 0 ? `; weak: ${weak.join(', ')}` : '';
    return { status: 'pass', message: `Security headers grade ${found} (MDN HTTP Observatory score ${score}) meets the minimum ${min}${note}.`, expected, actual, resource };
  }
  return { status: 'fail', message: `Security headers grade must be at least ${min} (found ${found}, score ${score}; weak: ${weak.join(', ') || 'none'}).`, expected, actual, resource };
}
