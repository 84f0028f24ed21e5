import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Redactor, fingerprint, newFingerprintKey, useFingerprintKey } from '../../report/redact.js';
import { TimeoutError, describeError, withRetry, withTimeout } from '../../verify/net.js';

describe('Redactor', () => {
  it('masks registered secrets and their URL-encoded and base64 forms, longest first', () => {
    const r = new Redactor().add('p@ss/word!', 'short', undefined);
    expect(r.redact('a p@ss/word! b p%40ss%2Fword! c cEBzcy93b3JkIQ== d short')).toBe('a [REDACTED] b [REDACTED] c [REDACTED] d short');
  });

  it('masks secret shapes nobody registered: Stripe keys, webhook secrets, AWS keys, URL passwords', () => {
    const r = new Redactor();
    expect(r.redact('sk_live_51Habcdefgh rk_test_abcdefgh123 whsec_abcdefgh12 AKIAABCDEFGHIJKLMNOP postgres://app:s3cret@db:5432/x')).toBe(
      '[REDACTED] [REDACTED] [REDACTED] [REDACTED] postgres://app:[REDACTED]@db:5432/x',
    );
  });

  it('masks the curated key shapes too (GitHub, Slack, OpenAI), as quoted from a log line nobody registered', () => {
    const gh = `ghp_${'A1b2C3d4E5'.repeat(4)}`;
    const slack = 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp';
    const openai = `sk-proj-${'a'.repeat(24)}T3BlbkFJ${'b'.repeat(24)}`;
    const out = new Redactor().redact(`auth with ${gh} then ${slack} and ${openai}`);
    for (const secret of [gh, slack, openai]) expect(out).not.toContain(secret);
    expect(out).toBe('auth with [REDACTED] then [REDACTED] and [REDACTED]');
  });

  it('masks a secret registered after a text was first redacted, the next time that text passes', () => {
    const r = new Redactor();
    const line = 'connect with token tok_9f8e7d6c5b4a3921';
    expect(r.redact(line)).toBe(line);
    r.add('tok_9f8e7d6c5b4a3921');
    expect(r.redact(line)).toBe('connect with token [REDACTED]');
    expect(r.redact(line)).toBe('connect with token [REDACTED]');
  });

  it('redacts deep values', () => {
    const r = new Redactor().add('tok-123456');
    expect(r.redactValue({ a: ['tok-123456'], b: { c: 'x tok-123456' } })).toEqual({ a: ['[REDACTED]'], b: { c: 'x [REDACTED]' } });
  });

  // Every printable ASCII special character: JSON (`"`, `\\`), URL (`%`, `@`, `/`), regex and shell metacharacters.
  const SPECIAL = ` !"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~`;

  it('redacts on values, not on their JSON text: secrets with every special character never survive', () => {
    for (const ch of SPECIAL) {
      const secret = `ab${ch}cd${ch}ef${ch}`;
      const r = new Redactor().add(secret);
      const echoed = { message: `server said: ${secret}!`, nested: [{ [secret]: secret }] };
      const out = r.redactValue(echoed);
      expect(JSON.stringify(out), JSON.stringify(ch)).not.toContain(secret);
      expect(out).toEqual({ message: 'server said: [REDACTED]!', nested: [{ '[REDACTED]': '[REDACTED]' }] });
      // The same secret quoted inside a JSON body a server echoes back.
      expect(r.redact(`{"detail":${JSON.stringify(secret)}}`), JSON.stringify(ch)).toBe('{"detail":"[REDACTED]"}');
    }
  });

  it('masks any run of 10 or more characters of a registered secret, but keeps key-class prefixes readable', () => {
    const key = 'upstash-token-AbCdEfGhIjKlMnOpQrStUv';
    const r = new Redactor().add(key);
    expect(r.redact(`401: token ending ${key.slice(-10)} is invalid`)).toBe('401: token ending [REDACTED] is invalid');
    expect(r.redact(`prefix ${key.slice(3, 20)} and tail ${key.slice(-12)}`)).toBe('prefix [REDACTED] and tail [REDACTED]');
    expect(r.redact(`nine ${key.slice(-9)}`)).toBe(`nine ${key.slice(-9)}`);
    // A registered connection string masks its own token-like runs, not its scheme, host or options.
    const url = new Redactor().add('postgres://app:Pw-0123456789abcdef@db.internal:5432/app?sslmode=require');
    expect(url.redact('a postgres:// URL at db.internal with sslmode=require; pw ends 456789abcdef')).toBe('a postgres:// URL at db.internal with sslmode=require; pw ends [REDACTED]');
    const stripe = new Redactor().add('sk_live_51HabcdefghijklmnopQRST');
    expect(stripe.redact(`found sk_live_…len 31 and ************QRST`)).toBe('found sk_live_…len 31 and ************QRST');
  });

  it('fingerprints with a key: the same secret under another key gives another fingerprint, the same key the same one', () => {
    const key = newFingerprintKey();
    useFingerprintKey(key);
    const a = fingerprint('password1');
    useFingerprintKey(newFingerprintKey());
    expect(fingerprint('password1')).not.toBe(a);
    useFingerprintKey(key);
    expect(fingerprint('password1')).toBe(a);
    // Not the plain sha256 a dictionary of common passwords reverses.
    expect(a).not.toContain(createHash('sha256').update('password1').digest('hex').slice(0, 12));
  });

  it('fingerprints a secret without revealing it', () => {
    const f = fingerprint('sk_live_51HabcdefghijklmnopQRST');
    expect(f).toMatch(/^sk_live_…len 31, hmac:[0-9a-f]{12}$/);
    expect(f).not.toContain('51Habc');
  });
});

describe('net', () => {
  it('times out a call and aborts its signal', async () => {
    let aborted = false;
    await expect(
      withTimeout('stripe GET /v1/account', 50, (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => ((aborted = true), reject(new Error('aborted')))))),
    ).rejects.toThrow(new TimeoutError('stripe GET /v1/account', 50));
    expect(aborted).toBe(true);
  });

  it('retries transient errors only, with a bounded count', async () => {
    let n = 0;
    const transient = Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    await expect(withRetry({ retries: 2, backoffMs: 1, isTransient: () => true }, async () => ++n > 2 ? 'ok' : Promise.reject(transient))).resolves.toBe('ok');
    n = 0;
    await expect(withRetry({ retries: 5, backoffMs: 1, isTransient: (e) => (e as { code?: string }).code === 'ECONNRESET' }, async () => (n++, Promise.reject(new Error('401 bad key'))))).rejects.toThrow('401 bad key');
    expect(n).toBe(1);
  });

  it('describes errors in one line with their code', () => {
    expect(describeError(Object.assign(new Error('connect failed\n    at x'), { code: 'ECONNREFUSED' }))).toBe('connect failed (ECONNREFUSED)');
    expect(describeError(new AggregateError([new Error('inner')], 'outer'))).toBe('inner');
  });
});
