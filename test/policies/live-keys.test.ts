import { describe, expect, it } from 'vitest';
import { authClerkInstance, envStripePublishableKey, envStripeSecretKey } from '../../policies/live-keys.js';
import { TYPES } from '../../policies/lib/resources.js';
import { UNKNOWN, envVar, res, runResource } from './harness.js';

describe('env.stripe-secret-key', () => {
  it('passes live secret and restricted keys and a key not known offline', async () => {
    expect((await runResource(envStripeSecretKey, envVar('STRIPE_SECRET_KEY', 'sk_live_x', { sensitive: true }))).violations).toEqual([]);
    expect((await runResource(envStripeSecretKey, envVar('STRIPE_SECRET_KEY', 'rk_live_x', { sensitive: true }))).violations).toEqual([]);
    expect((await runResource(envStripeSecretKey, envVar('STRIPE_SECRET_KEY', UNKNOWN, { sensitive: true }))).violations).toEqual([]);
  });

  it('fails a test-mode key on a production stack by its prefix only, and allows it on staging', async () => {
    const out = await runResource(envStripeSecretKey, envVar('STRIPE_SECRET_KEY', 'sk_test_4eC39HqLyjWDarjtT1zdp7dc', { sensitive: true }));
    expect(out.violations).toEqual(['STRIPE_SECRET_KEY on a production stack must be a live key (sk_live_… or rk_live_…) (found a test-mode key (sk_test_…))']);
    expect(out.violations.join()).not.toContain('4eC39');
    expect((await runResource(envStripeSecretKey, envVar('STRIPE_SECRET_KEY', 'sk_test_x', { sensitive: true }), { production: false })).violations).toEqual([]);
  });

  it('requires the Stripe resources to carry a live key as a Pulumi secret', async () => {
    const webhook = (apiKey: unknown, secretOutputs: string[]) => res(TYPES.stripeWebhook, 'hook', { apiKey, url: 'https://chat.example.com/api/webhooks/stripe' }, { secretOutputs });
    expect((await runResource(envStripeSecretKey, webhook(UNKNOWN, ['apiKey', 'secret']))).violations).toEqual([]);
    expect((await runResource(envStripeSecretKey, webhook('sk_test_x', []))).violations).toEqual([
      'apiKey must be a Pulumi secret so the state keeps the Stripe key encrypted',
      'apiKey on a production stack must be a live key (sk_live_… or rk_live_…) (found a test-mode key (sk_test_…))',
    ]);
  });
});

describe('env.stripe-publishable-key', () => {
  it('passes pk_live_ and fails a test or mistyped key', async () => {
    expect((await runResource(envStripePublishableKey, envVar('STRIPE_PUBLISHABLE_KEY', 'pk_live_x'))).violations).toEqual([]);
    expect((await runResource(envStripePublishableKey, envVar('NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY', 'pk_test_x'))).violations).toEqual([
      'NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY on a production stack must be a live key (pk_live_…) (found a test-mode key (pk_test_…))',
    ]);
    expect((await runResource(envStripePublishableKey, envVar('STRIPE_PUBLISHABLE_KEY', 'sk_live_x'))).violations).toEqual([
      'STRIPE_PUBLISHABLE_KEY on a production stack must be a live key (pk_live_…) (found a live-mode key (sk_live_…))',
    ]);
  });
});

describe('auth.clerk-instance', () => {
  it('passes the production instance keys and fails development ones', async () => {
    expect((await runResource(authClerkInstance, envVar('CLERK_SECRET_KEY', 'sk_live_x', { sensitive: true }))).violations).toEqual([]);
    expect((await runResource(authClerkInstance, envVar('CLERK_SECRET_KEY', 'sk_test_x', { sensitive: true }))).violations).toEqual([
      'CLERK_SECRET_KEY on a production stack must be a live key (sk_live_…) (found a test-mode key (sk_test_…))',
    ]);
    expect((await runResource(authClerkInstance, envVar('NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY', 'pk_test_x'))).violations).toEqual([
      'NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY on a production stack must be a live key (pk_live_…) (found a test-mode key (pk_test_…))',
    ]);
  });
});
