import type Stripe from 'stripe';
import { isMissing } from './client.js';
import { canonicalJson, createOnce } from './idempotency.js';
import type { ProviderDiff, StripeOps } from './ops.js';

/** Not in a configuration Stripe returns unless expanded: without it every read would find no products and show a change. */
const PRODUCTS = 'features.subscription_update.products';

export interface PortalProduct {
  readonly product: string;
  readonly prices: readonly string[];
}

export interface BillingPortalArgs {
  readonly allowCancel: boolean;
  readonly allowPlanChange: boolean;
  /** The products and prices a customer may switch between (plan changes only). */
  readonly products: readonly PortalProduct[];
  /** Where the portal sends the customer back to: the app URL. */
  readonly returnUrl?: string | undefined;
}

export interface BillingPortalState {
  readonly id: string;
  readonly active: boolean;
  readonly isDefault: boolean;
  readonly livemode: boolean;
  readonly allowCancel: boolean;
  readonly allowPlanChange: boolean;
  readonly paymentMethodUpdate: boolean;
  readonly invoiceHistory: boolean;
  readonly products: PortalProduct[];
  readonly returnUrl: string | null;
}

const sortedProducts = (products: readonly PortalProduct[]): { product: string; prices: string[] }[] =>
  [...products].map((p) => ({ product: p.product, prices: [...p.prices].sort() })).sort((a, b) => (a.product < b.product ? -1 : a.product > b.product ? 1 : 0));

const toState = (c: Stripe.BillingPortal.Configuration): BillingPortalState => ({
  id: c.id,
  active: c.active,
  isDefault: c.is_default,
  livemode: c.livemode,
  allowCancel: c.features.subscription_cancel.enabled,
  allowPlanChange: c.features.subscription_update.enabled,
  paymentMethodUpdate: c.features.payment_method_update.enabled,
  invoiceHistory: c.features.invoice_history.enabled,
  products: sortedProducts((c.features.subscription_update.products ?? []).map((p) => ({ product: p.product, prices: p.prices }))),
  returnUrl: c.default_return_url,
});

/** Customers can always update their payment method and see their invoices; cancelling and switching plans follow the spec. */
function features(args: BillingPortalArgs): Stripe.BillingPortal.ConfigurationCreateParams.Features {
  return {
    customer_update: { enabled: true, allowed_updates: ['email', 'address'] },
    invoice_history: { enabled: true },
    payment_method_update: { enabled: true },
    subscription_cancel: { enabled: args.allowCancel, mode: 'at_period_end' },
    subscription_update: args.allowPlanChange
      ? { enabled: true, default_allowed_updates: ['price'], products: sortedProducts(args.products), proration_behavior: 'create_prorations' }
      : { enabled: false },
  };
}

export async function createBillingPortal(stripe: Stripe, args: BillingPortalArgs): Promise<BillingPortalState> {
  const params: Stripe.BillingPortal.ConfigurationCreateParams = { features: features(args), ...(args.returnUrl ? { default_return_url: args.returnUrl } : {}) };
  const config = await createOnce(
    'billing-portal',
    params,
    (idempotencyKey) => stripe.billingPortal.configurations.create({ ...params, expand: [PRODUCTS] }, { idempotencyKey }),
    async (replayed) => {
      const current = await stripe.billingPortal.configurations.retrieve(replayed.id, { expand: [PRODUCTS] });
      return current.active ? current : undefined;
    },
  );
  return toState(config);
}

export async function readBillingPortal(stripe: Stripe, id: string): Promise<BillingPortalState | undefined> {
  try {
    return toState(await stripe.billingPortal.configurations.retrieve(id, { expand: [PRODUCTS] }));
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

/** Every field of a configuration can be updated, so nothing replaces it. */
export function diffBillingPortal(olds: BillingPortalState, news: BillingPortalArgs): ProviderDiff {
  const want = toWanted(news);
  const have = { allowCancel: olds.allowCancel, allowPlanChange: olds.allowPlanChange, paymentMethodUpdate: olds.paymentMethodUpdate, invoiceHistory: olds.invoiceHistory, products: olds.products, returnUrl: olds.returnUrl };
  return { changes: !olds.active || canonicalJson(have) !== canonicalJson(want), replaces: [], deleteBeforeReplace: false };
}

function toWanted(args: BillingPortalArgs) {
  return {
    allowCancel: args.allowCancel,
    allowPlanChange: args.allowPlanChange,
    paymentMethodUpdate: true,
    invoiceHistory: true,
    products: args.allowPlanChange ? sortedProducts(args.products) : [],
    returnUrl: args.returnUrl ?? null,
  };
}

export async function updateBillingPortal(stripe: Stripe, id: string, news: BillingPortalArgs): Promise<BillingPortalState> {
  const config = await stripe.billingPortal.configurations.update(id, { active: true, features: features(news), default_return_url: news.returnUrl ?? '', expand: [PRODUCTS] });
  return toState(config);
}

/** Deactivates: configurations cannot be deleted. */
export async function deleteBillingPortal(stripe: Stripe, id: string): Promise<void> {
  const current = await readBillingPortal(stripe, id);
  if (current?.active && !current.isDefault) await stripe.billingPortal.configurations.update(id, { active: false });
}

export const billingPortalOps: StripeOps<BillingPortalArgs, BillingPortalState> = {
  check: (a) => (a.allowPlanChange && a.products.length === 0 ? [{ property: 'products', reason: 'plan changes need the products and prices to switch between' }] : []),
  create: createBillingPortal,
  read: (stripe, id) => readBillingPortal(stripe, id),
  diff: diffBillingPortal,
  update: (stripe, id, _olds, news) => updateBillingPortal(stripe, id, news),
  delete: (stripe, id) => deleteBillingPortal(stripe, id),
};
