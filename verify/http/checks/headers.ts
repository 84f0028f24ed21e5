/** Response headers: http.cors, http.compression, http.cdn-caching (http.security-headers is in security-headers.ts). */
import type { Check, Finding } from '../../types.js';
import { cacheDirectives, cannot, COMPRESSION_MIN_BYTES, contentType, IMMUTABLE_MAX_AGE, unwrap } from '../judge.js';
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
  evaluate(s, spec) {
    const { htmlMaxAgeSeconds, hashedAssetPrefixes } = spec.http.caching;
    const pages = [...(s.pages.some((p) => p.path === '/') ? [] : [{ method: 'GET', path: '/', response: { ok: true as const, value: s.root } }]), ...s.pages];
    const html = pages.flatMap(({ path, response }) => (response.ok && response.value.status === 200 && /html/i.test(contentType(response.value)) ? [{ path, r: response.value }] : []));
    if (s.assets.length === 0 && html.length === 0) return [{ status: 'skip', message: 'No page answered 200 with HTML and the pages load no same-site scripts: nothing to check.' }];
    const expected = `max-age >= ${IMMUTABLE_MAX_AGE}, immutable`;
    const assets = s.assets.map(({ path, response }): Finding => {
      const r = unwrap(response, `GET ${path}`);
      if (!r.ok) return { ...r.finding, resource: path };
      if (r.value.status !== 200) return { ...cannot(`check ${path}`, `it answered ${r.value.status}`), resource: path };
      const cc = r.value.headers['cache-control'] ?? '';
      // A script whose name does not change with its content must be revalidated like a page.
      if (!isHashed(path, hashedAssetPrefixes)) return shortLived(`${path} (not content-hashed)`, path, r.value, htmlMaxAgeSeconds);
      const d = cacheDirectives(cc);
      const maxAge = Number(d.get('s-maxage') ?? d.get('max-age') ?? 0);
      const cacheable = !d.has('no-store') && !d.has('no-cache') && !d.has('private') && maxAge >= IMMUTABLE_MAX_AGE && d.has('immutable');
      return cacheable
        ? { status: 'pass', message: `${path} is served with Cache-Control: ${cc}.`, expected, actual: cc, resource: path }
        : { status: 'fail', message: `${path} must be served with Cache-Control max-age of at least ${IMMUTABLE_MAX_AGE} and immutable (found ${cc || 'none'}).`, expected, actual: cc || 'none', resource: path };
    });
    return [...assets, ...html.map(({ path, r }) => shortLived(`GET ${path} (HTML)`, path, r, htmlMaxAgeSeconds))];
  },
};

/** Content-addressed: under a hashed-asset prefix, or a file name carrying a hash (letters and digits, 8+). */
export function isHashed(path: string, prefixes: readonly string[]): boolean {
  if (prefixes.some((p) => path.startsWith(p))) return true;
  const hash = /[.-]([A-Za-z0-9_]{8,})\.(?:m?js|css)(?:\?|$)/.exec(path)?.[1];
  return hash !== undefined && /\d/.test(hash) && /[A-Za-z]/.test(hash);
}

/**
 * What the edge keeps, by precedence: Vercel-CDN-Cache-Control, CDN-Cache-Control, Surrogate-Control,
 * then Cache-Control (s-maxage before max-age; private, no-store and no-cache keep nothing shared).
 */
export function edgeCaching(headers: Readonly<Record<string, string>>): { header: string; value: string; seconds: number; immutable: boolean } | undefined {
  for (const header of ['vercel-cdn-cache-control', 'cdn-cache-control', 'surrogate-control', 'cache-control']) {
    const value = headers[header];
    if (value === undefined) continue;
    const d = cacheDirectives(value);
    const immutable = d.has('immutable');
    if (d.has('no-store') || d.has('no-cache') || d.has('private')) return { header, value, seconds: 0, immutable };
    const seconds = Number(d.get('s-maxage') ?? d.get('max-age') ?? 0);
    return { header, value, seconds: Number.isFinite(seconds) ? seconds : 0, immutable };
  }
  return undefined;
}

const HEADER_NAMES: Readonly<Record<string, string>> = {
  'vercel-cdn-cache-control': 'Vercel-CDN-Cache-Control',
  'cdn-cache-control': 'CDN-Cache-Control',
  'surrogate-control': 'Surrogate-Control',
  'cache-control': 'Cache-Control',
};

/** A response that changes with each deploy: the edge may keep it at most `max` seconds, never as immutable. */
function shortLived(what: string, resource: string, r: ResponseInfo, max: number): Finding {
  const edge = edgeCaching(r.headers);
  const expected = `cached at the edge for at most ${max} s, not immutable`;
  if (!edge) return { status: 'pass', message: `${what} carries no caching header, so the edge does not keep it.`, expected, actual: 'none', resource };
  const actual = `${HEADER_NAMES[edge.header] ?? edge.header}: ${edge.value}`;
  return edge.immutable || edge.seconds > max
    ? { status: 'fail', message: `${what} must not be cached at the edge for more than ${max} s or as immutable (found ${actual}).`, expected, actual, resource }
    : { status: 'pass', message: `${what} is kept at the edge for at most ${edge.seconds} s (found ${actual}).`, expected, actual, resource };
}
