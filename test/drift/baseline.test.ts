import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { existingFingerprintKey, makeBaseline, readBaseline, writeBaseline } from '../../drift/baseline.js';
import { diff } from '../../drift/diff.js';
import { observe } from '../../drift/observe.js';
import { ConfigError } from '../../spec/errors.js';
import { Redactor, fingerprint, newFingerprintKey, useFingerprintKey } from '../../report/redact.js';
import type { Result } from '../../report/types.js';

const dir = mkdtempSync(join(tmpdir(), 'prodcheck-drift-baseline-'));
const PASSWORD = 'Sup3r-Secret-Pw-xyz';
const LIVE_KEY = 'sk_live_51HxAbCdEfGhIjKlMnOp';
const HOW = 'Create it with `prodcheck drift --stack prod --baseline b.json --update-baseline`.';

function result(fields: Partial<Result> & Pick<Result, 'control' | 'status' | 'message'>): Result {
  return { title: 't', severity: 'high', durationMs: 3, ...fields };
}

// A secret planted in every string a result carries: the registered password, and a live key nobody registered.
const results: Result[] = [
  result({ control: 'env.database-url', status: 'fail', message: `DATABASE_URL must use TLS (found postgres://app:${PASSWORD}@db:5432/app).`, expected: 'sslmode=require', actual: `postgres://app:${PASSWORD}@db:5432/app`, resource: `db ${PASSWORD}` }),
  result({ control: 'env.stripe-secret-key', status: 'pass', message: `STRIPE_SECRET_KEY is live (${LIVE_KEY}).`, expected: LIVE_KEY, actual: LIVE_KEY }),
  result({ control: 'redis.latency', status: 'pass', message: 'Redis p95 latency is 0.4 ms over 20 PINGs (limit 50 ms).', expected: 'p95 at most 50 ms', actual: 'p95 0.4 ms over 20 PINGs' }),
  result({ control: 'pg.indexes', status: 'pass', message: 'Index A.', expected: 'index', actual: 'a_idx', resource: 'A(x)' }),
  result({ control: 'pg.indexes', status: 'pass', message: 'Index A again.', expected: 'index', actual: 'a2_idx', resource: 'A(x)' }),
];

describe('the drift baseline file', () => {
  const redactor = new Redactor().add(PASSWORD);
  const observations = observe(results, 'vercel', redactor);
  const file = join(dir, 'baseline.json');
  writeBaseline(file, makeBaseline('prod', new Date('2025-06-01T02:00:00Z'), observations), redactor);
  const text = readFileSync(file, 'utf8');

  it('holds no secret in any form: not in the text, not base64- or URL-encoded', () => {
    for (const secret of [PASSWORD, LIVE_KEY, Buffer.from(PASSWORD).toString('base64'), encodeURIComponent(PASSWORD)]) expect(text).not.toContain(secret);
    expect(text).toContain('postgres://app:[REDACTED]@db:5432/app');
    expect(text).toContain('"observed": "[REDACTED]"');
  });

  it('round-trips: what is read back is what was written, entries sorted by target and key', () => {
    const back = readBaseline(file, HOW);
    expect(back).toEqual({ format: 'prodcheck-drift-baseline', version: 1, stack: 'prod', createdAt: '2025-06-01T02:00:00.000Z', entries: back.entries });
    expect(back.entries.map((e) => e.key)).toEqual(['env.database-url [db [REDACTED]]', 'env.stripe-secret-key', 'pg.indexes [A(x)]', 'pg.indexes [A(x)] #2', 'redis.latency']);
    expect(back.entries).toEqual([...observations].sort((a, b) => (a.key < b.key ? -1 : 1)));
  });

  it('keeps no value for a measurement, and a fingerprint over status, expected and observed', () => {
    const back = readBaseline(file, HOW);
    const latency = back.entries.find((e) => e.key === 'redis.latency');
    expect(latency?.observed).toBeUndefined();
    expect(latency?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(back.entries.find((e) => e.key === 'pg.indexes [A(x)] #2')?.observed).toBe('a2_idx');
  });

  const broken = (name: string, content: string) => {
    const f = join(dir, name);
    writeFileSync(f, content);
    try {
      readBaseline(f, HOW);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as ConfigError).message.replace(`${f}: `, '');
    }
    throw new Error(`${name} was accepted`);
  };

  it('rejects a hand edit that changes a compared value without its fingerprint', () => {
    expect(broken('edited.json', text.replace('"observed": "a2_idx"', '"observed": "b_idx"'))).toBe(
      `1 problem:\n  - entries[3]: the fingerprint of "pg.indexes [A(x)] #2" does not match its status, expected and observed values (edited by hand?). ${HOW}`,
    );
  });

  it('rejects other JSON, a wrong version and unknown keys, each naming where', () => {
    expect(broken('report.json', '{"version": 1, "results": []}')).toBe(`1 problem:\n  - format: is not a prodcheck drift baseline (no "format": "prodcheck-drift-baseline"). ${HOW}`);
    const doc = JSON.parse(text) as Record<string, unknown>;
    expect(broken('v2.json', JSON.stringify({ ...doc, version: 2 }))).toBe(`1 problem:\n  - version: is 2, and this prodcheck reads baseline version 1. ${HOW}`);
    expect(broken('extra.json', JSON.stringify({ ...doc, owner: 'me' }))).toBe(`1 problem:\n  - owner: is not a known key (check its spelling and the README's config reference). ${HOW}`);
    expect(broken('empty.json', '')).toMatch(/^1 problem:\n {2}- is not JSON \(Unexpected end of JSON input\)\. Create it with/);
  });
});

describe('secret fingerprints in a baseline', () => {
  const weak = 'password1';
  const evidence = () => [result({ control: 'env.secret-strength', status: 'fail', message: `AUTH_SECRET is weak (${fingerprint(weak)}).`, actual: fingerprint(weak) })];

  it('are keyed by the baseline\'s own key: not the plain hash a guess reverses, and a later run under that key compares equal', () => {
    const key = newFingerprintKey();
    useFingerprintKey(key);
    const file = join(dir, 'keyed.json');
    writeBaseline(file, makeBaseline('prod', new Date('2025-06-01T02:00:00Z'), observe(evidence(), 'vercel', new Redactor()), key), new Redactor());
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(createHash('sha256').update(weak).digest('hex').slice(0, 12));
    const baseline = readBaseline(file, HOW);
    expect(baseline.fingerprintKey).toBe(key);
    expect(existingFingerprintKey(file)).toBe(key);
    // Another process (another key) re-keys with the baseline's before observing.
    useFingerprintKey(newFingerprintKey());
    expect(diff(baseline.entries, observe(evidence(), 'vercel', new Redactor())).map((d) => d.kind)).toEqual(['changed']);
    useFingerprintKey(key);
    expect(diff(baseline.entries, observe(evidence(), 'vercel', new Redactor())).map((d) => d.kind)).toEqual(['still-failing']);
  });
});
