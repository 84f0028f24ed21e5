import { beforeAll, describe, expect, test } from 'vitest';
import { isSecretVar } from '../../spec/index.js';
import { activeVars } from '../../spec/index.js';
import type { StackName, StackRun, Wire } from './helpers/mock-stack.js';
import { ADMIN_URLS, envVars, isSecretWire, plain, resource, runStackFile, SECRET_MARK, stackConfig, STACK_FILES, stubProviderSerialization } from './helpers/mock-stack.js';

const EXTRA: Partial<Record<StackName, [Record<string, string>, string[]]>> = {
  commerce: [{ 'postgres:adminUrl': ADMIN_URLS.neon }, ['postgres:adminUrl']],
  'llm-gateway': [{ 'postgres:adminUrl': ADMIN_URLS.supabase }, ['postgres:adminUrl']],
};
const NAMES = Object.keys(STACK_FILES) as StackName[];
const runs = new Map<StackName, StackRun>();
const run = (name: StackName): StackRun => runs.get(name) ?? (() => { throw new Error(`${name} did not run`); })();

beforeAll(async () => {
  stubProviderSerialization();
  for (const name of NAMES) {
    const [extra, secrets] = EXTRA[name] ?? [{}, []];
    runs.set(name, await runStackFile(name, extra, secrets));
  }
});

/** Every plain (not secret-wrapped) string in an input, with its path. */
function plainStrings(v: Wire, path: string): [string, string][] {
  if (isSecretWire(v)) return [];
  if (typeof v === 'string') return [[path, v]];
  if (Array.isArray(v)) return v.flatMap((x, i) => plainStrings(x, `${path}[${i}]`));
  if (typeof v === 'object' && v !== null) return Object.entries(v).flatMap(([k, x]) => plainStrings(x, `${path}.${k}`));
  return [];
}

/** Input fields that hold a credential, whatever their value. */
const CREDENTIAL_FIELD = /(password|token|^apikey|^secretstring)$/i;

describe('the wiring between resources (prod)', () => {
  test('STRIPE_WEBHOOK_SECRET is the webhook endpoint’s signing secret', () => {
    const webhookSecret = `whsec_${SECRET_MARK}-chat-billing-webhook`;
    expect(plain(envVars(run('prod')).get('STRIPE_WEBHOOK_SECRET')?.inputs.value)).toBe(webhookSecret);
    expect(run('prod').outputs.stripeWebhookSecret).toBe(webhookSecret);
  });

  test('the price env vars hold the ids of the prices', () => {
    const env = envVars(run('prod'));
    expect(plain(env.get('STRIPE_PRO_PRICE_ID')?.inputs.value)).toBe('price_pro');
    expect(plain(env.get('STRIPE_PREMIUM_PRICE_ID')?.inputs.value)).toBe('price_premium');
    expect(run('prod').outputs.stripe).toEqual({ price: { pro: 'price_pro', premium: 'price_premium' } });
  });

  test('POSTGRES_URL is the app role (not the master user) through RDS Proxy, TLS required', () => {
    const appPassword = `${SECRET_MARK}-chat-db-app-password`.padEnd(40, 'x');
    expect(plain(envVars(run('prod')).get('POSTGRES_URL')?.inputs.value)).toBe(`postgresql://app:${appPassword}@chat-prod-proxy.proxy-c0ffee.us-east-1.rds.amazonaws.com:5432/chat?sslmode=require`);
    expect(plain(resource(run('prod'), 'pulumi-nodejs:dynamic/postgres:Access', 'chat-db-access').inputs.appPassword)).toBe(appPassword);
  });

  test('REDIS_URL carries the ElastiCache AUTH token over rediss://', () => {
    const token = `${SECRET_MARK}-chat-cache-auth-token`.padEnd(64, 'x');
    expect(plain(envVars(run('prod')).get('REDIS_URL')?.inputs.value)).toBe(`rediss://:${token}@master.chat-cache-redis.c0ffee.use1.cache.amazonaws.com:6379`);
    expect(plain(resource(run('prod'), 'aws:elasticache/replicationGroup:ReplicationGroup', 'chat-cache-redis').inputs.authToken)).toBe(token);
  });

  test('generated secrets get a RandomPassword each, 32 characters or more', () => {
    expect(plain(resource(run('prod'), 'random:index/randomPassword:RandomPassword', 'chat-app-AUTH_SECRET').inputs)).toMatchObject({ length: 48, special: false });
    expect(plain(envVars(run('prod')).get('AUTH_SECRET')?.inputs.value)).toBe(`${SECRET_MARK}-chat-app-AUTH_SECRET`.padEnd(48, 'x'));
  });

  test('NODE_ENV is production, and a public config value stays plain', () => {
    const env = envVars(run('prod'));
    expect(plain(env.get('NODE_ENV')?.inputs)).toMatchObject({ value: 'production', sensitive: false });
    expect(plain(env.get('STRIPE_PUBLISHABLE_KEY')?.inputs)).toMatchObject({ value: 'pk_live_public-STRIPE_PUBLISHABLE_KEY', sensitive: false });
  });
});

describe.each(NAMES)('secrets in stack %s', (name) => {
  // The Vercel SDK keeps every env var value secret in the state; what tells a secret var apart is `sensitive`.
  test('every env var of the spec exists once, with its targets; secret ones are sensitive and fed from a secret', () => {
    const { spec } = stackConfig(STACK_FILES[name]);
    const env = envVars(run(name));
    const vars = activeVars(spec);
    expect([...env.keys()].sort()).toEqual(vars.map(([k]) => k).sort());
    for (const [key, v] of vars) {
      const inputs = env.get(key)?.inputs ?? {};
      const secret = isSecretVar(key, v);
      expect(inputs.sensitive, key).toBe(secret);
      if (secret) expect(isSecretWire(inputs.value), `${key} value is a secret`).toBe(true);
      expect(inputs.targets, key).toEqual(v.targets);
    }
  });

  test('no input holds a secret in plain text', () => {
    for (const r of run(name).resources) {
      for (const [path, value] of plainStrings(r.inputs, '')) {
        expect(value.includes(SECRET_MARK), `${r.type} ${r.name}${path} is a secret in plain text`).toBe(false);
        const field = path.split(/[.[]/).pop() ?? '';
        if (CREDENTIAL_FIELD.test(field)) expect.fail(`${r.type} ${r.name}${path} is a credential field and not a secret`);
      }
    }
  });

  test('every output that holds a credential is a secret output', () => {
    for (const [key, value] of Object.entries(run(name).outputs)) {
      expect(JSON.stringify(value).includes(SECRET_MARK) || JSON.stringify(value).includes('sk_live_'), `${key}`).toBe(run(name).secretOutputs.has(key));
    }
  });
});
