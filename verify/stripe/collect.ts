import type Stripe from 'stripe';
import type { StackSpec, StripeSpec, Targets } from '../../spec/index.js';
import type { CollectContext, Collector, Probe } from '../types.js';
import { readStripe, StripeReadError, stripeReader, type StripeRead } from './client.js';
import { readAppWebhookSecret } from './app-secret.js';
import { readPayments } from './payments.js';
import {
  keyInfo,
  type AccountView,
  type AppKeyView,
  type EndpointView,
  type EnvPriceView,
  type FailedEvents,
  type MeterView,
  type PaymentMethodsView,
  type PortalView,
  type PriceView,
  type StripeSnapshot,
  type TaxRateView,
  type UsageView,
} from './snapshot.js';

type StripeTargets = NonNullable<Targets['stripe']>;

/** Each read, and the restricted-key permission it needs. */
export const READS = {
  account: { what: 'the account', permission: 'Account' },
  balance: { what: 'the balance', permission: 'Balance' },
  prices: { what: 'prices', permission: 'Prices' },
  webhookEndpoints: { what: 'webhook endpoints', permission: 'Webhook Endpoints' },
  events: { what: 'events', permission: 'Events' },
  portal: { what: 'billing portal configurations', permission: 'Customer portal' },
  taxRates: { what: 'tax rates', permission: 'Tax Rates' },
  taxSettings: { what: 'Stripe Tax settings', permission: 'Tax Settings' },
  paymentMethods: { what: 'payment method configurations', permission: 'Payment Method Configurations' },
  meters: { what: 'billing meters', permission: 'Meters' },
  usage: { what: 'meter event summaries', permission: 'Meters' },
} as const satisfies Record<string, StripeRead>;

/** Upper bound on the objects one list read collects, so a huge account cannot stall the run. */
export const MAX_LIST_ITEMS = 1000;
/** How far back stripe.usage-reporting looks for reported usage. */
export const USAGE_WINDOW_HOURS = 24;
/** Stripe accepts at most 10 lookup keys per price list request. */
const LOOKUP_KEYS_PER_REQUEST = 10;

/** The account could not be read at all (refused key, no connection): every check but stripe.account.live skips. */
export class StripeUnreachableError extends Error {
  override readonly name = 'StripeUnreachableError';
  constructor(
    readonly endpoint: string,
    reason: string,
  ) {
    super(`${endpoint}: ${reason}`);
  }
}

const unixNow = (): number => Math.floor(Date.now() / 1000);

async function probe<T>(run: () => Promise<T>): Promise<Probe<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

const toAccount = (a: Stripe.Account): AccountView => ({
  id: a.id,
  chargesEnabled: a.charges_enabled,
  payoutsEnabled: a.payouts_enabled,
  detailsSubmitted: a.details_submitted,
  disabledReason: a.requirements?.disabled_reason ?? null,
});

function toPrice(p: Stripe.Price): PriceView {
  const product = p.product;
  return {
    id: p.id,
    active: p.active,
    livemode: p.livemode,
    lookupKey: p.lookup_key,
    currency: p.currency,
    unitAmount: p.unit_amount,
    unitAmountDecimal: p.unit_amount_decimal === null ? null : String(p.unit_amount_decimal),
    interval: p.recurring?.interval ?? null,
    usageType: p.recurring?.usage_type ?? null,
    meter: p.recurring?.meter ?? null,
    product:
      typeof product === 'string'
        ? { id: product, name: '', active: false, key: null }
        : 'deleted' in product && product.deleted
          ? { id: product.id, name: '', active: false, key: null }
          : { id: product.id, name: product.name, active: product.active, key: product.metadata.prodcheck_key ?? null },
  };
}

const toEndpoint = (we: Stripe.WebhookEndpoint): EndpointView => ({
  id: we.id,
  url: we.url,
  status: we.status,
  livemode: we.livemode,
  enabledEvents: we.enabled_events,
  apiVersion: we.api_version,
  created: we.created,
});

const toPortal = (c: Stripe.BillingPortal.Configuration): PortalView => ({
  id: c.id,
  active: c.active,
  isDefault: c.is_default,
  cancel: c.features.subscription_cancel.enabled,
  planChange: c.features.subscription_update.enabled,
  paymentMethodUpdate: c.features.payment_method_update.enabled,
  invoiceHistory: c.features.invoice_history.enabled,
});

const toTaxRate = (r: Stripe.TaxRate): TaxRateView => ({
  id: r.id,
  active: r.active,
  displayName: r.display_name,
  percentage: r.percentage,
  inclusive: r.inclusive,
  jurisdiction: r.jurisdiction,
});

function toPaymentMethods(c: Stripe.PaymentMethodConfiguration): PaymentMethodsView {
  const methods: Record<string, string> = {};
  for (const [name, v] of Object.entries(c)) {
    const value = (v as { display_preference?: { value?: unknown } } | null)?.display_preference?.value;
    if (typeof value === 'string') methods[name] = value;
  }
  return { id: c.id, active: c.active, isDefault: c.is_default, methods };
}

async function pricesByLookupKey(stripe: Stripe, keys: readonly string[]): Promise<PriceView[]> {
  const out: PriceView[] = [];
  for (let i = 0; i < keys.length; i += LOOKUP_KEYS_PER_REQUEST) {
    const chunk = keys.slice(i, i + LOOKUP_KEYS_PER_REQUEST);
    const page = await readStripe(READS.prices, () => stripe.prices.list({ lookup_keys: chunk, expand: ['data.product'], limit: 100 }));
    out.push(...page.data.map(toPrice));
  }
  return out;
}

async function failedEvents(stripe: Stripe, spec: StripeSpec): Promise<FailedEvents> {
  const windowHours = spec.webhook.deliveryWindowHours;
  const since = unixNow() - windowHours * 3600;
  // delivery_success=false lists events whose deliveries failed or are still being retried.
  const events = await readStripe(READS.events, () => stripe.events.list({ delivery_success: false, created: { gte: since }, limit: 100 }).autoPagingToArray({ limit: MAX_LIST_ITEMS }));
  return { count: events.length, capped: events.length >= MAX_LIST_ITEMS, sample: events.slice(0, 3).map((e) => ({ id: e.id, type: e.type })), windowHours };
}

async function usage(stripe: Stripe, prices: Probe<readonly PriceView[]>, customer: string): Promise<UsageView[]> {
  if (!prices.ok) throw new Error(`the metered prices could not be read (${prices.error})`);
  // Summaries start and end on minute boundaries; ending after the current minute keeps the latest usage in.
  const end = Math.floor(unixNow() / 60) * 60 + 60;
  const start = end - USAGE_WINDOW_HOURS * 3600;
  const meters = [...new Set(prices.value.filter((p) => p.usageType === 'metered' && p.meter !== null).map((p) => p.meter as string))];
  return Promise.all(
    meters.map(async (meter) => {
      const summaries = await readStripe(READS.usage, () => stripe.billing.meters.listEventSummaries(meter, { customer, start_time: start, end_time: end, limit: 100 }).autoPagingToArray({ limit: MAX_LIST_ITEMS }));
      return { meter, customer, total: summaries.reduce((sum, s) => sum + Number(s.aggregated_value), 0), windowHours: USAGE_WINDOW_HOURS };
    }),
  );
}

async function appKey(t: StripeTargets, balance: Probe<boolean>): Promise<AppKeyView> {
  if (t.secretKey === undefined || t.secretKey === t.apiKey) return { source: 'apiKey', key: keyInfo(t.apiKey), answer: balance.ok ? { ok: true, value: { livemode: balance.value } } : balance };
  const key = keyInfo(t.secretKey);
  if (key.kind !== 'secret' && key.kind !== 'restricted') return { source: 'secretKey', key, answer: { ok: false, error: 'not a secret or restricted key, so not sent to Stripe' } };
  const stripe = await stripeReader(t.secretKey, t.baseUrl, t.timeoutMs);
  try {
    const b = await readStripe(READS.balance, () => stripe.balance.retrieve());
    return { source: 'secretKey', key, answer: { ok: true, value: { livemode: b.livemode } } };
  } catch (e) {
    if (e instanceof StripeReadError && e.type === 'StripeAuthenticationError') return { source: 'secretKey', key, answer: { ok: true, value: { refused: e.detail } } };
    return { source: 'secretKey', key, answer: { ok: false, error: e instanceof Error ? e.message : String(e) } };
  }
}

async function envPrices(stripe: Stripe, priceIds: Readonly<Record<string, string>>): Promise<EnvPriceView[]> {
  return Promise.all(
    Object.entries(priceIds).map(async ([envVar, priceId]) => {
      try {
        return { envVar, priceId, price: toPrice(await readStripe(READS.prices, () => stripe.prices.retrieve(priceId, { expand: ['product'] }))) };
      } catch (e) {
        if (e instanceof StripeReadError && e.statusCode === 404) return { envVar, priceId, price: null };
        throw e;
      }
    }),
  );
}

export const stripeCollector: Collector<StripeSnapshot> = {
  target: 'stripe',
  applies(spec: StackSpec, targets: Targets) {
    if (!spec.stripe) return 'The stack config has no prodcheck:stripe section.';
    if (!targets.stripe) return 'The targets file has no stripe section.';
    return undefined;
  },
  async collect(ctx: CollectContext): Promise<StripeSnapshot> {
    const t = ctx.targets.stripe;
    const spec = ctx.spec.stripe;
    if (!t || !spec) throw new Error('stripe collector called without a stripe spec and target (applies() says why)');
    ctx.redactor.add(t.apiKey, t.secretKey);
    const endpoint = t.baseUrl ?? 'https://api.stripe.com';
    const stripe = await stripeReader(t.apiKey, t.baseUrl, t.timeoutMs);
    let account: Probe<AccountView>;
    try {
      account = { ok: true, value: toAccount(await readStripe(READS.account, () => stripe.accounts.retrieveCurrent())) };
    } catch (e) {
      // A key without the Account permission still reaches everything else.
      if (!(e instanceof StripeReadError) || e.type !== 'StripePermissionError') throw new StripeUnreachableError(endpoint, e instanceof Error ? e.message : String(e));
      account = { ok: false, error: e.message };
    }
    const metered = spec.products.some((p) => p.price.usageType === 'metered');
    const list = <T, V>(read: StripeRead, run: () => Promise<T[]>, view: (x: T) => V) => probe(async () => (await readStripe(read, run)).map(view));
    const [balance, prices, webhookEndpoints, failed, portalConfigurations, taxRates, taxStatus, paymentMethodConfigurations, meters, priceEnv] = await Promise.all([
      probe(async () => (await readStripe(READS.balance, () => stripe.balance.retrieve())).livemode),
      probe(() => pricesByLookupKey(stripe, spec.products.map((p) => p.key))),
      list(READS.webhookEndpoints, () => stripe.webhookEndpoints.list({ limit: 100 }).autoPagingToArray({ limit: MAX_LIST_ITEMS }), toEndpoint),
      probe(() => failedEvents(stripe, spec)),
      list(READS.portal, () => stripe.billingPortal.configurations.list({ limit: 100 }).autoPagingToArray({ limit: MAX_LIST_ITEMS }), toPortal),
      spec.taxRates.length > 0 ? list(READS.taxRates, () => stripe.taxRates.list({ limit: 100 }).autoPagingToArray({ limit: MAX_LIST_ITEMS }), toTaxRate) : undefined,
      spec.automaticTax ? probe(async () => (await readStripe(READS.taxSettings, () => stripe.tax.settings.retrieve())).status) : undefined,
      list(READS.paymentMethods, () => stripe.paymentMethodConfigurations.list({ limit: 100 }).autoPagingToArray({ limit: MAX_LIST_ITEMS }), toPaymentMethods),
      metered ? list(READS.meters, () => stripe.billing.meters.list({ limit: 100 }).autoPagingToArray({ limit: MAX_LIST_ITEMS }), (m): MeterView => ({ id: m.id, eventName: m.event_name, active: m.status === 'active' })) : undefined,
      t.priceIds ? probe(() => envPrices(stripe, t.priceIds ?? {})) : undefined,
    ]);
    const [usageProbe, app, payments, appWebhookSecret] = await Promise.all([
      metered && t.usageCustomer ? probe(() => usage(stripe, prices, t.usageCustomer ?? '')) : undefined,
      appKey(t, balance),
      spec.payments ? probe(() => readPayments(stripe, spec.payments?.windowHours ?? 24, unixNow())) : undefined,
      // Vercel is read only for the check that judges the var.
      ctx.runs?.('env.stripe-webhook-secret') === false ? undefined : probe(() => readAppWebhookSecret(ctx)),
    ]);
    return {
      endpoint,
      key: keyInfo(t.apiKey),
      account,
      prices,
      webhookEndpoints,
      failedEvents: failed,
      portalConfigurations,
      ...(taxRates ? { taxRates } : {}),
      ...(taxStatus ? { taxStatus } : {}),
      paymentMethodConfigurations,
      ...(meters ? { meters } : {}),
      ...(usageProbe ? { usage: usageProbe } : {}),
      appKey: app,
      ...(t.publishableKey !== undefined ? { publishableKey: keyInfo(t.publishableKey) } : {}),
      ...(priceEnv ? { envPrices: priceEnv } : {}),
      ...(payments ? { payments } : {}),
      appWebhookSecret,
    };
  },
};
