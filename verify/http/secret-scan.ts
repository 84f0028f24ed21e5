/**
 * Scans shipped code for secrets: secretlint's maintained recommended preset (Stripe, AWS, GitHub, OpenAI,
 * Anthropic, Slack, GCP, private keys, npm, SendGrid, basic auth, database connection strings…) plus
 * prodcheck's own shapes (secrets.ts, secret-patterns.ts). Only kinds and positions leave this module with
 * the value, which the caller hands to the redactor and a fingerprint and nowhere else.
 */
import type { lintSource as lintSourceType } from '@secretlint/core';
import { DATABASE_URL } from './secret-patterns.js';
import { findSecrets, lineColumn, type SecretHit } from './secrets.js';

/** secretlint loads only when a run scans a bundle: it is not part of any command's start-up. */
type LintSource = typeof lintSourceType;
type LintConfig = Parameters<LintSource>[0]['options']['config'];
let secretlint: Promise<{ lintSource: LintSource; config: LintConfig }> | undefined;
const loadSecretlint = () =>
  (secretlint ??= Promise.all([import('@secretlint/core'), import('@secretlint/secretlint-rule-preset-recommend')]).then(([core, preset]) => ({
    lintSource: core.lintSource,
    config: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: preset.creator }] },
  })));

/** Test-mode keys move no money and are sloppy rather than dangerous; prodcheck reports live ones. */
const IGNORED_MESSAGE = /_TEST$/;

/** secretlint's rule names, as prodcheck words a kind ("a Stripe secret (secretlint stripe)"). */
function kindOf(ruleId: string): string {
  const rule = ruleId.replace(/^@secretlint\/secretlint-rule-/, '');
  const name: Record<string, string> = {
    aws: 'an AWS secret',
    gcp: 'a GCP service-account key',
    github: 'a GitHub token',
    openai: 'an OpenAI API key',
    anthropic: 'an Anthropic API key',
    slack: 'a Slack token',
    stripe: 'a Stripe secret',
    privatekey: 'a private key',
    'database-connection-string': 'a database URL with a password',
    basicauth: 'a URL with a password',
  };
  return `${name[rule] ?? 'a secret'} (secretlint ${rule})`;
}

/** Every secret in `text`; a value found by several rules is reported once, by the first. */
export async function scanForSecrets(text: string, filePath: string): Promise<SecretHit[]> {
  const { lintSource, config } = await loadSecretlint();
  const result = await lintSource({ source: { content: text, filePath, ext: '.js', contentType: 'text' }, options: { config } });
  const fromSecretlint: (SecretHit & { start: number; end: number })[] = [];
  for (const m of result.messages) {
    if (IGNORED_MESSAGE.test(m.messageId)) continue;
    const [start, end] = m.range;
    fromSecretlint.push({ kind: kindOf(m.ruleId), value: text.slice(start, end), start, end, ...lineColumn(text, start) });
  }
  const own = [...findSecrets(text), ...findSecrets(text, [DATABASE_URL])];
  const hits: SecretHit[] = [];
  const seen: string[] = [];
  // prodcheck's own kinds are worded more precisely; secretlint adds what they do not know.
  for (const h of [...own, ...fromSecretlint.map(({ start: _s, end: _e, ...h }) => h)]) {
    if (seen.some((v) => v.includes(h.value) || h.value.includes(v))) continue;
    seen.push(h.value);
    hits.push(h);
  }
  return hits.sort((a, b) => a.line - b.line || a.column - b.column);
}
