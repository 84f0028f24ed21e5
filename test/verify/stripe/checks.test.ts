import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../report/redact.js';
import {
  envStripePriceIds,
  envStripePublishableKey,
  envStripeSecretKey,
  keyInfo,
  STRIPE_CHECKS,
  stripeAccountLive,
  stripeBillingPortal,
  stripePaymentMethods,
  stripeProductsPrices,
  stripeTaxRates,
  stripeUsageReporting,
  stripeWebhookDelivery,
  stripeWebhookEndpoint,
  stripeWebhookEvents,
  type StripeSnapshot,
} from '../../../verify/stripe/index.js';
import * as exported from '../../../verify/stripe/index.js';
import type { Check } from '../../../verify/types.js';
import { HEALTHY, LIVE_KEY, LIVE_PK, METERED_PRICE, PRO_PRICE, stripeStack, TEST_KEY } from './fixture.js';

const SPEC = stripeStack();
const messages = (check: Check<StripeSnapshot>, s: StripeSnapshot, spec = SPEC) => check.evaluate(s, spec).map((f) => `${f.status}: ${f.message}`);
const snap = (patch: Partial<StripeSnapshot>): StripeSnapshot => ({ ...HEALTHY, ...patch });
const WEBHOOK_URL = 'https://shop.example.com/api/webhooks/stripe';

describe('the stripe checks', () => {
  it('export one check per control, named for its id', () => {
    expect(STRIPE_CHECKS.map((c) => c.id)).toEqual([
      'stripe.account.live',
      'stripe.products-prices',
      'stripe.webhook.endpoint',
      'stripe.webhook.events',
      'stripe.webhook.delivery',
      'stripe.billing-portal',
      'stripe.tax-rates',
      'stripe.payment-methods',
      'stripe.usage-reporting',
      'env.stripe-secret-key',
      'env.stripe-publishable-key',
      'env.stripe-price-ids',
      'env.stripe-webhook-secret',
    ]);
    for (const c of STRIPE_CHECKS) {
      const name = c.id.replace(/[.-]([a-z])/g, (_m, ch: string) => ch.toUpperCase());
      expect((exported as Record<string, unknown>)[name]).toBe(c);
    }
    expect(STRIPE_CHECKS.filter((c) => c.connectivity).map((c) => c.id)).toEqual(['stripe.account.live']);
  });

  it('all pass on a healthy account', () => {
    const statuses = STRIPE_CHECKS.flatMap((c) => c.evaluate(HEALTHY, SPEC).map((f) => `${c.id} ${f.status}`));
    expect(statuses.filter((s) => !s.endsWith(' pass'))).toEqual([]);
  });
});

describe('stripe.account.live', () => {
  it('passes for an activated account read with a live key', () => {
    expect(messages(stripeAccountLive, HEALTHY)).toEqual(['pass: Stripe account acct_1 is activated for live payments (charges, payouts and details submitted) and the key is live.']);
  });

  it('fails for an account that cannot take charges, naming every missing flag', () => {
    const account = { ok: true as const, value: { id: 'acct_1', chargesEnabled: false, payoutsEnabled: false, detailsSubmitted: true, disabledReason: 'requirements.past_due' } };
    expect(messages(stripeAccountLive, snap({ account }))).toEqual([
      'fail: Stripe account acct_1 must be activated for live payments with a live key (found charges_enabled false, payouts_enabled false, requirements.disabled_reason requirements.past_due).',
    ]);
  });

  it('fails for a test key on a production stack', () => {
    expect(messages(stripeAccountLive, snap({ key: keyInfo(TEST_KEY) }))).toEqual([
      `fail: Stripe account acct_1 must be activated for live payments with a live key (found a test key (${fingerprint(TEST_KEY)})).`,
    ]);
  });

  it('skips on a staging stack and reports an unreadable account as an error', () => {
    expect(messages(stripeAccountLive, HEALTHY, stripeStack({}, { environment: 'staging' }))).toEqual([
      'skip: A Stripe account activated for live payments is only required on a production stack (app.environment is staging).',
    ]);
    expect(messages(stripeAccountLive, snap({ account: { ok: false, error: 'refused' } }))).toEqual(['error: Could not read the Stripe account: refused.']);
  });
});

describe('stripe.products-prices', () => {
  it('passes for each product with its active price', () => {
    expect(messages(stripeProductsPrices, HEALTHY)).toEqual([
      'pass: Stripe product "Pro" (pro) is active with price price_pro: 2000 usd/month licensed.',
      'pass: Stripe product "Evaluations" (metered) is active with price price_metered: 0.5 usd/month metered.',
    ]);
  });

  it('fails for a changed amount, an inactive price and an archived, renamed product', () => {
    const changed = { ...PRO_PRICE, unitAmount: 2500, active: false, livemode: false, product: { ...PRO_PRICE.product, active: false, name: 'Professional' } };
    expect(messages(stripeProductsPrices, snap({ prices: { ok: true, value: [changed, METERED_PRICE] } }))[0]).toBe(
      'fail: Stripe product "Pro" (pro) must be active with an active price of 2000 usd/month licensed (found price_pro: product archived, product name "Professional", price inactive, price 2500 usd/month licensed, a test-mode price).',
    );
  });

  it('fails when no price holds the lookup key, and errors when prices cannot be read', () => {
    expect(messages(stripeProductsPrices, snap({ prices: { ok: true, value: [METERED_PRICE] } }))[0]).toBe('fail: Stripe product "Pro" (pro) must have a price with lookup key "pro" (found none).');
    expect(messages(stripeProductsPrices, snap({ prices: { ok: false, error: 'timeout' } }))).toEqual(['error: Could not read Stripe prices: timeout.']);
  });
});

describe('stripe.webhook.endpoint', () => {
  it('passes for an enabled live endpoint on the app URL', () => {
    expect(messages(stripeWebhookEndpoint, HEALTHY)).toEqual([`pass: Stripe webhook endpoint we_1 for ${WEBHOOK_URL} is enabled in live mode.`]);
  });

  it('fails for a disabled test-mode endpoint on another API version', () => {
    const spec = stripeStack({ webhook: { events: ['invoice.paid'], apiVersion: '2026-10-28.endive' } });
    const endpoints = { ok: true as const, value: [{ id: 'we_1', url: WEBHOOK_URL, status: 'disabled', livemode: false, enabledEvents: ['invoice.paid'], apiVersion: null, created: 1_700_000_000 }] };
    expect(messages(stripeWebhookEndpoint, snap({ webhookEndpoints: endpoints }), spec)).toEqual([
      `fail: Stripe webhook endpoint we_1 for ${WEBHOOK_URL} must be enabled in live mode on API version 2026-10-28.endive (found status disabled, a test-mode endpoint, API version the account default).`,
    ]);
  });

  it('fails when no endpoint has the app URL, listing the ones found', () => {
    const endpoints = { ok: true as const, value: [{ id: 'we_x', url: 'https://www.shop.example.com/api/webhooks/stripe', status: 'enabled', livemode: true, enabledEvents: ['*'], apiVersion: null, created: 1_700_000_000 }] };
    expect(messages(stripeWebhookEndpoint, snap({ webhookEndpoints: endpoints }))).toEqual([
      `fail: Stripe must have a webhook endpoint for ${WEBHOOK_URL} (found endpoints for https://www.shop.example.com/api/webhooks/stripe).`,
    ]);
  });
});

describe('stripe.webhook.events', () => {
  it('passes when the endpoint receives every required event', () => {
    expect(messages(stripeWebhookEvents, HEALTHY)).toEqual(['pass: Stripe webhook endpoint we_1 receives all 3 events the app handles.']);
  });

  it('fails listing the missing events', () => {
    const endpoints = { ok: true as const, value: [{ id: 'we_1', url: WEBHOOK_URL, status: 'enabled', livemode: true, enabledEvents: ['invoice.paid'], apiVersion: null, created: 1_700_000_000 }] };
    expect(messages(stripeWebhookEvents, snap({ webhookEndpoints: endpoints }))).toEqual([
      'fail: Stripe webhook endpoint we_1 must receive every event the app handles (missing checkout.session.completed, invoice.payment_failed).',
    ]);
  });

  it('passes for *, and skips when there is no endpoint to look at', () => {
    const wildcard = { ok: true as const, value: [{ id: 'we_1', url: WEBHOOK_URL, status: 'enabled', livemode: true, enabledEvents: ['*'], apiVersion: null, created: 1_700_000_000 }] };
    expect(messages(stripeWebhookEvents, snap({ webhookEndpoints: wildcard }))).toEqual(['pass: Stripe webhook endpoint we_1 receives every event (*), including the 3 the app handles.']);
    expect(messages(stripeWebhookEvents, snap({ webhookEndpoints: { ok: true, value: [] } }))).toEqual([`skip: Skipped: no Stripe webhook endpoint for ${WEBHOOK_URL} (see stripe.webhook.endpoint).`]);
  });
});

describe('stripe.webhook.delivery', () => {
  it('passes at the allowed number of failed deliveries', () => {
    expect(messages(stripeWebhookDelivery, HEALTHY)).toEqual(['pass: Stripe has 1 events with failed webhook deliveries in the last 24 h (at most 1 allowed).']);
  });

  it('fails above it, naming a sample', () => {
    const failedEvents = {
      ok: true as const,
      value: { count: 5, capped: false, sample: [{ id: 'evt_1', type: 'invoice.paid' }, { id: 'evt_2', type: 'invoice.paid' }, { id: 'evt_3', type: 'checkout.session.completed' }], windowHours: 24 },
    };
    expect(messages(stripeWebhookDelivery, snap({ failedEvents }))).toEqual([
      'fail: Stripe must have at most 1 events with failed webhook deliveries in the last 24 h (found 5: evt_1 invoice.paid, evt_2 invoice.paid, evt_3 checkout.session.completed, …).',
    ]);
  });
});

describe('stripe.billing-portal', () => {
  it('passes for an active configuration with the spec features', () => {
    expect(messages(stripeBillingPortal, HEALTHY)).toEqual([
      'pass: Stripe billing portal configuration bpc_1 is active with cancellation on, plan changes off, payment method updates on, invoice history on.',
    ]);
  });

  it('fails naming the features that differ on the default configuration', () => {
    const portalConfigurations = {
      ok: true as const,
      value: [
        { id: 'bpc_1', active: true, isDefault: false, cancel: false, planChange: false, paymentMethodUpdate: true, invoiceHistory: true },
        { id: 'bpc_default', active: true, isDefault: true, cancel: false, planChange: true, paymentMethodUpdate: true, invoiceHistory: false },
      ],
    };
    expect(messages(stripeBillingPortal, snap({ portalConfigurations }))).toEqual([
      'fail: Stripe billing portal configuration bpc_default must have cancellation on, plan changes off, payment method updates on, invoice history on (found cancellation off, plan changes on, invoice history off).',
    ]);
  });

  it('fails with no active configuration and skips when the spec does not ask for the portal', () => {
    const inactive = { ok: true as const, value: [{ id: 'bpc_1', active: false, isDefault: false, cancel: true, planChange: false, paymentMethodUpdate: true, invoiceHistory: true }] };
    expect(messages(stripeBillingPortal, snap({ portalConfigurations: inactive }))).toEqual(['fail: Stripe must have an active billing portal configuration (found none).']);
    expect(messages(stripeBillingPortal, HEALTHY, stripeStack({ billingPortal: { enabled: false } }))).toEqual([
      'skip: The Stripe billing portal is not required (stripe.billingPortal.enabled is false).',
    ]);
  });
});

describe('stripe.tax-rates', () => {
  it('passes for Stripe Tax and each tax rate', () => {
    expect(messages(stripeTaxRates, HEALTHY)).toEqual(['pass: Stripe Tax is active.', 'pass: Stripe tax rate "VAT" is active: 20% inclusive in GB (txr_1).']);
  });

  it('fails for pending Stripe Tax and a deactivated or different rate', () => {
    const taxRates = { ok: true as const, value: [{ id: 'txr_1', active: false, displayName: 'VAT', percentage: 19, inclusive: true, jurisdiction: 'GB' }] };
    expect(messages(stripeTaxRates, snap({ taxStatus: { ok: true, value: 'pending' }, taxRates }))).toEqual([
      'fail: Stripe Tax must be active (found status pending).',
      'fail: Stripe must have an active tax rate "VAT" of 20% inclusive in GB (found txr_1: inactive, 19% inclusive in GB).',
    ]);
    expect(messages(stripeTaxRates, snap({ taxRates: { ok: true, value: [] } }))[1]).toBe('fail: Stripe must have an active tax rate "VAT" of 20% inclusive in GB (found none with that name).');
  });

  it('skips when the spec needs no tax', () => {
    expect(messages(stripeTaxRates, HEALTHY, stripeStack({ automaticTax: false, taxRates: [] }))).toEqual([
      'skip: The stack config requires neither tax rates nor Stripe Tax (stripe.taxRates is empty, stripe.automaticTax is false).',
    ]);
  });
});

describe('stripe.payment-methods', () => {
  it('passes when the default configuration turns on every spec method', () => {
    expect(messages(stripePaymentMethods, HEALTHY)).toEqual(["pass: Stripe's default payment method configuration pmc_1 turns on card, apple_pay."]);
  });

  it('fails naming the methods that are off or unavailable', () => {
    const spec = stripeStack({ paymentMethods: ['card', 'apple_pay', 'us_bank_account'] });
    const pmc = { ok: true as const, value: [{ id: 'pmc_1', active: true, isDefault: true, methods: { card: 'on', apple_pay: 'off' } }] };
    expect(messages(stripePaymentMethods, snap({ paymentMethodConfigurations: pmc }), spec)).toEqual([
      "fail: Stripe's default payment method configuration pmc_1 must turn on card, apple_pay, us_bank_account (found apple_pay off, us_bank_account unavailable).",
    ]);
  });
});

describe('stripe.usage-reporting', () => {
  it('passes for a metered price on an active meter with recent usage', () => {
    expect(messages(stripeUsageReporting, HEALTHY)).toEqual([
      'pass: Stripe metered price price_metered (metered) reports to active Billing meter mtr_eval for event "evaluation".',
      'pass: Stripe meter mtr_eval ("evaluation") recorded 42 for customer cus_1 in the last 24 h.',
    ]);
  });

  it('fails for an inactive meter and for no recent usage', () => {
    expect(messages(stripeUsageReporting, snap({ meters: { ok: true, value: [{ id: 'mtr_eval', eventName: 'evaluation', active: false }] } }))).toEqual([
      'fail: Stripe metered price price_metered (metered) must report to an active Billing meter for event "evaluation" (found meter mtr_eval inactive).',
    ]);
    expect(messages(stripeUsageReporting, snap({ usage: { ok: true, value: [{ meter: 'mtr_eval', customer: 'cus_1', total: 0, windowHours: 24 }] } }))[1]).toBe(
      'fail: Stripe meter mtr_eval ("evaluation") must have usage reported in the last 24 h (found none for customer cus_1).',
    );
  });

  it('skips the usage part without a usage customer, and the whole check without a metered price', () => {
    const { usage: _usage, ...withoutUsage } = HEALTHY;
    expect(messages(stripeUsageReporting, withoutUsage)[1]).toBe('skip: Skipped: recent usage of "evaluation" is not checked (set targets stripe.usageCustomer to a customer that reports usage).');
    const spec = stripeStack({ products: [{ key: 'pro', name: 'Pro', price: { unitAmount: 2000 } }] }, {}, {});
    expect(messages(stripeUsageReporting, HEALTHY, spec)).toEqual(['skip: The stack config has no metered Stripe price.']);
  });
});

describe('env.stripe-secret-key', () => {
  it('passes for a live key Stripe accepts', () => {
    expect(messages(envStripeSecretKey, HEALTHY)).toEqual([`pass: STRIPE_SECRET_KEY is a live-mode key that Stripe accepts (${fingerprint(LIVE_KEY)}).`]);
  });

  it('fails for a test key on production, and for a key Stripe rejects', () => {
    const testKey = { source: 'secretKey' as const, key: keyInfo(TEST_KEY), answer: { ok: true as const, value: { livemode: false } } };
    expect(messages(envStripeSecretKey, snap({ appKey: testKey }))).toEqual([`fail: STRIPE_SECRET_KEY must be a live-mode key on a production stack (found a test key: ${fingerprint(TEST_KEY)}).`]);
    const refused = { source: 'secretKey' as const, key: keyInfo(LIVE_KEY), answer: { ok: true as const, value: { refused: '401 StripeAuthenticationError: Invalid API Key provided' } } };
    expect(messages(envStripeSecretKey, snap({ appKey: refused }))).toEqual([
      `fail: STRIPE_SECRET_KEY must be a live-mode key on a production stack (found ${fingerprint(LIVE_KEY)}, which Stripe rejects: 401 StripeAuthenticationError: Invalid API Key provided).`,
    ]);
  });
});

describe('env.stripe-publishable-key', () => {
  it('passes for a live publishable key', () => {
    expect(messages(envStripePublishableKey, HEALTHY)).toEqual([`pass: STRIPE_PUBLISHABLE_KEY is a live-mode publishable key (${fingerprint(LIVE_PK)}).`]);
  });

  it('fails for a test key, and for a secret key in the publishable slot', () => {
    const pkTest = `pk_test_${'d4'.repeat(16)}`;
    expect(messages(envStripePublishableKey, snap({ publishableKey: keyInfo(pkTest) }))).toEqual([
      `fail: STRIPE_PUBLISHABLE_KEY must be a live-mode publishable key on a production stack (found a test key: ${fingerprint(pkTest)}).`,
    ]);
    expect(messages(envStripePublishableKey, snap({ publishableKey: keyInfo(LIVE_KEY) }))).toEqual([
      `fail: STRIPE_PUBLISHABLE_KEY must be a publishable key, never a secret key: it is shipped to browsers, so rotate that key (found a secret key: ${fingerprint(LIVE_KEY)}).`,
    ]);
  });

  it('skips without a publishable key in the targets', () => {
    const { publishableKey: _pk, ...without } = HEALTHY;
    expect(messages(envStripePublishableKey, without)).toEqual([
      "skip: Skipped: targets stripe.publishableKey is not set (set it to the app's STRIPE_PUBLISHABLE_KEY, e.g. ${output:stripe.publishableKey}).",
    ]);
  });
});

describe('env.stripe-price-ids', () => {
  it('passes when each price env var names the active price of its product', () => {
    expect(messages(envStripePriceIds, HEALTHY)).toEqual([
      'pass: STRIPE_METERED_PRICE_ID refers to price_metered, an active live price of "Evaluations" (0.5 usd/month metered).',
      'pass: STRIPE_PRO_PRICE_ID refers to price_pro, an active live price of "Pro" (2000 usd/month licensed).',
    ]);
  });

  it('fails for an inactive price of another product and for an unknown price id', () => {
    const stale = { ...METERED_PRICE, id: 'price_old', active: false, lookupKey: null };
    const envPrices = {
      ok: true as const,
      value: [
        { envVar: 'STRIPE_PRO_PRICE_ID', priceId: 'price_old', price: stale },
        { envVar: 'STRIPE_METERED_PRICE_ID', priceId: 'price_gone', price: null },
      ],
    };
    expect(messages(envStripePriceIds, snap({ envPrices }))).toEqual([
      'fail: STRIPE_METERED_PRICE_ID must refer to an active live price of "Evaluations" (0.5 usd/month metered) (found price_gone: no such price).',
      'fail: STRIPE_PRO_PRICE_ID must refer to an active live price of "Pro" (2000 usd/month licensed) (found price_old: inactive, a price of product "Evaluations", 0.5 usd/month metered).',
    ]);
  });

  it('skips without price ids in the targets', () => {
    const { envPrices: _e, ...without } = HEALTHY;
    expect(messages(envStripePriceIds, without)).toEqual([
      'skip: Skipped: targets stripe.priceIds is not set (map each price env var to its value, e.g. STRIPE_PRO_PRICE_ID: ${output:stripe.price.pro}).',
    ]);
  });
});
