/** Response headers: http.cors, http.compression, http.cdn-caching (http.security-headers is in security-headers.ts). */
import type { Check, Finding } from '../../types.js';
import { cacheDirectives, cannot, COMPRESSION_MIN_BYTES, IMMUTABLE_MAX_AGE, unwrap } from '../judge.js';
import type { HttpSnapshot, ResponseInfo } from '../snapshot.js';

export const httpCors: Check<HttpSnapshot> = {
  id: 'http.cors',
  target: 'http',
  evaluate(s) {
    const { path } = s.cors;
    return s.cors.preflights.map(({ origin, allowed, method, hostile, response }): Finding => {
      const what = method === 'GET' ? 'A credentialed GET' : 'A preflight';
      const from = hostile ? `${origin} (${hostile})` : origin;
      const resource = method === 'GET' ? `GET from ${origin}` : origin;
      const r = unwrap(response, `send ${what === 'A preflight' ? 'a CORS preflight' : 'a credentialed GET'} to ${path} from ${origin}`);
      if (!r.ok) return { ...r.finding, resource };
      const acao = r.value.headers['access-control-allow-origin'];
      const credentials = r.value.headers['access-control-allow-credentials']?.trim().toLowerCase() === 'true';
      const expected = allowed ? origin : 'no Access-Control-Allow-Origin';
      const actual = acao ?? 'none';
      if (acao?.trim() === '*' && credentials) {
        return {
          status: 'fail',
          message: `Access-Control-Allow-Origin * must never come with Access-Control-Allow-Credentials: true (found both on ${path} for ${from}).`,
          expected,
          actual: '* with credentials',
          resource,
        };
      }
      if (!allowed) {
        if (acao === undefined) return { status: 'pass', message: `${what} to ${path} from ${from} gets no Access-Control-Allow-Origin.`, expected, actual, resource };
        const reflected = acao.trim() === origin ? `, its origin reflected${credentials ? ' with credentials' : ''}` : '';
        return { status: 'fail', message: `${what} to ${path} from ${from} must get no Access-Control-Allow-Origin (found ${acao}${reflected}).`, expected, actual, resource };
      }
      return acao?.trim() === origin
        ? { status: 'pass', message: `${what} to ${path} from ${from} gets its origin echoed.`, expected, actual, resource }
        : { status: 'fail', message: `${what} to ${path} from ${from} must get Access-Control-Allow-Origin ${origin} (found ${actual}).`, expected, actual, resource };
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
