import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import type { Probe } from '../types.js';
import type { CertificateInfo } from './certificate.js';
import type { ResponseInfo } from './snapshot.js';

/** Pure helpers for the http checks: reading headers, health bodies and certificate names. */

export const DAY_MS = 86_400_000;
/** A year: what Next.js and Vercel send for hashed static assets. */
export const IMMUTABLE_MAX_AGE = 31_536_000;
/** Bodies smaller than this are not worth compressing (CDNs skip them too). */
export const COMPRESSION_MIN_BYTES = 1024;

export const cannot = (what: string, why: string) => ({ status: 'error' as const, message: `Could not ${what}: ${why}.` });

export function contentType(r: ResponseInfo): string {
  return (r.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
}

export const isRedirect = (status: number) => status === 301 || status === 308;

/** "308 to https://example.com/" or "200": what a redirect probe found. */
export function redirectFound(r: ResponseInfo): string {
  return r.headers.location ? `${r.status} to ${r.headers.location}` : String(r.status);
}

/** The Location as an absolute URL, or undefined when missing or unparseable. */
export function locationOf(r: ResponseInfo, requested: string): URL | undefined {
  const loc = r.headers.location;
  return loc && URL.canParse(loc, requested) ? new URL(loc, requested) : undefined;
}

/** Cache-Control directives, lower-case, with their values ("" for flags). */
export function cacheDirectives(value: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of value.split(',')) {
    const [name, ...rest] = part.trim().split('=');
    if (name) out.set(name.toLowerCase(), rest.join('=').replace(/^"|"$/g, ''));
  }
  return out;
}

/** max-age of a Strict-Transport-Security value, or undefined when absent or malformed. */
export function hstsMaxAge(value: string): number | undefined {
  const m = /(?:^|;)\s*max-age\s*=\s*"?(\d+)"?\s*(?:;|$)/i.exec(value);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

const HEALTHY = new Set(['healthy', 'ok', 'up', 'pass', 'passed', 'operational', 'available', 'connected', 'true']);

/** A health value reads healthy: "healthy", "ok", "up", "pass", true, or an object whose status says so. */
export function isHealthy(value: unknown): boolean {
  if (value === true) return true;
  if (typeof value === 'string') return HEALTHY.has(value.trim().toLowerCase());
  if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    for (const key of ['status', 'state', 'healthy', 'ok']) if (key in o) return isHealthy(o[key]);
  }
  return false;
}

/** A service's entry in a health body: under services, checks, dependencies or at the top level. */
export function serviceValue(json: unknown, name: string): unknown {
  if (typeof json !== 'object' || json === null) return undefined;
  const o = json as Record<string, unknown>;
  for (const group of ['services', 'checks', 'dependencies', 'components']) {
    const g = o[group];
    if (typeof g === 'object' && g !== null && name in g) return (g as Record<string, unknown>)[name];
  }
  return o[name];
}

/** How a health value is shown in a message: "down", true, {"status":"down"}. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** Days from `at` to the certificate's notAfter, rounded down (negative when expired). */
export function daysLeft(cert: CertificateInfo, at: string): number {
  return Math.floor((Date.parse(cert.validTo) - Date.parse(at)) / DAY_MS);
}

/** Whether the certificate's names cover `host`, by Node's own RFC 6125 matching (wildcards included). */
export function coversHost(cert: CertificateInfo, host: string): boolean {
  const peer = { subject: cert.subjectCN ? { CN: cert.subjectCN } : {}, subjectaltname: cert.subjectAltName } as unknown as PeerCertificate;
  return checkServerIdentity(host, peer) === undefined;
}

/** "20 × 200, 1 × 503". */
export function statusSummary(statuses: readonly number[]): string {
  const counts = new Map<number, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n} × ${s}`).join(', ') || 'no answers';
}

/** "a", "a and b", "a, b and c". */
export function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A probe's value, or the error finding that replaces its judgement. */
export function unwrap<T>(p: Probe<T>, what: string): { ok: true; value: T } | { ok: false; finding: ReturnType<typeof cannot> } {
  return p.ok ? p : { ok: false, finding: cannot(what, p.error) };
}
