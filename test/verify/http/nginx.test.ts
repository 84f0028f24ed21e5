/**
 * The http checks against Debian's nginx in front of a small Node backend, with nginx configs written the
 * way people write them: the good ones pass, the classic mistakes fail with the exact message.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../sandbox/services/index.js';
import { targetsSchema } from '../../../spec/index.js';
import { HTTP_CHECKS } from '../../../verify/http/index.js';
import { httpCollector } from '../../../verify/http/collect.js';
import { Redactor } from '../../../report/redact.js';
import { hasNginx, startNginx, type NginxPorts } from '../../helpers/nginx.js';
import { httpStack } from './stack.js';

const NAMES = ['shop.example.com', 'www.shop.example.com'];
// nginx names cookie variables $cookie_<name>: the session cookie's name must be a plain identifier.
const SPEC = httpStack({ sessionCookie: 'session_token', rateLimits: [], pages: ['/'] });
const CHUNK = '/_next/static/chunks/main-0123456789abcdef.js';
const available = await hasNginx();
let backend: Server;
let backendPort: number;

/** A Next.js-like app server: pages revalidated, hashed chunks immutable, sessions checked against its own store. */
function app(): Server {
  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://backend').pathname;
    const signedIn = /(?:^|;\s*)session_token=issued-by-sign-in(?:;|$)/.test(req.headers.cookie ?? '');
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': type, ...headers });
      res.end(body);
    };
    if (path === '/' || path === '/login') {
      return send(200, 'text/html; charset=utf-8', `<!DOCTYPE html><title>shop</title><script src="${CHUNK}" defer></script><p>shop</p>`, { 'cache-control': 'public, max-age=0, must-revalidate' });
    }
    if (path === CHUNK) return send(200, 'application/javascript', 'console.log("shop");', { 'cache-control': 'public, max-age=31536000, immutable' });
    if (path === '/api/models') return send(200, 'application/json', '{"models":[]}');
    if (path === '/api/health') return send(200, 'application/json', '{"status":"healthy","services":{"database":"healthy","redis":"healthy"}}');
    if (path === '/api/account') return signedIn ? send(200, 'application/json', '{"plan":"pro"}') : send(401, 'application/json', '{"error":"Unauthorized"}');
    if (path === '/dashboard') return signedIn ? send(200, 'text/html', '<p>dashboard</p>') : send(307, 'text/plain', '', { location: '/login?callbackUrl=%2Fdashboard' });
    return send(404, 'application/json', '{"error":"Not found"}');
  });
}

beforeAll(async () => {
  if (!available) return;
  backendPort = await freePort();
  backend = app();
  await new Promise<void>((resolve) => backend.listen(backendPort, '127.0.0.1', resolve));
});

afterAll(async () => {
  await new Promise((resolve) => (backend ? backend.close(resolve) : resolve(undefined)));
});

const HEADERS = `
    add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;
    add_header Content-Security-Policy "default-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'" always;
    add_header X-Content-Type-Options "nosniff" always;
    add_header Referrer-Policy "strict-origin-when-cross-origin" always;`;

/** The usual two server blocks; `https` is the TLS server's body after the certificate and the headers. */
function site(p: NginxPorts, opts: { redirect?: string; https?: string; http?: string } = {}): string {
  return `
  server {
    listen 127.0.0.1:${p.http};
    server_name shop.example.com www.shop.example.com;
    ${opts.http ?? ''}
    return 301 ${opts.redirect ?? 'https://$host$request_uri'};
  }
  server {
    listen 127.0.0.1:${p.https} ssl;
    server_name shop.example.com www.shop.example.com;
    ${p.tls}
    ${HEADERS}
    ${opts.https ?? `location / { proxy_pass http://127.0.0.1:${backendPort}; proxy_set_header Host $host; }`}
  }`;
}

/** CORS for /api/ from an allow-list kept in a map, with the preflight answered by nginx. */
const corsApi = (allowValue: string) => `
    location /api/ {
      add_header Access-Control-Allow-Origin ${allowValue} always;
      add_header Access-Control-Allow-Credentials true always;
      add_header Vary Origin always;
      if ($request_method = OPTIONS) { return 204; }
      proxy_pass http://127.0.0.1:${backendPort};
      proxy_set_header Host $host;
    }
    location / { proxy_pass http://127.0.0.1:${backendPort}; proxy_set_header Host $host; }`;
const CORS_MAP = (pattern: string) => `
  map $http_origin $cors_origin {
    default "";
    "${pattern}" $http_origin;
  }`;

/** Runs the collector against nginx serving `config`, returns [status, message] per control. */
async function verify(config: (p: NginxPorts) => string) {
  const front = await startNginx(config, NAMES);
  try {
    const targets = targetsSchema.parse({ http: { resolve: `127.0.0.1:${front.httpsPort}`, resolveHttp: `127.0.0.1:${front.httpPort}`, caFile: front.caFile, timeoutMs: 5_000 } });
    const snapshot = await httpCollector.collect({ spec: SPEC, targets, active: false, redactor: new Redactor(), signal: new AbortController().signal });
    const findings = HTTP_CHECKS.map((c) => [c.id, c.evaluate(snapshot, SPEC)] as const);
    return {
      of: (control: string) => (findings.find(([id]) => id === control)?.[1] ?? []).map((f) => [f.status, f.message]),
      fails: (control: string) => (findings.find(([id]) => id === control)?.[1] ?? []).filter((f) => f.status === 'fail').map((f) => f.message),
    };
  } finally {
    await front.stop();
  }
}

const reason = `Debian's nginx is not installed at /usr/sbin/nginx (apt-get install nginx-light or nginx)`;

describe.skipIf(!available)(`http checks against nginx as the web front${available ? '' : ` (skipped: ${reason})`}`, () => {
  it('a careful config passes the redirect, every header, CORS, forged sessions and caching', async () => {
    const run = await verify((p) => CORS_MAP('~^https://shop\\.example\\.com$') + site(p, { https: corsApi('$cors_origin') }));
    expect(run.of('http.https-redirect')[0]).toEqual(['pass', 'http://shop.example.com/ answers 301 to https://shop.example.com/.']);
    expect(run.fails('http.security-headers')).toEqual([]);
    expect(run.of('http.security-headers').slice(1).map(([s]) => s)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
    expect(run.fails('http.cors')).toEqual([]);
    expect(run.of('http.cors').at(-1)).toEqual(['pass', 'A preflight to /api/models from https://shop.example.com gets its origin echoed.']);
    expect(run.fails('http.auth-protected-routes')).toEqual([]);
    expect(run.of('http.auth-protected-routes')).toContainEqual(['pass', 'GET /api/account with a forged session cookie session_token answers 401.']);
    expect(run.of('http.cdn-caching')).toEqual([
      ['pass', `${CHUNK} is served with Cache-Control: public, max-age=31536000, immutable.`],
      ['pass', 'GET / (HTML) is kept at the edge for at most 0 s (found Cache-Control: public, max-age=0, must-revalidate).'],
    ]);
  });

  it('return 301 to a hard-coded other host fails http.https-redirect', async () => {
    const run = await verify((p) => site(p, { redirect: 'https://shop.example.net$request_uri' }));
    expect(run.fails('http.https-redirect')).toEqual([
      'http://shop.example.com/ must redirect to https:// on shop.example.com, not to another host (found 301 to https://shop.example.net/).',
    ]);
  });

  it('an add_header inside location / drops every server-level security header there', async () => {
    const run = await verify((p) => site(p, { https: `location / { add_header X-Served-By edge-1; proxy_pass http://127.0.0.1:${backendPort}; proxy_set_header Host $host; }` }));
    expect(run.fails('http.security-headers').slice(-5)).toEqual([
      'GET / must carry Strict-Transport-Security max-age >= 15552000 (found none).',
      "GET / must carry Content-Security-Policy restricting scripts without 'unsafe-inline' or 'unsafe-eval' (found none).",
      'GET / must carry X-Content-Type-Options: nosniff (found none).',
      'GET / must carry CSP frame-ancestors without * or X-Frame-Options DENY or SAMEORIGIN (found neither CSP frame-ancestors nor X-Frame-Options).',
      'GET / must carry Referrer-Policy no-referrer, same-origin, strict-origin, strict-origin-when-cross-origin (found none).',
    ]);
  });

  it('add_header Access-Control-Allow-Origin $http_origin reflects every hostile origin with credentials', async () => {
    const run = await verify((p) => site(p, { https: corsApi('$http_origin') }));
    const fails = run.fails('http.cors');
    expect(fails).toHaveLength(10);
    expect(fails).toContain(
      'A credentialed GET to /api/models from https://shop.example.com.evil.net (look-alike suffix of https://shop.example.com) must get no Access-Control-Allow-Origin (found https://shop.example.com.evil.net, its origin reflected with credentials).',
    );
    expect(fails).toContain('A preflight to /api/models from null (the null origin of sandboxed frames and files) must get no Access-Control-Allow-Origin (found null, its origin reflected with credentials).');
  });

  it('an allow-list regex without its $ anchor lets the look-alike suffix through, and only it', async () => {
    const run = await verify((p) => CORS_MAP('~^https://shop\\.example\\.com') + site(p, { https: corsApi('$cors_origin') }));
    expect(run.fails('http.cors')).toEqual([
      'A preflight to /api/models from https://shop.example.com.evil.net (look-alike suffix of https://shop.example.com) must get no Access-Control-Allow-Origin (found https://shop.example.com.evil.net, its origin reflected with credentials).',
      'A credentialed GET to /api/models from https://shop.example.com.evil.net (look-alike suffix of https://shop.example.com) must get no Access-Control-Allow-Origin (found https://shop.example.com.evil.net, its origin reflected with credentials).',
    ]);
  });

  it('a cookie-presence check in nginx lets forged and expired session cookies in', async () => {
    const gate = `
    location = /api/account {
      if ($cookie_session_token = "") { return 401; }
      default_type application/json;
      return 200 '{"plan":"pro"}';
    }
    location = /dashboard {
      if ($cookie_session_token = "") { return 302 /login; }
      default_type text/html;
      return 200 '<p>dashboard</p>';
    }
    location / { proxy_pass http://127.0.0.1:${backendPort}; proxy_set_header Host $host; }`;
    const run = await verify((p) => site(p, { https: gate }));
    expect(run.fails('http.auth-protected-routes')).toEqual([
      'GET /api/account with a forged session cookie session_token must answer 401 or redirect to sign-in (found 200).',
      'GET /api/account with an expired session cookie session_token must answer 401 or redirect to sign-in (found 200).',
      'GET /dashboard with a forged session cookie session_token must answer 401 or redirect to sign-in (found 200).',
      'GET /dashboard with an expired session cookie session_token must answer 401 or redirect to sign-in (found 200).',
    ]);
  });

  it('expires max on location / caches the HTML at the edge for ten years', async () => {
    const run = await verify((p) => site(p, { https: `location / { proxy_pass http://127.0.0.1:${backendPort}; proxy_set_header Host $host; proxy_hide_header Cache-Control; expires max; }` }));
    expect(run.fails('http.cdn-caching')).toEqual([
      `${CHUNK} must be served with Cache-Control max-age of at least 31536000 and immutable (found max-age=315360000).`,
      'GET / (HTML) must not be cached at the edge for more than 600 s or as immutable (found Cache-Control: max-age=315360000).',
    ]);
  });
});
