import type Stripe from 'stripe';
import {
  createBillingPortal,
  createMeter,
  createPrice,
  createProduct,
  createWebhookEndpoint,
  type BillingPortalState,
  type MeterState,
  type PriceState,
  type ProductState,
  type WebhookEndpointState,
} from '../../infra/providers/stripe/index.js';
import { appUrl, type StackSpec, type StripeSpec } from '../../spec/index.js';

/** What provisioning made, by spec product key, for the outputs and the faults. */
export interface Provisioned {
  readonly products: ReadonlyMap<string, ProductState>;
  readonly prices: ReadonlyMap<string, PriceState>;
  readonly meters: ReadonlyMap<string, MeterState>;
  readonly webhook: WebhookEndpointState;
  readonly portal?: BillingPortalState;
  readonly taxRates: readonly string[];
  /** A customer that reported metered usage just now (metered stacks only). */
  readonly usageCustomer?: string;
}

export const webhookUrlOf = (spec: StackSpec, stripe: StripeSpec): string => `${appUrl(spec.app).replace(/\/+$/, '')}${stripe.webhook.path}`;

/**
 * Brings a Stripe account to the spec's state with the dynamic providers' own create functions, as
 * `pulumi up` would; tax rates, Stripe Tax and payment methods (not provisioned by the program) are
 * set the way an operator would in the Dashboard.
 */
export async function provisionStripe(stripe: Stripe, spec: StackSpec, s: StripeSpec): Promise<Provisioned> {
  const products = new Map<string, ProductState>();
  const prices = new Map<string, PriceState>();
  const meters = new Map<string, MeterState>();
  for (const p of s.products) {
    const product = await createProduct(stripe, { key: p.key, name: p.name, description: p.description });
    products.set(p.key, product);
    let meterId: string | undefined;
    if (p.price.usageType === 'metered' && p.price.meterEventName) {
      const meter = await createMeter(stripe, { eventName: p.price.meterEventName, displayName: `${p.name} usage` });
      meters.set(p.key, meter);
      meterId = meter.id;
    }
    const { unitAmount, unitAmountDecimal, currency, interval, usageType } = p.price;
    prices.set(p.key, await createPrice(stripe, { key: p.key, productId: product.id, currency, unitAmount, unitAmountDecimal, interval, usageType, meterId }));
  }
  const webhook = await createWebhookEndpoint(stripe, { url: webhookUrlOf(spec, s), enabledEvents: s.webhook.events, apiVersion: s.webhook.apiVersion });
  const bp = s.billingPortal;
  const portal = bp?.enabled
    ? await createBillingPortal(stripe, {
        allowCancel: bp.allowCancel,
        allowPlanChange: bp.allowPlanChange,
        products: [...prices.values()].map((price) => ({ product: price.productId, prices: [price.id] })),
        returnUrl: appUrl(spec.app),
      })
    : undefined;
  const taxRates: string[] = [];
  for (const r of s.taxRates) {
    const rate = await stripe.taxRates.create({ display_name: r.displayName, percentage: r.percentage, inclusive: r.inclusive, ...(r.jurisdiction ? { jurisdiction: r.jurisdiction } : {}) });
    taxRates.push(rate.id);
  }
  if (s.automaticTax) await stripe.tax.settings.update({ head_office: { address: { country: 'US', postal_code: '94103', state: 'CA' } } });
  const pmc = (await stripe.paymentMethodConfigurations.list({ limit: 100 })).data.find((c) => c.is_default);
  if (pmc && s.paymentMethods.length > 0) {
    const on = Object.fromEntries(s.paymentMethods.map((m) => [m, { display_preference: { preference: 'on' } }]));
    await stripe.paymentMethodConfigurations.update(pmc.id, on as Stripe.PaymentMethodConfigurationUpdateParams);
  }
  let usageCustomer: string | undefined;
  if (meters.size > 0) {
    usageCustomer = (await stripe.customers.create({ email: 'usage@sandbox.invalid', name: 'Sandbox usage' })).id;
    for (const m of meters.values()) await stripe.billing.meterEvents.create({ event_name: m.eventName, payload: { stripe_customer_id: usageCustomer, value: '1' } });
  }
  return { products, prices, meters, webhook, ...(portal ? { portal } : {}), taxRates, ...(usageCustomer ? { usageCustomer } : {}) };
}
