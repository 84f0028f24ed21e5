/**
 * Secret shapes that secretlint's recommended preset (13.x) does not catch or that prodcheck words more
 * precisely. Shapes follow gitleaks' default rules (github.com/gitleaks/gitleaks, config/gitleaks.toml, MIT)
 * and the vendors' documented key formats; review them when a vendor changes its key format.
 *
 * Not flagged on purpose: Google browser API keys (AIza…) and Stripe/Supabase publishable or anon keys
 * are public by design and belong in client code.
 */
export interface SecretPattern {
  readonly kind: string;
  readonly regex: RegExp;
  /** The capture group holding the secret; 0 for the whole match. */
  readonly group?: number;
  /** Keeps a match only when its value really is a secret (e.g. a JWT whose role is service_role). */
  readonly accept?: (value: string) => boolean;
}

export const EXTRA_PATTERNS: readonly SecretPattern[] = [
  { kind: 'an OpenAI API key', regex: /\bsk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}/g },
  { kind: 'an Anthropic API key', regex: /\bsk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{80,}AA\b/g },
  { kind: 'a GitHub token', regex: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b/g },
  { kind: 'a Slack token', regex: /\bxox[abposr]-(?:\d+-)+[A-Za-z0-9-]{10,}/g },
  { kind: 'a Slack webhook URL', regex: /https:\/\/hooks\.slack\.com\/(?:services|workflows)\/[A-Za-z0-9+/]{20,}/g },
  { kind: 'a Google OAuth client secret', regex: /\bGOCSPX-[A-Za-z0-9_-]{28}\b/g },
  { kind: 'a Google service-account key', regex: /"private_key_id"\s*:\s*"([0-9a-f]{40})"/g, group: 1 },
  { kind: 'a private key', regex: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY(?: BLOCK)?-----[\s\S]{0,8192}?-----END (?:[A-Z]+ )?PRIVATE KEY(?: BLOCK)?-----/g },
];

/** Only in shipped code: a connection string with a password (error bodies report these as a leak of their own). */
export const DATABASE_URL: SecretPattern = {
  kind: 'a database URL with a password',
  regex: /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver):\/\/[^\s:@/"'`]+:([^\s@/"'`$<>{}]{3,})@[^\s"'`]+/gi,
  group: 1,
  accept: (password) => !/^(?:password|passwd|pass|secret|changeme|xxx+|\*+|\.\.\.)$/i.test(password),
};
