/** Pure rules for http.security-headers: each required header judged on its own, from the response's headers. */
import type { HttpSpec } from '../../spec/index.js';
import { hstsMaxAge } from './judge.js';

export type SecurityHeader = HttpSpec['securityHeaders']['required'][number];

export interface HeaderVerdict {
  readonly header: SecurityHeader;
  readonly ok: boolean;
  /** What was found, short: "max-age=3600", "none", "script-src allows 'unsafe-inline'". */
  readonly found: string;
  /** What the rule wants, for the message and `expected`. */
  readonly wants: string;
}

/** The directives of one CSP policy, lower-case names, source lists as written. */
export function cspDirectives(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    // The first occurrence of a directive wins; later duplicates are ignored by browsers.
    if (name && !out.has(name.toLowerCase())) out.set(name.toLowerCase(), sources);
  }
  return out;
}

/** Node joins repeated headers with ", ": each comma-separated part is a policy, and every policy is enforced. */
function cspPolicies(value: string | undefined): Map<string, string[]>[] {
  return (value ?? '').split(',').map((p) => p.trim()).filter(Boolean).map(cspDirectives);
}

/** Why a policy's script sources are unsafe, or undefined when they restrict scripts without unsafe-inline/unsafe-eval. */
export function scriptProblem(policy: Map<string, string[]>): string | undefined {
  const name = policy.has('script-src') ? 'script-src' : policy.has('default-src') ? 'default-src' : undefined;
  if (!name) return 'no script-src or default-src';
  const sources = (policy.get(name) ?? []).map((s) => s.toLowerCase());
  if (sources.includes("'unsafe-eval'")) return `${name} allows 'unsafe-eval'`;
  // With a nonce or hash, CSP Level 2+ browsers ignore 'unsafe-inline' (it is there for older ones).
  const nonceOrHash = sources.some((s) => /^'(nonce-|sha256-|sha384-|sha512-)/.test(s));
  if (sources.includes("'unsafe-inline'") && !nonceOrHash) return `${name} allows 'unsafe-inline'`;
  // 'strict-dynamic' makes CSP3 browsers ignore host and scheme sources (they stay for older ones).
  const any = sources.find((s) => s === '*' || s === 'http:' || s === 'https:' || s === 'data:');
  if (any && !sources.includes("'strict-dynamic'")) return `${name} allows any source (${any})`;
  return undefined;
}

function referrerPolicy(value: string | undefined): string | undefined {
  // Several values may be listed as fallbacks: the last one the browser knows wins.
  const tokens = (value ?? '').split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
  return tokens[tokens.length - 1];
}

/** One verdict per header the spec requires, in the spec's order. */
export function judgeSecurityHeaders(headers: Readonly<Record<string, string>>, http: HttpSpec): HeaderVerdict[] {
  const { required, referrerPolicies } = http.securityHeaders;
  const minHsts = http.hstsMinMaxAgeDays * 86_400;
  const csp = cspPolicies(headers['content-security-policy']);
  return required.map((header): HeaderVerdict => {
    switch (header) {
      case 'strict-transport-security': {
        const v = headers['strict-transport-security'];
        const maxAge = v === undefined ? undefined : hstsMaxAge(v);
        const wants = `Strict-Transport-Security max-age >= ${minHsts}`;
        if (v === undefined) return { header, ok: false, found: 'none', wants };
        return maxAge === undefined ? { header, ok: false, found: `"${v}" without max-age`, wants } : { header, ok: maxAge >= minHsts, found: `max-age=${maxAge}`, wants };
      }
      case 'content-security-policy': {
        const wants = "Content-Security-Policy restricting scripts without 'unsafe-inline' or 'unsafe-eval'";
        if (csp.length === 0) {
          const reportOnly = headers['content-security-policy-report-only'] !== undefined;
          return { header, ok: false, found: reportOnly ? 'only Content-Security-Policy-Report-Only, which enforces nothing' : 'none', wants };
        }
        const problems = csp.map(scriptProblem);
        // Every policy is enforced, so one safe policy is enough to keep unsafe scripts out.
        return problems.some((p) => p === undefined) ? { header, ok: true, found: 'scripts restricted', wants } : { header, ok: false, found: problems.join('; '), wants };
      }
      case 'x-content-type-options': {
        const v = headers['x-content-type-options']?.trim();
        return { header, ok: v?.toLowerCase() === 'nosniff', found: v ?? 'none', wants: 'X-Content-Type-Options: nosniff' };
      }
      case 'frame-ancestors': {
        const wants = "CSP frame-ancestors without * or X-Frame-Options DENY or SAMEORIGIN";
        const ancestors = csp.map((p) => p.get('frame-ancestors')).find((a) => a !== undefined);
        if (ancestors) {
          const open = ancestors.find((s) => s === '*' || s === 'https:' || s === 'http:');
          return open ? { header, ok: false, found: `frame-ancestors ${ancestors.join(' ')}`, wants } : { header, ok: true, found: `frame-ancestors ${ancestors.join(' ') || "'none'"}`, wants };
        }
        const xfo = headers['x-frame-options']?.trim();
        const ok = xfo !== undefined && /^(deny|sameorigin)$/i.test(xfo);
        return { header, ok, found: xfo === undefined ? 'neither CSP frame-ancestors nor X-Frame-Options' : `X-Frame-Options ${xfo}`, wants };
      }
      case 'referrer-policy': {
        const v = referrerPolicy(headers['referrer-policy']);
        return { header, ok: v !== undefined && (referrerPolicies as readonly string[]).includes(v), found: v ?? 'none', wants: `Referrer-Policy ${referrerPolicies.join(', ')}` };
      }
    }
  });
}
