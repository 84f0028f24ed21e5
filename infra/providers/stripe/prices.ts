import type Stripe from 'stripe';
import { isMissing } from './client.js';
import { differing, type ProviderDiff, type StripeOps } from './ops.js';
import { createOnce } from './idempotency.js';
import { KEY_METADATA } from './products.js';

export interface PriceArgs {
  /** The spec product's key: the price's lookup key. */
  readonly key: string;
  readonly productId: string;
  readonly currency: string;
  /** Minor units (2000 = $20.00); exactly one of unitAmount and unitAmountDecimal. */
  readonly unitAmount?: number | undefined;
  readonly unitAmountDecimal?: string | undefined;
  readonly interval: 'day' | 'week' | 'month' | 'year';
  readonly usageType: 'licensed' | 'metered';
  /** The Billing meter of a metered price. */
  readonly meterId?: string | undefined;
}

export interface PriceState {
  readonly id: string;
  readonly key: string;
  readonly productId: string;
  readonly currency: string;
  readonly unitAmount: number | null;
  readonly unitAmountDecimal: string | null;
  readonly interval: string | null;
  readonly usageType: string | null;
  readonly meterId: string | null;
  readonly active: boolean;
  /** Who holds the key now: null after another price took it (in the Dashboard or by a replacement). */
  readonly lookupKey: string | null;
  readonly livemode: boolean;
}

/** What Stripe never changes on a price: a new amount, currency or recurrence is a new price. */
export const PRICE_IMMUTABLE = ['productId', 'currency', 'unitAmount', 'unitAmountDecimal', 'interval', 'usageType', 'meterId'] as const;

const productId = (p: Stripe.Price): string => (typeof p.product === 'string' ? p.product : p.product.id);

const toState = (p: Stripe.Price): PriceState => ({
  id: p.id,
  key: p.metadata[KEY_METADATA] ?? p.lookup_key ?? '',
  productId: productId(p),
  currency: p.currency,
  // Stripe fills unit_amount_decimal from an integer amount: keep only the form that was set.
  unitAmount: p.unit_amount,
  unitAmountDecimal: p.unit_amount === null && p.unit_amount_decimal !== null ? String(p.unit_amount_decimal) : null,
  interval: p.recurring?.interval ?? null,
  usageType: p.recurring?.usage_type ?? null,
  meterId: p.recurring?.meter ?? null,
  active: p.active,
  lookupKey: p.lookup_key,
  livemode: p.livemode,
});

/** Creates the price and moves the lookup key to it from whichever price held it (`transfer_lookup_key`). */
export async function createPrice(stripe: Stripe, args: PriceArgs): Promise<PriceState> {
  const common = {
    product: args.productId,
    currency: args.currency,
    recurring: { interval: args.interval, usage_type: args.usageType, ...(args.meterId ? { meter: args.meterId } : {}) },
    lookup_key: args.key,
    transfer_lookup_key: true,
    metadata: { [KEY_METADATA]: args.key },
  };
  const decimal = args.unitAmountDecimal ?? '';
  // The key is derived from the plain parameters; the SDK types decimals as its Decimal class.
  const params = args.unitAmount !== undefined ? { ...common, unit_amount: args.unitAmount } : { ...common, unit_amount_decimal: decimal };
  const request: Stripe.PriceCreateParams = args.unitAmount !== undefined ? { ...common, unit_amount: args.unitAmount } : { ...common, unit_amount_decimal: stripe.Decimal.from(decimal) };
  const price = await createOnce(
    'price',
    params,
    (idempotencyKey) => stripe.prices.create(request, { idempotencyKey }),
    async (replayed) => {
      const current = await stripe.prices.retrieve(replayed.id);
      return current.active && current.lookup_key === args.key ? current : undefined;
    },
  );
  return toState(price);
}

export async function readPrice(stripe: Stripe, id: string): Promise<PriceState | undefined> {
  try {
    return toState(await stripe.prices.retrieve(id));
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

/** An amount in minor units as a canonical decimal string ("2000", "0.25"), whichever field holds it; null when neither does. */
export function amountOf(p: { readonly unitAmount?: number | null | undefined; readonly unitAmountDecimal?: string | null | undefined }): string | null {
  if (typeof p.unitAmount === 'number') return String(p.unitAmount);
  if (p.unitAmountDecimal === undefined || p.unitAmountDecimal === null) return null;
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(String(p.unitAmountDecimal));
  if (!m) return String(p.unitAmountDecimal);
  const whole = (m[2] ?? '').replace(/^0+(?=\d)/, '');
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  return `${m[1]}${whole}${fraction ? `.${fraction}` : ''}`;
}

/**
 * A changed amount, currency, recurrence, meter or product replaces the price: the new one is created
 * first and takes the lookup key, then the old one is deactivated, so the key never points nowhere.
 * A price deactivated or stripped of its key in the Dashboard is restored in place.
 */
export function diffPrice(olds: PriceState, news: PriceArgs): ProviderDiff {
  // The amount is compared as a value: Stripe returns a whole unitAmountDecimal ("2000") as unit_amount
  // 2000 too, and the state keeps that form, so comparing the fields would replace the price on every up.
  const amountFields = new Set<string>(['unitAmount', 'unitAmountDecimal']);
  const sameAmount = amountOf(olds) === amountOf(news);
  const replaces = differing(olds, news, PRICE_IMMUTABLE).filter((f) => !(sameAmount && amountFields.has(f)));
  const restore = !olds.active || olds.lookupKey !== news.key || olds.key !== news.key;
  return { changes: replaces.length > 0 || restore, replaces, deleteBeforeReplace: false };
}

export async function updatePrice(stripe: Stripe, id: string, news: PriceArgs): Promise<PriceState> {
  return toState(await stripe.prices.update(id, { active: true, lookup_key: news.key, transfer_lookup_key: true, metadata: { [KEY_METADATA]: news.key } }));
}

/** Deactivates: Stripe prices cannot be deleted, and existing subscriptions keep using them. */
export async function deletePrice(stripe: Stripe, id: string): Promise<void> {
  try {
    await stripe.prices.update(id, { active: false });
  } catch (e) {
    if (!isMissing(e)) throw e;
  }
}

export const priceOps: StripeOps<PriceArgs, PriceState> = {
  check: (a) => {
    const failures = [];
    if ((a.unitAmount === undefined) === (a.unitAmountDecimal === undefined)) failures.push({ property: 'unitAmount', reason: 'set exactly one of unitAmount and unitAmountDecimal' });
    if (a.usageType === 'metered' && !a.meterId) failures.push({ property: 'meterId', reason: 'a metered price needs the Billing meter it reports to' });
    return failures;
  },
  create: createPrice,
  read: (stripe, id) => readPrice(stripe, id),
  diff: diffPrice,
  update: (stripe, id, _olds, news) => updatePrice(stripe, id, news),
  delete: (stripe, id) => deletePrice(stripe, id),
};
