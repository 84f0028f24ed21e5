import { parseStackConfig, type StackSpec } from '../../../spec/index.js';
import { keyInfo, type PriceView, type StripeSnapshot } from '../../../verify/stripe/index.js';

export const LIVE_KEY = `sk_live_${'a1'.repeat(16)}`;
export const TEST_KEY = `sk_test_${'b2'.repeat(16)}`;
export const LIVE_PK = `pk_live_${'c3'.repeat(16)}`;

/** A production stack with one licensed and one metered product, tax, portal and price env vars. */
export const PRICE_VARS = { STRIPE_PRO_PRICE_ID: { from: 'stripe.price.pro' }, STRIPE_METERED_PRICE_ID: { from: 'stripe.price.metered' } };

export function stripeStack(stripe: Record<string, unknown> = {}, app: Record<string, unknown> = {}, vars: Record<string, unknown> = PRICE_VARS): StackSpec {
  return parseStackConfig(
    {
      'prodcheck:app': { name: 'shop', domain: 'shop.example.com', ...app },
      'prodcheck:env': { vars },
      'prodcheck:stripe': {
        products: [
          { key: 'pro', name: 'Pro', price: { unitAmount: 2000, currency: 'usd', interval: 'month' } },
          { key: 'metered', name: 'Evaluations', price: { unitAmountDecimal: '0.5', usageType: 'metered', meterEventName: 'evaluation' } },
        ],
        webhook: { events: ['checkout.session.completed', 'invoice.paid', 'invoice.payment_failed'], maxFailedDeliveries: 1 },
        billingPortal: { enabled: true, allowCancel: true, allowPlanChange: false },
        automaticTax: true,
        taxRates: [{ displayName: 'VAT', percentage: 20, inclusive: true, jurisdiction: 'GB' }],
        paymentMethods: ['card', 'apple_pay'],
        ...stripe,
      },
    },
    'inline',
  ).spec;
}

export const PRO_PRICE: PriceView = {
  id: 'price_pro',
  active: true,
  livemode: true,
  lookupKey: 'pro',
  currency: 'usd',
  unitAmount: 2000,
  unitAmountDecimal: '2000',
  interval: 'month',
  usageType: 'licensed',
  meter: null,
  product: { id: 'prod_pro', name: 'Pro', active: true, key: 'pro' },
};

export const METERED_PRICE: PriceView = {
  id: 'price_metered',
  active: true,
  livemode: true,
  lookupKey: 'metered',
  currency: 'usd',
  unitAmount: null,
  unitAmountDecimal: '0.5',
  interval: 'month',
  usageType: 'metered',
  meter: 'mtr_eval',
  product: { id: 'prod_metered', name: 'Evaluations', active: true, key: 'metered' },
};

/** Everything as the spec wants it. */
export const HEALTHY: StripeSnapshot = {
  endpoint: 'https://api.stripe.com',
  key: keyInfo(LIVE_KEY),
  account: { ok: true, value: { id: 'acct_1', chargesEnabled: true, payoutsEnabled: true, detailsSubmitted: true, disabledReason: null } },
  prices: { ok: true, value: [PRO_PRICE, METERED_PRICE] },
  webhookEndpoints: {
    ok: true,
    value: [
      { id: 'we_old', url: 'https://old.example.com/hook', status: 'enabled', livemode: true, enabledEvents: ['*'], apiVersion: null, created: 1_700_000_000 },
      { id: 'we_1', url: 'https://shop.example.com/api/webhooks/stripe', status: 'enabled', livemode: true, enabledEvents: ['checkout.session.completed', 'invoice.paid', 'invoice.payment_failed', 'customer.created'], apiVersion: null, created: 1_700_000_000 },
    ],
  },
  failedEvents: { ok: true, value: { count: 1, capped: false, sample: [{ id: 'evt_1', type: 'invoice.paid' }], windowHours: 24 } },
  portalConfigurations: { ok: true, value: [{ id: 'bpc_1', active: true, isDefault: false, cancel: true, planChange: false, paymentMethodUpdate: true, invoiceHistory: true }] },
  taxRates: { ok: true, value: [{ id: 'txr_1', active: true, displayName: 'VAT', percentage: 20, inclusive: true, jurisdiction: 'GB' }] },
  taxStatus: { ok: true, value: 'active' },
  paymentMethodConfigurations: { ok: true, value: [{ id: 'pmc_1', active: true, isDefault: true, methods: { card: 'on', apple_pay: 'on', google_pay: 'off' } }] },
  meters: { ok: true, value: [{ id: 'mtr_eval', eventName: 'evaluation', active: true }] },
  usage: { ok: true, value: [{ meter: 'mtr_eval', customer: 'cus_1', total: 42, windowHours: 24 }] },
  appKey: { source: 'apiKey', key: keyInfo(LIVE_KEY), answer: { ok: true, value: { livemode: true } } },
  publishableKey: keyInfo(LIVE_PK),
  envPrices: {
    ok: true,
    value: [
      { envVar: 'STRIPE_PRO_PRICE_ID', priceId: 'price_pro', price: PRO_PRICE },
      { envVar: 'STRIPE_METERED_PRICE_ID', priceId: 'price_metered', price: METERED_PRICE },
    ],
  },
  // Set a minute after the endpoint was created, to the secret targets http.webhookSecret names.
  appWebhookSecret: { ok: true, value: { kind: 'value', key: 'STRIPE_WEBHOOK_SECRET', sha256: 'a1'.repeat(32), expectedSha256: 'a1'.repeat(32), setAt: 1_700_000_060_000 } },
};
