import { EXTRA_PATTERNS, type SecretPattern } from './secret-patterns.js';

/** A secret found in text: what it is and where. The value goes to the redactor and a fingerprint, nowhere else. */
export interface SecretHit {
  readonly kind: string;
  readonly value: string;
  /** 1-based line and column of the match. */
  readonly line: number;
  readonly column: number;
}

type Pattern = SecretPattern;

/** Only live keys: test keys in a bundle are sloppy but move no money (redact.ts still masks them). */
const PATTERNS: readonly Pattern[] = [
  { kind: 'a Stripe live secret key', regex: /\bsk_live_[0-9A-Za-z]{10,}/g },
  { kind: 'a Stripe live restricted key', regex: /\brk_live_[0-9A-Za-z]{10,}/g },
  { kind: 'a Stripe webhook signing secret', regex: /\bwhsec_[0-9A-Za-z+/=]{16,}/g },
  { kind: 'an AWS access key id', regex: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  // A bare 40-character string is not evidence by itself: only when the code names it.
  { kind: 'an AWS secret access key', regex: /aws_?secret_?access_?key["'`]?\s*[:=]\s*["'`]([A-Za-z0-9/+=]{40})["'`]/gi, group: 1 },
  // Supabase's anon key is public by design; the service_role key bypasses row-level security.
  { kind: 'a Supabase service-role JWT', regex: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, accept: isServiceRoleJwt },
  ...EXTRA_PATTERNS,
];

export function findSecrets(text: string, patterns: readonly Pattern[] = PATTERNS): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const p of patterns) {
    for (const m of text.matchAll(p.regex)) {
      const value = m[p.group ?? 0];
      if (value === undefined || (p.accept && !p.accept(value))) continue;
      const at = (m.index ?? 0) + m[0].indexOf(value);
      hits.push({ kind: p.kind, value, ...lineColumn(text, at) });
    }
  }
  return hits;
}

export function isServiceRoleJwt(token: string): boolean {
  const payload = token.split('.')[1];
  if (payload === undefined) return false;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    return typeof claims === 'object' && claims !== null && (claims as { role?: unknown }).role === 'service_role';
  } catch {
    return false;
  }
}

/** 1-based line and column of offset `at`. */
export function lineColumn(text: string, at: number): { line: number; column: number } {
  const before = text.slice(0, at);
  return { line: before.split('\n').length, column: at - before.lastIndexOf('\n') };
}
