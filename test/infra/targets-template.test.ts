import { beforeAll, expect, test } from 'vitest';
import { loadTargets } from '../../spec/index.js';
import type { StackRun } from './helpers/mock-stack.js';
import { runStackFile, stubProviderSerialization } from './helpers/mock-stack.js';

let prod: StackRun;
beforeAll(async () => {
  stubProviderSerialization();
  prod = await runStackFile('prod');
});

// `pulumi stack output --json --show-secrets > outputs.json` then `prodcheck verify --outputs outputs.json`.
test('the prod stack outputs resolve every ${output:...} of targets.example.yaml', () => {
  const env = { STRIPE_READ_KEY: 'rk_live_read', VERCEL_TOKEN: 'vercel-token', GITHUB_TOKEN: 'github-token', SENTRY_AUTH_TOKEN: 'sentry-token', CHECKLY_ACCOUNT_ID: 'acc-1', CHECKLY_API_KEY: 'cu_checkly-key', RESEND_API_KEY: 're_full_access', FREE_TIER_TEST_KEY: 'free-key', PRO_TIER_TEST_KEY: 'pro-key', DD_API_KEY: 'dd-api-key', DD_APP_KEY: 'dd-application-key' };
  const { targets, secrets } = loadTargets('targets.example.yaml', env, JSON.parse(JSON.stringify(prod.outputs)) as Record<string, unknown>);
  expect(targets.postgres?.url).toBe(prod.outputs.postgresVerifierUrl);
  expect(targets.postgres?.poolerUrl).toMatch(/^postgresql:\/\/app:.*@chat-prod-proxy\.proxy-c0ffee\.us-east-1\.rds\.amazonaws\.com:5432\/chat\?sslmode=require$/);
  expect(targets.redis?.url).toMatch(/^rediss:\/\//);
  expect(targets.http?.webhookSecret).toMatch(/^whsec_/);
  expect(targets.stripe?.priceIds).toEqual({ STRIPE_PRO_PRICE_ID: 'price_pro', STRIPE_PREMIUM_PRICE_ID: 'price_premium' });
  expect(targets.vercel).toMatchObject({ projectId: 'prj_chat-app-project', teamId: 'team_0123456789', expect: { databaseHost: 'chat-prod-proxy.proxy-c0ffee.us-east-1.rds.amazonaws.com', redisHost: 'master.chat-cache-redis.c0ffee.use1.cache.amazonaws.com' } });
  expect(targets.aws).toMatchObject({ rdsInstanceId: 'chat-prod-postgres', replicationGroupId: 'chat-cache-redis-rg' });
  expect(targets.github).toMatchObject({ token: 'github-token', timeoutMs: 10_000 });
  expect(secrets).toContain('github-token');
  expect(targets.sentry).toMatchObject({ token: 'sentry-token' });
  expect(secrets).toContain('sentry-token');
  expect(targets.checkly).toMatchObject({ accountId: 'acc-1', apiKey: 'cu_checkly-key', timeoutMs: 10_000 });
  expect(secrets).toContain('cu_checkly-key');
  expect(targets.resend).toMatchObject({ apiKey: 're_full_access', timeoutMs: 10_000 });
  expect(secrets).toContain('re_full_access');
  expect(targets.datadog).toMatchObject({ apiKey: 'dd-api-key', applicationKey: 'dd-application-key', timeoutMs: 10_000 });
  expect(secrets).toEqual(expect.arrayContaining(['dd-api-key', 'dd-application-key']));
  // The passwords in the URLs are registered with the redactor.
  for (const secret of [prod.outputs.postgresVerifierUrl, prod.outputs.redisUrl]) {
    const password = decodeURIComponent(new URL(String(secret)).password);
    expect(secrets).toContain(password);
  }
});
