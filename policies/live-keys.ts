import { boolean, textList } from './lib/config.js';
import { resourcePolicy } from './lib/define.js';
import { envScope, envVarOf, inProduction } from './lib/env-vars.js';
import type { PlainResource } from './lib/resources.js';
import { TYPES } from './lib/resources.js';
import { isLiveKey, keyClass } from './lib/secret-evidence.js';
import { asString, isUnknown } from './lib/values.js';

/** Every Stripe object the Stripe dynamic providers create: each carries the API key it was made with. */
export const STRIPE_RESOURCE_TYPES = ['Product', 'Price', 'BillingMeter', 'WebhookEndpoint', 'BillingPortalConfiguration'].map((t) => `pulumi-nodejs:dynamic/stripe:${t}`);

const production = boolean(true, 'The stack is production, so keys must be live (false when prodcheck:app.environment is staging or preview).');
const fromEnvironment = (spec: { readonly app: { readonly environment: string } }) => ({ production: spec.app.environment === 'production' });

/** A production env var from `keys` whose known value does not start with a live prefix of `kinds`. */
function liveKeyViolation(r: PlainResource, keys: readonly string[], kinds: readonly string[]): string[] {
  const v = envVarOf(r);
  if (!v || !keys.includes(v.key) || inProduction(v) !== true || isUnknown(v.value) || v.value === undefined) return [];
  if (isLiveKey(v.value, kinds)) return [];
  return [`${v.key} on a production stack must be a live key (${kinds.map((k) => `${k}_live_…`).join(' or ')}) (found ${keyClass(v.value)})`];
}

export const envStripeSecretKey = resourcePolicy({
  id: 'env.stripe-secret-key',
  remediation: 'Set the live secret (or restricted) key on production stacks: pulumi config set --secret env:STRIPE_SECRET_KEY sk_live_…; the Stripe resources take the same key as a secret input.',
  types: [TYPES.vercelEnv, ...STRIPE_RESOURCE_TYPES],
  config: { production, keys: textList(['STRIPE_SECRET_KEY'], 'Env vars holding the Stripe secret key.') },
  fromSpec: fromEnvironment,
  outOfScope: envScope((key, c) => c.keys.includes(key), (c) => c.keys.join(', ')),
  check(r, config) {
    if (r.type === TYPES.vercelEnv) return config.production ? liveKeyViolation(r, config.keys, ['sk', 'rk']) : [];
    const out: string[] = [];
    if (!r.additionalSecretOutputs.includes('apiKey')) out.push('apiKey must be a Pulumi secret so the state keeps the Stripe key encrypted');
    const key = asString(r.props.apiKey);
    if (config.production && typeof key === 'string' && !isLiveKey(key, ['sk', 'rk'])) out.push(`apiKey on a production stack must be a live key (sk_live_… or rk_live_…) (found ${keyClass(key)})`);
    return out;
  },
});

export const envStripePublishableKey = resourcePolicy({
  id: 'env.stripe-publishable-key',
  remediation: 'Set the live publishable key on production stacks: pulumi config set env:STRIPE_PUBLISHABLE_KEY pk_live_…',
  types: [TYPES.vercelEnv],
  config: { production, keys: textList(['STRIPE_PUBLISHABLE_KEY', 'NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY'], 'Env vars holding the Stripe publishable key.') },
  fromSpec: fromEnvironment,
  outOfScope: envScope((key, c) => c.keys.includes(key), (c) => c.keys.join(', ')),
  check: (r, config) => (config.production ? liveKeyViolation(r, config.keys, ['pk']) : []),
});

export const authClerkInstance = resourcePolicy({
  id: 'auth.clerk-instance',
  remediation: 'Use the keys of the Clerk production instance (sk_live_… and pk_live_…) on production stacks.',
  types: [TYPES.vercelEnv],
  config: {
    production,
    secretKeys: textList(['CLERK_SECRET_KEY'], 'Env vars holding the Clerk secret key.'),
    publishableKeys: textList(['NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY', 'CLERK_PUBLISHABLE_KEY'], 'Env vars holding the Clerk publishable key.'),
  },
  fromSpec: fromEnvironment,
  outOfScope: envScope((key, c) => c.secretKeys.includes(key) || c.publishableKeys.includes(key), (c) => [...c.secretKeys, ...c.publishableKeys].join(', ')),
  check: (r, config) => (config.production ? [...liveKeyViolation(r, config.secretKeys, ['sk']), ...liveKeyViolation(r, config.publishableKeys, ['pk'])] : []),
});

export const LIVE_KEY_POLICIES = [envStripeSecretKey, envStripePublishableKey, authClerkInstance];
