import { z } from 'zod';
import { envKey } from './common.js';

export const ENV_TARGETS = ['production', 'preview', 'development'] as const;
export type EnvTarget = (typeof ENV_TARGETS)[number];

/**
 * Where a var's value comes from when the program provisions it:
 * - `generated`: a random.RandomPassword per key (>= 32 chars)
 * - `config`: the Pulumi config key `env:<KEY>` (`pulumi config set --secret env:<KEY> ...`; without --secret for public values)
 * - `value`: the literal `value` (never for a secret)
 * - `app.url`: the app's public base URL (NEXT_PUBLIC_APP_URL, NEXTAUTH_URL)
 * - `postgres.url` / `redis.url` / `redis.restUrl` / `redis.restToken` / `redis.restReadOnlyToken`: provisioned outputs
 * - `stripe.webhookSecret`: the webhook endpoint's signing secret
 * - `stripe.price.<product key>`: a price id from the billing component
 * - `sentry.dsn`: the public DSN of the Sentry project's production key (public by design)
 * - `email.from`: the From address of prodcheck:email.from (on the verified sending domain)
 */
export const envSource = z.union([
  z.enum(['generated', 'config', 'value', 'app.url', 'postgres.url', 'redis.url', 'redis.restUrl', 'redis.restToken', 'redis.restReadOnlyToken', 'stripe.webhookSecret', 'sentry.dsn', 'email.from']),
  z.string().regex(/^stripe\.price\.[a-z0-9_-]+$/, { message: 'must be stripe.price.<product key>' }),
]);

/** Names that hold credentials: such vars default to secret. */
export const SECRET_NAME = /(SECRET|_KEY|KEY_|TOKEN|PASSWORD|PASSWD|PRIVATE|CREDENTIAL|DSN|_URL_?AUTH)|^(DATABASE_URL|POSTGRES_URL|POSTGRES_PRISMA_URL|REDIS_URL|KV_URL)$/;

export const envVarSchema = z.strictObject({
  from: envSource.default('config'),
  value: z.string().optional(),
  /** Secret vars are sensitive in Vercel and never printed. Defaults from the name (…_SECRET, …_KEY, …_TOKEN, DATABASE_URL…). */
  secret: z.boolean().optional(),
  targets: z.array(z.enum(ENV_TARGETS)).min(1).default(['production']),
  /** Targets in which the var must NOT exist (e.g. KV_* not in development). */
  forbiddenTargets: z.array(z.enum(ENV_TARGETS)).default([]),
  /** Only required when this feature flag is on (`env.features`). */
  feature: z.string().optional(),
});

export const envSchema = z
  .strictObject({
    vars: z.record(envKey, envVarSchema).default({}),
    features: z.record(z.string(), z.boolean()).default({}),
    adminEmails: z.array(z.email()).default([]),
    bcryptRounds: z.number().int().min(4).max(31).optional(),
  })
  .superRefine((env, ctx) => {
    for (const [key, v] of Object.entries(env.vars)) {
      if (v.from === 'value' && v.value === undefined) {
        ctx.addIssue({ code: 'custom', path: ['vars', key, 'value'], message: 'is required when from is "value"' });
      }
      if (v.value !== undefined && v.from !== 'value') {
        ctx.addIssue({ code: 'custom', path: ['vars', key, 'value'], message: `is only allowed with from: value (from is "${v.from}")` });
      }
      if (v.from === 'value' && isSecretVar(key, v)) {
        ctx.addIssue({
          code: 'custom',
          path: ['vars', key, 'from'],
          message: 'a secret var cannot hold a literal value: use from: generated, or from: config with `pulumi config set --secret`',
        });
      }
      if (v.feature !== undefined && !(v.feature in env.features)) {
        ctx.addIssue({ code: 'custom', path: ['vars', key, 'feature'], message: `names feature "${v.feature}", which env.features does not declare` });
      }
      const both = v.targets.filter((t) => v.forbiddenTargets.includes(t));
      if (both.length > 0) {
        ctx.addIssue({ code: 'custom', path: ['vars', key, 'forbiddenTargets'], message: `lists ${both.join(', ')}, which targets also lists` });
      }
    }
  });

export function isSecretVar(key: string, v: { readonly secret?: boolean | undefined }): boolean {
  return v.secret ?? SECRET_NAME.test(key);
}

export type EnvSpec = z.output<typeof envSchema>;
export type EnvVarSpec = z.output<typeof envVarSchema>;
