import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadOutputs, loadTargets, urlSecrets } from '../../spec/index.js';

const dir = mkdtempSync(join(tmpdir(), 'prodcheck-targets-'));
const file = join(dir, 'targets.yaml');
writeFileSync(
  file,
  `postgres:
  url: postgres://prodcheck_verifier:\${env:PG_PASSWORD}@\${output:dbEndpoint}:5432/app?sslmode=require
redis:
  upstash:
    url: \${output:kv.restUrl}
    token: \${output:kv.restToken}
stripe:
  apiKey: \${env:STRIPE_READ_KEY}
  baseUrl: http://127.0.0.1:12111
`,
);
const outputs = { dbEndpoint: 'db.internal.example.com', kv: { restUrl: 'https://kv.example.upstash.io', restToken: 'AXkq-token-value' } };

describe('loadTargets', () => {
  it('resolves env and output references and collects every secret it meets', () => {
    const loaded = loadTargets(file, { PG_PASSWORD: 'p@ss/word', STRIPE_READ_KEY: 'rk_live_abc123' }, outputs);
    expect(loaded.targets.postgres?.url).toBe('postgres://prodcheck_verifier:p@ss/word@db.internal.example.com:5432/app?sslmode=require');
    expect(loaded.targets.redis?.upstash).toEqual({ url: 'https://kv.example.upstash.io', token: 'AXkq-token-value' });
    expect(loaded.targets.stripe).toEqual({ apiKey: 'rk_live_abc123', baseUrl: 'http://127.0.0.1:12111', timeoutMs: 10_000 });
    expect(loaded.secrets).toEqual(expect.arrayContaining(['AXkq-token-value', 'rk_live_abc123']));
  });

  it('names every missing env var and output in one error', () => {
    try {
      loadTargets(file, {}, { dbEndpoint: 'db' });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems).toEqual([
        { path: 'postgres.url', message: 'references ${env:PG_PASSWORD}, but the environment variable PG_PASSWORD is not set: export it before running' },
        { path: 'redis.upstash.url', message: 'references ${output:kv.restUrl}, but the outputs file has no output "kv.restUrl": check `pulumi stack output`' },
        { path: 'redis.upstash.token', message: 'references ${output:kv.restToken}, but the outputs file has no output "kv.restToken": check `pulumi stack output`' },
        { path: 'stripe.apiKey', message: 'references ${env:STRIPE_READ_KEY}, but the environment variable STRIPE_READ_KEY is not set: export it before running' },
      ]);
    }
  });

  it('says to pass --outputs when outputs are referenced but none were given', () => {
    expect(() => loadTargets(file, { PG_PASSWORD: 'x', STRIPE_READ_KEY: 'rk_live_x' }, undefined)).toThrow(
      'references ${output:dbEndpoint}, but no outputs were given: pass --outputs FILE from `pulumi stack output --json --show-secrets`',
    );
  });

  it('validates the resolved values', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'stripe:\n  apiKey: pk_live_123\nredis: {}\nmysql: {}\n');
    expect(() => loadTargets(bad, {}, undefined)).toThrow(
      `${bad}: 3 problems:\n` +
        '  - redis: needs url (redis:// or rediss://) or upstash (REST url and token)\n' +
        '  - stripe.apiKey: must be a Stripe secret or restricted key (sk_… or rk_…)\n' +
        "  - mysql: is not a known key (check its spelling and the README's config reference)",
    );
  });

  it('reads an output named with dots, or walks into an object output', () => {
    const dotted = join(dir, 'dotted.yaml');
    writeFileSync(dotted, 'stripe:\n  apiKey: rk_live_abc12345\n  priceIds:\n    STRIPE_PRO_PRICE_ID: ${output:stripe.price.pro}\n    STRIPE_TEAM_PRICE_ID: ${output:prices.team}\n');
    const loaded = loadTargets(dotted, {}, { 'stripe.price.pro': 'price_pro', prices: { team: 'price_team' } });
    expect(loaded.targets.stripe?.priceIds).toEqual({ STRIPE_PRO_PRICE_ID: 'price_pro', STRIPE_TEAM_PRICE_ID: 'price_team' });
  });

  it('finds the password in a connection URL', () => {
    expect(urlSecrets('postgres://u:s3cr%2Ft@h/db')).toEqual(['s3cr%2Ft', 's3cr/t']);
    expect(urlSecrets('https://example.com/a@b')).toEqual([]);
  });

  it('finds a Redis password given as ?password= or as the lone user part, and registers both for redaction', () => {
    expect(urlSecrets('redis://h:6379/0?password=Qu3ry%2BSecret')).toEqual(['Qu3ry+Secret', 'Qu3ry%2BSecret']);
    expect(urlSecrets('rediss://Us3rPartSecret@h:6380')).toEqual(['Us3rPartSecret']);
    // A user part alone is a role name for Postgres, not a credential.
    expect(urlSecrets('postgres://verifier@h/db')).toEqual([]);
    const file = join(dir, 'redis-secrets.yaml');
    writeFileSync(file, 'redis:\n  url: redis://h:6379/0?password=Qu3ry%2BSecret\npostgres:\n  url: postgres://verifier@h/db?sslmode=require&password=PgQu3rySecret\n');
    expect(loadTargets(file, {}, undefined).secrets).toEqual(expect.arrayContaining(['Qu3ry+Secret', 'PgQu3rySecret']));
  });

  it('reads the outputs JSON and reports a broken one', () => {
    const out = join(dir, 'outputs.json');
    writeFileSync(out, JSON.stringify(outputs));
    expect(loadOutputs(out)).toEqual(outputs);
    writeFileSync(out, '[1]');
    expect(() => loadOutputs(out)).toThrow('is not the JSON object that `pulumi stack output --json --show-secrets` prints (not a JSON object)');
  });
});

