import { describe, expect, it } from 'vitest';
import { stackSpecSchema } from '../../../spec/index.js';
import { recordFqdn } from '../../../verify/resend/index.js';

const parse = (email: unknown, vars: Record<string, unknown> = {}) => stackSpecSchema.safeParse({ app: { name: 'shop', domain: 'shop.example.com' }, env: { vars }, email });
const problems = (r: ReturnType<typeof parse>) => (r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));

describe('prodcheck:email', () => {
  it('takes a domain, a From address or a From var, and defaults the rest', () => {
    const r = parse({ from: 'noreply@Mail.Example.com' });
    expect(r.success && r.data.email).toEqual({ provider: 'resend', from: 'noreply@Mail.Example.com', fromVar: 'RESEND_FROM_EMAIL' });
    expect(parse({}, { RESEND_FROM_EMAIL: { from: 'config' } }).success).toBe(true);
  });

  it('names each error with its path', () => {
    expect(problems(parse({}))).toEqual(['email: needs domain or from, or an env var RESEND_FROM_EMAIL in prodcheck:env.vars to read the From address from']);
    expect(problems(parse({ domain: 'mail.example.com', from: 'noreply@example.com' }))).toEqual(['email.from: is not an address on the sending domain mail.example.com']);
    expect(problems(parse({ domain: 'https://example.com', provider: 'postmark' }))).toEqual([
      'email.provider: Invalid input: expected "resend"',
      'email.domain: must be a bare host name such as example.com (no scheme, no path)',
    ]);
    expect(problems(parse({ from: 'not an address', fromVar: 'from' }))).toEqual([
      'email.from: must be an email address such as noreply@example.com',
      'email.fromVar: must be an env var name in UPPER_SNAKE_CASE',
    ]);
    expect(problems(parse({ domain: 'example.com' }, { RESEND_FROM_EMAIL: { from: 'email.from' } }))).toEqual(['env.vars.RESEND_FROM_EMAIL.from: is "email.from" but prodcheck:email.from names no From address']);
  });
});

describe('recordFqdn', () => {
  it("completes Resend's zone-relative names", () => {
    expect(recordFqdn('send', 'example.com')).toBe('send.example.com');
    expect(recordFqdn('send.mail', 'mail.example.com')).toBe('send.mail.example.com');
    expect(recordFqdn('resend._domainkey.a.b', 'a.b.example.co')).toBe('resend._domainkey.a.b.example.co');
    expect(recordFqdn('resend._domainkey', 'mail.example.com')).toBe('resend._domainkey.mail.example.com');
    expect(recordFqdn('send.mail.example.com.', 'mail.example.com')).toBe('send.mail.example.com');
  });
});
