/** Response headers: http.security-headers, http.cors, http.compression, http.cdn-caching. */
import { OBSERVATORY_GRADES } from '../../../spec/index.js';
import type { Check, Finding } from '../../types.js';
import { cacheDirectives, cannot, COMPRESSION_MIN_BYTES, IMMUTABLE_MAX_AGE, unwrap } from '../judge.js';
import { OBSERVATORY_MISSING } from '../observatory.js';
import type { HttpSnapshot, ResponseInfo } from '../snapshot.js';

export const httpSecurityHeaders: Check<HttpSnapshot> = {
  id: 'http.security-headers',
  target: 'http',
  evaluate(s, spec) {
    if (!s.observatory) return [{ status: 'skip', message: `Security headers not graded: ${OBSERVATORY_MISSING}.` }];
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

export const httpCors: Check<HttpSnapshot> = {
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

export const httpCompression: Check<HttpSnapshot> = {
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

export const httpCdnCaching: Check<HttpSnapshot> = {
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
