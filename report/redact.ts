import { createHmac, randomBytes } from 'node:crypto';
import { EXTRA_PATTERNS } from './secret-shapes.js';

const MASK = '[REDACTED]';
/**
 * A run of this many characters copied from a registered secret is masked wherever it appears: servers
 * echo parts of a key ("…last 10 characters"), and a long-enough fragment narrows a guess. Shorter runs
 * stay, so key-class prefixes such as `sk_live_` (8) remain readable.
 */
export const FRAGMENT_LENGTH = 10;
const TOKEN_RUN = new RegExp(`[A-Za-z0-9_+-]{${FRAGMENT_LENGTH},}`, 'g');
/** Shapes of secrets that must never be printed even if nobody registered them. */
const PATTERNS: readonly RegExp[] = [
  /\b(sk|rk)_(live|test)_[A-Za-z0-9]{8,}/g,
  /\bwhsec_[A-Za-z0-9+/=]{8,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
];
/** Bounds of the redaction memo: short texts (messages, resources, keys), a run's worth of them. */
const MEMO_MAX_TEXT = 4_096;
const MEMO_MAX_ENTRIES = 20_000;
/** The password part of scheme://user:password@host. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^:/\s@]*:)([^@\s/]+)@/gi;

/** Holds every secret of a run; every reporter, log line and error message passes through `redact`. */
export class Redactor {
  private readonly secrets = new Set<string>();
  private ordered: string[] = [];
  /** Every FRAGMENT_LENGTH-long substring of the token-like runs of every registered form. */
  private readonly fragments = new Set<string>();
  /**
   * Texts already redacted against the current secrets: a result passes through the runner, the progress
   * output and every report, so each message is redacted several times. Emptied whenever a secret is added.
   */
  private readonly memo = new Map<string, string>();

  add(...values: readonly (string | undefined | null)[]): this {
    for (const v of values) {
      // Very short values would mask ordinary words; such "secrets" are caught by the strength checks instead.
      if (v && v.length >= 6 && !this.secrets.has(v)) {
        for (const form of [v, encodeURIComponent(v), Buffer.from(v).toString('base64'), JSON.stringify(v).slice(1, -1)]) {
          this.secrets.add(form);
          // Fragments come from the token-like runs of a value only: a registered connection string must
          // not mask "postgres:/" or a host name wherever they appear.
          for (const [run] of form.matchAll(TOKEN_RUN)) for (let i = 0; i + FRAGMENT_LENGTH <= run.length; i++) this.fragments.add(run.slice(i, i + FRAGMENT_LENGTH));
        }
        this.ordered = [...this.secrets].sort((a, b) => b.length - a.length);
        this.memo.clear();
      }
    }
    return this;
  }

  redact(text: string): string {
    const known = this.memo.get(text);
    if (known !== undefined) return known;
    const out = this.redactNow(text);
    if (text.length <= MEMO_MAX_TEXT) {
      if (this.memo.size >= MEMO_MAX_ENTRIES) this.memo.clear();
      this.memo.set(text, out);
    }
    return out;
  }

  private redactNow(text: string): string {
    let out = text;
    for (const s of this.ordered) out = out.split(s).join(MASK);
    out = this.maskFragments(out);
    for (const p of PATTERNS) out = out.replace(p, MASK);
    // The curated shapes the bundle scan looks for (GitHub, Slack, OpenAI, Anthropic, Google…), registered or not:
    // text quoted from elsewhere (a log line, an error body) may carry a key prodcheck was never given.
    for (const p of EXTRA_PATTERNS) out = out.replace(p.regex, (m: string, ...groups: unknown[]) => (p.group ? m.replace(String(groups[p.group - 1]), MASK) : MASK));
    return out.replace(URL_PASSWORD, `$1${MASK}@`);
  }

  /** Deep-redacts every string (keys included) of a JSON-like value, value by value: never through its serialisation. */
  redactValue<T>(value: T): T {
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.redact(v);
      if (Array.isArray(v)) return v.map(walk);
      if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [this.redact(k), walk(x)]));
      return v;
    };
    return walk(value) as T;
  }

  /** Linear in the text: one set lookup per position; overlapping hits become one mask. */
  private maskFragments(text: string): string {
    if (this.fragments.size === 0 || text.length < FRAGMENT_LENGTH) return text;
    const spans: [number, number][] = [];
    for (let i = 0; i + FRAGMENT_LENGTH <= text.length; i++) {
      if (!this.fragments.has(text.slice(i, i + FRAGMENT_LENGTH))) continue;
      const last = spans[spans.length - 1];
      if (last && i <= last[1]) last[1] = i + FRAGMENT_LENGTH;
      else spans.push([i, i + FRAGMENT_LENGTH]);
    }
    let out = '';
    let from = 0;
    for (const [start, end] of spans) {
      out += text.slice(from, start) + MASK;
      from = end;
    }
    return out + text.slice(from);
  }
}

/**
 * The key of evidence fingerprints. A plain hash of a weak secret is reversed by guessing, so fingerprints
 * are keyed: random per process (a report's fingerprints can be compared within it, never reversed), or the
 * key a drift baseline keeps, so that a drift run's fingerprints compare with the baseline's.
 */
let fingerprintKey = randomBytes(32);

export function newFingerprintKey(): string {
  return randomBytes(32).toString('hex');
}

/** Keys every fingerprint taken from now on in this process (drift: the baseline's key). */
export function useFingerprintKey(hex: string): void {
  fingerprintKey = Buffer.from(hex, 'hex');
}

/** Evidence about a secret without the secret: length, prefix class and a keyed hash prefix. */
export function fingerprint(secret: string): string {
  const prefix = /^(sk_live_|sk_test_|rk_live_|rk_test_|pk_live_|pk_test_|whsec_|AKIA|ghp_|eyJ)/.exec(secret)?.[1];
  const hash = createHmac('sha256', fingerprintKey).update(secret).digest('hex').slice(0, 12);
  return `${prefix ? `${prefix}…` : ''}len ${secret.length}, hmac:${hash}`;
}
