import { describe, expect, it } from 'vitest';
import { envStripeWebhookSecret, stripeWebhookEndpoint, stripeWebhookEvents } from '../../policies/billing.js';
import { TYPES } from '../../policies/lib/resources.js';
import { UNKNOWN, envVar, res, runStack } from './harness.js';

const EVENTS = ['checkout.session.completed', 'customer.subscription.updated', 'customer.subscription.deleted', 'invoice.payment_failed'];
const hook = (props: Record<string, unknown> = {}, name = 'chat-billing-webhook') => res(TYPES.stripeWebhook, name, { apiKey: UNKNOWN, url: 'https://chat.example.com/api/webhooks/stripe', enabledEvents: EVENTS, ...props });
const price = res(TYPES.stripePrice, 'chat-billing-pro-price', { key: 'pro', currency: 'usd', unitAmount: 2000, interval: 'month', usageType: 'licensed' });

describe('stripe.webhook.endpoint', () => {
  const config = { requireWebhook: true, domain: 'chat.example.com', path: '/api/webhooks/stripe' };

  it('passes the endpoint on the production domain and route', async () => {
    expect((await runStack(stripeWebhookEndpoint, [hook()], config)).violations).toEqual([]);
  });

  it('fails http, another host and another route', async () => {
    const out = await runStack(stripeWebhookEndpoint, [hook({ url: 'http://chat.example.com/api/webhooks/stripe' }, 'a'), hook({ url: 'https://staging.example.com/api/webhooks/stripe' }, 'b'), hook({ url: 'https://chat.example.com/webhook' }, 'c')], config);
    expect(out.violations).toEqual([
      'url must use https:// (found "http://chat.example.com/api/webhooks/stripe")',
      'url must be on the production domain chat.example.com (found "https://staging.example.com/api/webhooks/stripe")',
      'url must end in the app\'s webhook route /api/webhooks/stripe (found "https://chat.example.com/webhook")',
    ]);
  });

  it('fails a stack with Stripe billing and no endpoint', async () => {
    expect((await runStack(stripeWebhookEndpoint, [], config)).violations).toEqual([
      'the stack has a prodcheck:stripe section but registers no pulumi-nodejs:dynamic/stripe:WebhookEndpoint, so Stripe events never reach the app',
    ]);
    expect((await runStack(stripeWebhookEndpoint, [])).notApplicable).toBe('the stack registers no Stripe webhook endpoint');
  });
});

describe('stripe.webhook.events', () => {
  it('passes an endpoint with every required event', async () => {
    expect((await runStack(stripeWebhookEvents, [price, hook()], { requiredEvents: EVENTS })).violations).toEqual([]);
  });

  it('fails an endpoint missing an event the handler needs', async () => {
    expect((await runStack(stripeWebhookEvents, [hook({ enabledEvents: EVENTS.slice(0, 3) })], { requiredEvents: EVENTS })).violations).toEqual([
      'enabledEvents must include invoice.payment_failed',
    ]);
  });

  it('requires the subscription lifecycle events when the stack sells recurring prices', async () => {
    const events = ['checkout.session.completed'];
    expect((await runStack(stripeWebhookEvents, [hook({ enabledEvents: events })], { requiredEvents: events })).violations).toEqual([]);
    expect((await runStack(stripeWebhookEvents, [price, hook({ enabledEvents: events })], { requiredEvents: events })).violations).toEqual([
      'enabledEvents must include customer.subscription.updated, customer.subscription.deleted (the stack sells recurring prices)',
    ]);
  });
});

describe('env.stripe-webhook-secret', () => {
  it('passes the secret sourced from the endpoint, and a literal signing secret', async () => {
    const h = hook();
    expect((await runStack(envStripeWebhookSecret, [h, envVar('STRIPE_WEBHOOK_SECRET', UNKNOWN, { sensitive: true }, { deps: { value: [h] } })])).violations).toEqual([]);
    expect((await runStack(envStripeWebhookSecret, [envVar('STRIPE_WEBHOOK_SECRET', 'whsec_x', { sensitive: true })])).violations).toEqual([]);
  });

  it('fails a secret from elsewhere or a literal that is no signing secret', async () => {
    const other = res(TYPES.randomPassword, 'pw', { length: 40 });
    expect((await runStack(envStripeWebhookSecret, [other, envVar('STRIPE_WEBHOOK_SECRET', UNKNOWN, { sensitive: true }, { deps: { value: [other] } })])).violations).toEqual([
      "STRIPE_WEBHOOK_SECRET must come from the Stripe webhook endpoint's secret (found a value computed from pw (random:index/randomPassword:RandomPassword))",
    ]);
    expect((await runStack(envStripeWebhookSecret, [envVar('STRIPE_WEBHOOK_SECRET', 'sk_live_x', { sensitive: true })])).violations).toEqual([
      "STRIPE_WEBHOOK_SECRET must come from the Stripe webhook endpoint's secret or be a signing secret (whsec_…) (found a live-mode key (sk_live_…))",
    ]);
  });
});
