import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { AppFault } from './faults.js';

/** The headers a hardened Next.js deployment sends (next.config headers() plus Vercel's HSTS). */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};
const HSTS = 'max-age=63072000; includeSubDomains; preload';
/** CDNs leave small bodies alone; so does the app. */
const COMPRESS_FROM_BYTES = 1024;

export interface Reply {
  readonly status: number;
  readonly body?: string;
  readonly type?: string;
  readonly headers?: Readonly<Record<string, string | string[]>>;
  /** Send the headers and half the body, then never finish: a server stuck mid-response. */
  readonly stall?: boolean;
}

export const json = (status: number, value: unknown, headers?: Reply['headers']): Reply => ({ status, body: JSON.stringify(value), type: 'application/json; charset=utf-8', headers });
export const html = (status: number, body: string, headers?: Reply['headers']): Reply => ({ status, body, type: 'text/html; charset=utf-8', headers });

/** Writes a reply with the app's standing headers, compressed as the client accepts, unless a fault says otherwise. */
export function send(req: IncomingMessage, res: ServerResponse, reply: Reply, faults: ReadonlySet<AppFault>, secure: boolean): void {
  const headers: Record<string, string | string[]> = {};
  if (!faults.has('missing-headers')) Object.assign(headers, SECURITY_HEADERS);
  if (faults.has('no-nosniff')) delete headers['x-content-type-options'];
  if (secure && !faults.has('no-hsts')) headers['strict-transport-security'] = faults.has('short-hsts') ? 'max-age=3600' : HSTS;
  Object.assign(headers, reply.headers);
  let body: Buffer | undefined = reply.body === undefined ? undefined : Buffer.from(reply.body);
  if (body !== undefined) {
    headers['content-type'] = reply.type ?? 'text/plain; charset=utf-8';
    headers.vary = 'Accept-Encoding';
    const accepted = String(req.headers['accept-encoding'] ?? '');
    if (!faults.has('no-compression') && body.length >= COMPRESS_FROM_BYTES) {
      if (/\bbr\b/.test(accepted)) {
        body = brotliCompressSync(body);
        headers['content-encoding'] = 'br';
      } else if (/\bgzip\b/.test(accepted)) {
        body = gzipSync(body);
        headers['content-encoding'] = 'gzip';
      }
    }
    headers['content-length'] = String(body.length);
  }
  res.writeHead(reply.status, headers);
  if (reply.stall) {
    res.write(body?.subarray(0, Math.floor(body.length / 2)) ?? '');
    return;
  }
  res.end(req.method === 'HEAD' ? undefined : body);
}
