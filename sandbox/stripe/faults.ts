import type Stripe from 'stripe';
import type { StackSpec, StripeSpec } from '../../spec/index.js';
import type { Mode, StripeApiServer } from '../../test/fixtures/stripe-api/index.js';
import type { Provisioned } from './provision.js';
import { FaultNotPlantableError } from '../fault.js';
import { seedPayments } from './payments.js';

/** The app's side of the Stripe wiring, which the env.* faults change. */
export interface AppStripeWiring {
  secretKey: string;
  publishableKey: string;
  priceIds: Record<string, string>;
}

export interface StripeFaultContext {
  readonly api: StripeApiServer;
  readonly mode: Mode;
  readonly stripe: Stripe;
  readonly spec: StackSpec;
  readonly stripeSpec: StripeSpec;
  readonly provisioned: Provisioned;
  readonly app: AppStripeWiring;
}

/** Plants one control's fault on a provisioned local Stripe, so that this control fails and no other. */
export type StripeFault = (ctx: StripeFaultContext) => Promise<void>;

const first = <T>(items: Iterable<T>, control: string, what: string): T => {
  for (const item of items) return item;
  throw new FaultNotPlantableError(control, what);
};

export const STRIPE_FAULTS: Readonly<Record<string, StripeFault>> = {
  // Most customers' cards are declined (a broken checkout, a fraud rule gone wrong): the sandbox's payments are seeded failing.
  'stripe.payments-flowing': async ({ stripe, stripeSpec }) => {
    if (!stripeSpec.payments) throw new FaultNotPlantableError('stripe.payments-flowing', 'the stack sets no prodcheck:stripe.payments');
    await seedPayments(stripe, stripeSpec.payments, true);
  },
  'stripe.account.live': async ({ api }) => {
    api.setAccount({ charges_enabled: false });
  },
  'stripe.products-prices': async ({ stripe, provisioned }) => {
    // Archived in the Dashboard: its price stays active, so the price env vars still pass.
    const product = first(provisioned.products.values(), 'stripe.products-prices', 'the stack config lists no Stripe products');
    await stripe.products.update(product.id, { active: false });
  },
  'stripe.webhook.endpoint': async ({ stripe, provisioned }) => {
    await stripe.webhookEndpoints.update(provisioned.webhook.id, { disabled: true });
  },
  'stripe.webhook.events': async ({ stripe, provisioned, stripeSpec }) => {
    const events = stripeSpec.webhook.events.slice(0, -1);
    if (events.length === 0) throw new FaultNotPlantableError('stripe.webhook.events', 'the endpoint needs at least one event, and the spec lists only one');
    await stripe.webhookEndpoints.update(provisioned.webhook.id, { enabled_events: events as Stripe.WebhookEndpointUpdateParams.EnabledEvent[] });
  },
  'stripe.webhook.delivery': async ({ api, mode, stripeSpec }) => {
    for (let i = 0; i <= stripeSpec.webhook.maxFailedDeliveries; i++) api.addEvent(mode, { type: stripeSpec.webhook.events[0] ?? 'invoice.paid', delivered: false });
  },
  'stripe.billing-portal': async ({ stripe, provisioned }) => {
    const portal = provisioned.portal;
    if (!portal) throw new FaultNotPlantableError('stripe.billing-portal', 'the stack config does not enable the billing portal');
    await stripe.billingPortal.configurations.update(portal.id, { features: { subscription_cancel: { enabled: !portal.allowCancel } } });
  },
  'stripe.tax-rates': async ({ api, mode, stripe, provisioned, stripeSpec }) => {
    const rate = provisioned.taxRates[0];
    if (rate) await stripe.taxRates.update(rate, { active: false });
    else if (stripeSpec.automaticTax) api.data(mode).taxSettings.status = 'pending';
    else throw new FaultNotPlantableError('stripe.tax-rates', 'the stack config lists no tax rates and does not turn on Stripe Tax');
  },
  'stripe.payment-methods': async ({ stripe, stripeSpec }) => {
    const method = first(stripeSpec.paymentMethods, 'stripe.payment-methods', 'the stack config lists no payment methods');
    const pmc = (await stripe.paymentMethodConfigurations.list({ limit: 100 })).data.find((c) => c.is_default);
    if (!pmc) throw new FaultNotPlantableError('stripe.payment-methods', 'the local Stripe API has no default payment method configuration');
    await stripe.paymentMethodConfigurations.update(pmc.id, { [method]: { display_preference: { preference: 'off' } } } as Stripe.PaymentMethodConfigurationUpdateParams);
  },
  'stripe.usage-reporting': async ({ stripe, provisioned }) => {
    const meter = first(provisioned.meters.values(), 'stripe.usage-reporting', 'the stack config has no metered price');
    await stripe.billing.meters.deactivate(meter.id);
  },
  'env.stripe-secret-key': async ({ api, app }) => {
    app.secretKey = api.keys.secret.test;
  },
  'env.stripe-publishable-key': async ({ api, app }) => {
    app.publishableKey = api.keys.publishable.test;
  },
  'env.stripe-price-ids': async ({ stripe, provisioned, app }) => {
    // An old, deactivated price of the right product: what an env var left behind after a price change holds.
    const envVar = first(Object.keys(app.priceIds), 'env.stripe-price-ids', 'no env var takes a Stripe price id (env.vars from: stripe.price.<key>)');
    const current = provisioned.prices.get([...provisioned.prices.entries()].find(([, p]) => p.id === app.priceIds[envVar])?.[0] ?? '');
    if (!current) throw new FaultNotPlantableError('env.stripe-price-ids', `${envVar} names no provisioned price`);
    const amount = current.unitAmount !== null ? { unit_amount: current.unitAmount + 100 } : { unit_amount: 1 };
    const stale = await stripe.prices.create({
      product: current.productId,
      currency: current.currency,
      ...amount,
      recurring: { interval: (current.interval ?? 'month') as Stripe.PriceCreateParams.Recurring.Interval, usage_type: 'licensed' },
      active: false,
    });
    app.priceIds[envVar] = stale.id;
  },
};
