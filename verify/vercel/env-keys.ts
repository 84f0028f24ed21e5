import type { StackSpec } from '../../spec/index.js';
import { ADMIN_EMAILS_KEY, BCRYPT_ROUNDS_KEY, tracingVars } from '../../spec/index.js';

export { ADMIN_EMAILS_KEY, BCRYPT_ROUNDS_KEY };

// The env var names each check judges: the conventional names of a Next.js app on Vercel, plus every
// spec var whose `from` says it carries that value (a stack may call its database URL anything).

export const PRODUCTION_MODE_KEYS = ['NODE_ENV', 'BILLING_MODE'] as const;
export const APP_URL_KEYS = ['NEXT_PUBLIC_APP_URL', 'NEXTAUTH_URL', 'AUTH_URL', 'APP_URL'];
export const DATABASE_URL_KEYS = ['DATABASE_URL', 'POSTGRES_URL', 'POSTGRES_PRISMA_URL'];
export const REDIS_URL_KEYS = ['REDIS_URL', 'KV_URL'];
export const REDIS_REST_URL_KEYS = ['KV_REST_API_URL', 'UPSTASH_REDIS_REST_URL'];
export const GENERATED_SECRET_KEYS = ['AUTH_SECRET', 'NEXTAUTH_SECRET', 'JWT_SECRET', 'API_KEY_SECRET'];

function keysFrom(spec: StackSpec, from: readonly string[], names: readonly string[]): string[] {
  const fromSpec = Object.entries(spec.env.vars)
    .filter(([, v]) => from.includes(v.from))
    .map(([k]) => k);
  return [...new Set([...fromSpec, ...names])].sort();
}

export const appUrlKeys = (spec: StackSpec) => keysFrom(spec, ['app.url'], APP_URL_KEYS);
export const databaseUrlKeys = (spec: StackSpec) => keysFrom(spec, ['postgres.url'], DATABASE_URL_KEYS);
export const redisUrlKeys = (spec: StackSpec) => keysFrom(spec, ['redis.url'], REDIS_URL_KEYS);
export const redisRestUrlKeys = (spec: StackSpec) => keysFrom(spec, ['redis.restUrl'], REDIS_REST_URL_KEYS);
export const generatedSecretKeys = (spec: StackSpec) => keysFrom(spec, ['generated'], GENERATED_SECRET_KEYS);

/** Every key whose value some check reads back; the collector decrypts only these. */
export function valueKeys(spec: StackSpec): Set<string> {
  return new Set([
    ...PRODUCTION_MODE_KEYS,
    ...appUrlKeys(spec),
    ...databaseUrlKeys(spec),
    ...redisUrlKeys(spec),
    ...redisRestUrlKeys(spec),
    ...generatedSecretKeys(spec),
    ADMIN_EMAILS_KEY,
    BCRYPT_ROUNDS_KEY,
    ...tracingVars(spec)
      .filter(([, v]) => !v.secret)
      .map(([key]) => key),
  ]);
}
