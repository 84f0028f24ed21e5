import { appUrl } from '../../spec/index.js';
import type { Finding } from '../types.js';
import type { VercelEnvVar } from './collect.js';
import { ADMIN_EMAILS_KEY, appUrlKeys, BCRYPT_ROUNDS_KEY, PRODUCTION_MODE_KEYS } from './env-keys.js';
import { entryFor, envCheck, equalsText, relevantKeys, shown, skip, unreadable } from './env-lookup.js';

type Readable = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'secret'; readonly length: number; readonly sha256: string; readonly fingerprint: string };

/**
 * The production value of `key`, or the finding that ends the judgement: unset (a failure when the
 * stack declares the key) or unreadable (could not check).
 */
function productionValue(envs: readonly VercelEnvVar[], key: string, wanted: string): { value: Readable } | { finding: Finding } {
  const entry = entryFor(envs, key);
  if (!entry) return { finding: { status: 'fail', resource: key, message: `${key} must be ${wanted} on the production target (found it unset).`, expected: wanted, actual: 'unset' } };
  const cannot = unreadable(key, entry.value);
  if (cannot) return { finding: cannot };
  const value = entry.value as Readable;
  return { value };
}

export const envProductionMode = envCheck('env.production-mode', (envs, spec) => {
  if (spec.app.environment !== 'production') return skip(`The stack is a ${spec.app.environment} stack: production mode is judged on production stacks only.`);
  const keys = relevantKeys(PRODUCTION_MODE_KEYS, spec, envs);
  if (keys.length === 0) return skip('Neither NODE_ENV nor BILLING_MODE is declared by the stack or set for production.');
  return keys.map((key): Finding => {
    const read = productionValue(envs, key, 'production');
    if ('finding' in read) return read.finding;
    return equalsText(read.value, 'production')
      ? { status: 'pass', resource: key, message: `${key} is production on the production target.`, expected: 'production', actual: 'production' }
      : { status: 'fail', resource: key, message: `${key} must be production on the production target (found ${shown(read.value)}).`, expected: 'production', actual: shown(read.value) };
  });
});

export const envAppUrl = envCheck('env.app-url', (envs, spec) => {
  const expected = appUrl(spec.app).replace(/\/+$/, '');
  const keys = relevantKeys(appUrlKeys(spec), spec, envs);
  if (keys.length === 0) return skip('No app URL env var (NEXT_PUBLIC_APP_URL, NEXTAUTH_URL, AUTH_URL, APP_URL or one with from: app.url) is declared or set for production.');
  return keys.map((key): Finding => {
    const read = productionValue(envs, key, expected);
    if ('finding' in read) return read.finding;
    const v = read.value;
    const same = v.kind === 'text' ? v.text.replace(/\/+$/, '') === expected : equalsText(v, expected) || equalsText(v, `${expected}/`);
    return same
      ? { status: 'pass', resource: key, message: `${key} is ${expected} on the production target.`, expected, actual: expected }
      : { status: 'fail', resource: key, message: `${key} must be ${expected} on the production target (found ${shown(v)}).`, expected, actual: shown(v) };
  });
});

const emailsIn = (text: string): string[] => [...new Set(text.split(/[\s,;]+/).filter(Boolean).map((e) => e.toLowerCase()))].sort();

export const envAdminEmails = envCheck('env.admin-emails', (envs, spec) => {
  const want = emailsIn(spec.env.adminEmails.join(','));
  if (want.length === 0) return skip('The stack lists no admin emails (prodcheck:env.adminEmails).');
  const key = ADMIN_EMAILS_KEY;
  const expected = want.join(', ');
  const read = productionValue(envs, key, `the list ${expected}`);
  if ('finding' in read) return [read.finding];
  if (read.value.kind === 'secret') {
    return [{ status: 'error', resource: key, message: `Could not compare ${key}: the stack marks it secret, so its addresses are not read back.` }];
  }
  const found = emailsIn(read.value.text);
  const missing = want.filter((e) => !found.includes(e));
  const extra = found.filter((e) => !want.includes(e));
  if (missing.length === 0 && extra.length === 0) return [{ status: 'pass', resource: key, message: `${key} lists exactly ${expected}.`, expected, actual: expected }];
  const diff = [missing.length > 0 ? `missing ${missing.join(', ')}` : '', extra.length > 0 ? `extra ${extra.join(', ')}` : ''].filter(Boolean).join('; ');
  return [{ status: 'fail', resource: key, message: `${key} must list exactly ${expected} (${diff}).`, expected, actual: found.join(', ') || 'an empty list' }];
});

const BCRYPT_MIN = 10;
const BCRYPT_MAX = 12;

export const envBcryptRounds = envCheck('env.bcrypt-rounds', (envs, spec) => {
  const key = BCRYPT_ROUNDS_KEY;
  const pinned = spec.env.bcryptRounds;
  if (pinned === undefined && !(key in spec.env.vars) && !entryFor(envs, key)) return skip(`${key} is neither declared by the stack (prodcheck:env.bcryptRounds) nor set for production.`);
  const expected = pinned !== undefined ? String(pinned) : `between ${BCRYPT_MIN} and ${BCRYPT_MAX}`;
  const read = productionValue(envs, key, expected);
  if ('finding' in read) return [read.finding];
  const text = read.value.kind === 'text' ? read.value.text.trim() : undefined;
  if (text === undefined) return [{ status: 'error', resource: key, message: `Could not compare ${key}: the stack marks it secret, so its value is not read back.` }];
  const rounds = /^\d+$/.test(text) ? Number(text) : undefined;
  const ok = rounds !== undefined && (pinned !== undefined ? rounds === pinned : rounds >= BCRYPT_MIN && rounds <= BCRYPT_MAX);
  const actual = rounds !== undefined ? String(rounds) : `"${text}"`;
  return ok
    ? [{ status: 'pass', resource: key, message: `${key} is ${rounds} on the production target${pinned === undefined ? `, within ${BCRYPT_MIN}-${BCRYPT_MAX}` : ''}.`, expected, actual }]
    : [{ status: 'fail', resource: key, message: `${key} must be ${expected} on the production target (found ${actual}).`, expected, actual }];
});
