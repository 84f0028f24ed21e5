import { describe, expect, it } from 'vitest';
import * as checks from '../../../verify/http/checks/index.js';
import { edgeCaching, isHashed } from '../../../verify/http/checks/headers.js';
import type { HttpSnapshot } from '../../../verify/http/snapshot.js';
import { html, judge, ok, res } from './fixture.js';
import { httpStack } from './stack.js';

/** Only `/`, answered as HTML with these headers; no scripts. */
const page = (headers: Record<string, string>) => (): Partial<HttpSnapshot> => {
  const root = { ...html(), headers: { ...html().headers, ...headers } };
  return { root, pages: [{ method: 'GET', path: '/', response: ok(root) }], assets: [] };
};

describe('http.cdn-caching: HTML is not kept long at the edge', () => {
  it('passes a page the edge revalidates or keeps briefly', () => {
    expect(judge(checks.httpCdnCaching, page({ 'cache-control': 'public, max-age=0, must-revalidate' }))).toEqual([
      ['pass', 'GET / (HTML) is kept at the edge for at most 0 s (found Cache-Control: public, max-age=0, must-revalidate).'],
    ]);
    expect(judge(checks.httpCdnCaching, page({ 'cache-control': 'public, max-age=0, s-maxage=300, stale-while-revalidate=60' }))[0]?.[0]).toBe('pass');
    expect(judge(checks.httpCdnCaching, page({ 'cache-control': 'private, no-cache, no-store, max-age=0' }))[0]?.[0]).toBe('pass');
  });

  it('fails a page cached as immutable or for a year, naming the header the edge obeys', () => {
    expect(judge(checks.httpCdnCaching, page({ 'cache-control': 'public, max-age=31536000, immutable' }))).toEqual([
      ['fail', 'GET / (HTML) must not be cached at the edge for more than 600 s or as immutable (found Cache-Control: public, max-age=31536000, immutable).'],
    ]);
    expect(judge(checks.httpCdnCaching, page({ 'cache-control': 'public, max-age=0, s-maxage=86400' }))).toEqual([
      ['fail', 'GET / (HTML) must not be cached at the edge for more than 600 s or as immutable (found Cache-Control: public, max-age=0, s-maxage=86400).'],
    ]);
    // The browser revalidates, but the CDN keeps the page a day: CDN-Cache-Control wins at the edge.
    expect(judge(checks.httpCdnCaching, page({ 'cache-control': 'public, max-age=0', 'cdn-cache-control': 'max-age=86400' }))).toEqual([
      ['fail', 'GET / (HTML) must not be cached at the edge for more than 600 s or as immutable (found CDN-Cache-Control: max-age=86400).'],
    ]);
  });

  it('takes the limit from spec http.caching.htmlMaxAgeSeconds', () => {
    const spec = httpStack({ caching: { htmlMaxAgeSeconds: 3600 } });
    expect(judge(checks.httpCdnCaching, page({ 'cache-control': 'public, s-maxage=1800' }), spec)).toEqual([
      ['pass', 'GET / (HTML) is kept at the edge for at most 1800 s (found Cache-Control: public, s-maxage=1800).'],
    ]);
  });

  it('judges a script without a content hash like a page: it must not be immutable', () => {
    const asset = (path: string) => () => ({ pages: [], root: res(503), assets: [{ method: 'GET', path, response: ok(res(200, { 'cache-control': 'public, max-age=31536000, immutable' })) }] });
    expect(judge(checks.httpCdnCaching, asset('/js/app.js'))).toEqual([
      ['fail', '/js/app.js (not content-hashed) must not be cached at the edge for more than 600 s or as immutable (found Cache-Control: public, max-age=31536000, immutable).'],
    ]);
    expect(judge(checks.httpCdnCaching, asset('/assets/index-B4x9kQ2z.js'))).toEqual([['pass', '/assets/index-B4x9kQ2z.js is served with Cache-Control: public, max-age=31536000, immutable.']]);
  });

  it('knows hashed names and the precedence of edge headers', () => {
    expect(isHashed('/_next/static/chunks/pages/_app.js', ['/_next/static/'])).toBe(true);
    expect(isHashed('/static/main.3f2a9c1b.js', [])).toBe(true);
    expect(isHashed('/static/analytics-tracking.js', [])).toBe(false);
    expect(edgeCaching({ 'cache-control': 'max-age=60', 'vercel-cdn-cache-control': 'max-age=5', 'cdn-cache-control': 'max-age=10' })).toEqual({
      header: 'vercel-cdn-cache-control',
      value: 'max-age=5',
      seconds: 5,
      immutable: false,
    });
    expect(edgeCaching({})).toBeUndefined();
  });
});
