import { describe, expect, it } from 'vitest';
import * as checks from '../../../verify/http/checks/index.js';
import { hostileOrigins } from '../../../verify/http/probe-access.js';
import type { HttpSnapshot } from '../../../verify/http/snapshot.js';
import { judge, ok, res } from './fixture.js';

const ALLOWED = 'https://shop.example.com';
const SUFFIX = { origin: 'https://shop.example.com.evil.net', hostile: `look-alike suffix of ${ALLOWED}` };

/** One request from a hostile origin and its answer's headers. */
const answered = (method: 'OPTIONS' | 'GET', from: { origin: string; hostile?: string }, headers: Record<string, string>) => (): Partial<HttpSnapshot> => ({
  cors: { path: '/api/models', preflights: [{ ...from, allowed: false, method, response: ok(res(method === 'GET' ? 200 : 204, headers)) }] },
});

describe('http.cors: probed like an attacker', () => {
  it('tries look-alike suffix and prefix origins, the http:// twin, null and an unrelated origin, never an allowed one', () => {
    expect(hostileOrigins([ALLOWED, 'http://shop.example.com'], 'https://shop.example.com')).toEqual([
      { origin: 'https://evil.example' },
      SUFFIX,
      { origin: 'https://evilshop.example.com', hostile: `look-alike prefix of ${ALLOWED}` },
      { origin: 'http://shop.example.com.evil.net', hostile: 'look-alike suffix of http://shop.example.com' },
      { origin: 'http://evilshop.example.com', hostile: 'look-alike prefix of http://shop.example.com' },
      { origin: 'null', hostile: 'the null origin of sandboxed frames and files' },
    ]);
    expect(hostileOrigins([], 'https://app.example.com:8443').map((h) => h.origin)).toEqual([
      'https://evil.example',
      'https://app.example.com.evil.net:8443',
      'https://evilapp.example.com:8443',
      'http://app.example.com:8443',
      'null',
    ]);
  });

  it('passes when a hostile origin gets no Access-Control-Allow-Origin', () => {
    expect(judge(checks.httpCors, answered('GET', SUFFIX, { vary: 'Origin' }))).toEqual([
      ['pass', `A credentialed GET to /api/models from https://shop.example.com.evil.net (look-alike suffix of ${ALLOWED}) gets no Access-Control-Allow-Origin.`],
    ]);
  });

  it('fails a reflected look-alike origin, naming it and the credentials', () => {
    const reflected = { 'access-control-allow-origin': SUFFIX.origin, 'access-control-allow-credentials': 'true' };
    expect(judge(checks.httpCors, answered('OPTIONS', SUFFIX, reflected))).toEqual([
      [
        'fail',
        `A preflight to /api/models from https://shop.example.com.evil.net (look-alike suffix of ${ALLOWED}) must get no Access-Control-Allow-Origin (found https://shop.example.com.evil.net, its origin reflected with credentials).`,
      ],
    ]);
  });

  it('fails the null origin reflected on the actual request', () => {
    const nul = { origin: 'null', hostile: 'the null origin of sandboxed frames and files' };
    expect(judge(checks.httpCors, answered('GET', nul, { 'access-control-allow-origin': 'null' }))).toEqual([
      ['fail', 'A credentialed GET to /api/models from null (the null origin of sandboxed frames and files) must get no Access-Control-Allow-Origin (found null, its origin reflected).'],
    ]);
  });

  it('fails * with credentials on the actual request, naming the origin', () => {
    const http = { origin: 'http://shop.example.com', hostile: `the http:// scheme of ${ALLOWED}` };
    expect(judge(checks.httpCors, answered('GET', http, { 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' }))).toEqual([
      [
        'fail',
        `Access-Control-Allow-Origin * must never come with Access-Control-Allow-Credentials: true (found both on /api/models for http://shop.example.com (the http:// scheme of ${ALLOWED})).`,
      ],
    ]);
  });
});
