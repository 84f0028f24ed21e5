import * as pulumi from '@pulumi/pulumi';
import { describe, expect, test } from 'vitest';
import { deploy } from '../../infra/program.js';
import { parseStackConfig } from '../../spec/index.js';
import { ADMIN_URLS, stackConfig, STACK_FILES } from './helpers/mock-stack.js';

/** Runs the program's config stage the way the engine would start it, and returns what it throws. */
async function failure(config: Record<string, string>, secretKeys: readonly string[], stack = 'prod'): Promise<Error> {
  await pulumi.runtime.setMocks({ newResource: () => ({ id: undefined, state: {} }), call: () => ({}) }, 'prodcheck', stack);
  pulumi.runtime.setAllConfig(config, [...secretKeys]);
  try {
    deploy();
  } catch (e) {
    return e as Error;
  }
  throw new Error('deploy() accepted the config');
}

describe('config errors', () => {
  test('a schema error reads as the CLI reports it for the same file, without a stack trace', async () => {
    const { config, secretKeys } = stackConfig(STACK_FILES.prod);
    config['prodcheck:postgres'] = JSON.stringify({ ...JSON.parse(config['prodcheck:postgres'] ?? '{}'), backups: { retentionDays: 90 } });
    const e = await failure(config, secretKeys);
    expect(e).toBeInstanceOf(pulumi.RunError);
    const fromFile = (() => {
      try {
        parseStackConfig({ 'prodcheck:app': { name: 'chat', domain: 'chat.example.com' }, 'prodcheck:postgres': JSON.parse(config['prodcheck:postgres'] ?? '{}') as unknown }, 'Pulumi.prod.yaml');
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();
    expect(e.message).toBe(fromFile);
    expect(e.message).toMatch(/^Pulumi\.prod\.yaml: 1 problem:\n {2}- prodcheck:postgres\.backups\.retentionDays: /);
  });

  test('a secret in the prodcheck namespace is refused as the CLI refuses `secure:` in the file', async () => {
    const { config, secretKeys } = stackConfig(STACK_FILES.prod);
    const e = await failure(config, [...secretKeys, 'prodcheck:dns']);
    expect(e.message).toContain('prodcheck:dns: is an encrypted secret, but prodcheck settings describe desired state and hold no secrets');
  });

  test('missing env config, a secret set in plain text and a database the program cannot reach are listed together', async () => {
    const { config, secretKeys } = stackConfig(STACK_FILES.commerce);
    delete config['env:RESEND_API_KEY'];
    const e = await failure(config, secretKeys.filter((k) => k !== 'env:STRIPE_SECRET_KEY'), 'commerce');
    expect(e.message).toBe(
      [
        'Pulumi.commerce.yaml: 3 problems:',
        '  - prodcheck:env.vars.DATABASE_URL.from: is postgres.url, but this program creates no neon database: set `pulumi config set --secret postgres:adminUrl postgres://<owner>:<password>@<host>/<db>` so it can create the app role, or use from: config',
        '  - env:STRIPE_SECRET_KEY: holds a secret in plain text: set it again with `pulumi config set --secret env:STRIPE_SECRET_KEY <value>`',
        '  - env:RESEND_API_KEY: is not set: `pulumi config set --secret env:RESEND_API_KEY <value>`',
      ].join('\n'),
    );
  });

  test('what this program cannot provision is refused before any resource: AOF on ElastiCache, REST tokens off Upstash, an unknown firewall ruleset', async () => {
    const { config, secretKeys } = stackConfig(STACK_FILES.prod);
    const redis = JSON.parse(config['prodcheck:redis'] ?? '{}') as Record<string, unknown>;
    config['prodcheck:redis'] = JSON.stringify({ ...redis, persistence: 'aof' });
    const env = JSON.parse(config['prodcheck:env'] ?? '{}') as { vars: Record<string, unknown> };
    config['prodcheck:env'] = JSON.stringify({ ...env, vars: { ...env.vars, KV_REST_API_TOKEN: { from: 'redis.restToken' } } });
    const vercel = JSON.parse(config['prodcheck:vercel'] ?? '{}') as Record<string, unknown>;
    config['prodcheck:vercel'] = JSON.stringify({ ...vercel, firewall: { managedRulesets: ['owasp', 'geo'] } });
    const e = await failure(config, secretKeys);
    expect(e.message.split('\n').slice(1)).toEqual([
      '  - prodcheck:env.vars.KV_REST_API_TOKEN.from: is redis.restToken, which only an Upstash database has (prodcheck:redis.provider is elasticache)',
      '  - prodcheck:redis.persistence: is aof, but ElastiCache for Redis 7 has no append-only file (appendonly cannot be set): use rdb (daily snapshots, Multi-AZ replicas) or provider: self-hosted',
      '  - prodcheck:vercel.firewall.managedRulesets[1]: is "geo": the Vercel firewall has owasp, bot_protection, ai_bots',
    ]);
  });

  test('an admin URL for a database the program creates itself, or in plain text, is refused', async () => {
    const { config, secretKeys } = stackConfig(STACK_FILES.prod);
    const e = await failure({ ...config, 'postgres:adminUrl': ADMIN_URLS.neon }, secretKeys);
    expect(e.message.split('\n').slice(1)).toEqual([
      '  - postgres:adminUrl: holds a password in plain text: set it again with `pulumi config set --secret postgres:adminUrl ...`',
      '  - postgres:adminUrl: is set, but this stack creates its RDS database and logs in as its master user: remove it',
    ]);
  });
});
