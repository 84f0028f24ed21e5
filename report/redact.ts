import { createHash } from 'node:crypto';

const MASK = '[REDACTED]';
/** Shapes of secrets that must never be printed even if nobody registered them. */
const PATTERNS: readonly RegExp[] = [
  /\b(sk|rk)_(live|test)_[A-Za-z0-9]{8,}/g,
  /\bwhsec_[A-Za-z0-9+/=]{8,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
];
/** The password part of scheme://user:password@host. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^:/\s@]*:)([^@\s/]+)@/gi;

/** Holds every secret of a run; every reporter, log line and error message passes through `redact`. */
export class Redactor {
  private readonly secrets = new Set<string>();
  private ordered: string[] = [];

  add(...values: readonly (string | undefined | null)[]): this {
    for (const v of values) {
      // Very short values would mask ordinary words; such "secrets" are caught by the strength checks instead.
      if (v && v.length >= 6 && !this.secrets.has(v)) {
        this.secrets.add(v);
        for (const form of [encodeURIComponent(v), Buffer.from(v).toString('base64')]) if (form !== v) this.secrets.add(form);
        this.ordered = [...this.secrets].sort((a, b) => b.length - a.length);
      }
    }
    return this;
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.ordered) out = out.split(s).join(MASK);
    for (const p of PATTERNS) out = out.replace(p, MASK);
    return out.replace(URL_PASSWORD, `$1${MASK}@`);
  }

  /** Deep-redacts every string in a JSON-like value. */
  redactValue<T>(value: T): T {
    return JSON.parse(this.redact(JSON.stringify(value))) as T;
  }
}

/** Evidence about a secret without the secret: length, prefix class and a sha256 prefix. */
export function fingerprint(secret: string): string {
  const prefix = /^(sk_live_|sk_test_|rk_live_|rk_test_|pk_live_|pk_test_|whsec_|AKIA|ghp_|eyJ)/.exec(secret)?.[1];
  const hash = createHash('sha256').update(secret).digest('hex').slice(0, 12);
  return `${prefix ? `${prefix}…` : ''}len ${secret.length}, sha256:${hash}`;
}
