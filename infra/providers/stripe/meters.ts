import type Stripe from 'stripe';
import { isMissing } from './client.js';
import { differing, type ProviderDiff, type StripeOps } from './ops.js';
import { createOnce } from './idempotency.js';

export interface MeterArgs {
  /** The meter event name the app reports usage under. */
  readonly eventName: string;
  readonly displayName: string;
  readonly aggregation?: 'sum' | 'count' | 'last' | undefined;
}

export interface MeterState {
  readonly id: string;
  readonly eventName: string;
  readonly displayName: string;
  readonly aggregation: string;
  readonly active: boolean;
  readonly livemode: boolean;
}

const toState = (m: Stripe.Billing.Meter): MeterState => ({
  id: m.id,
  eventName: m.event_name,
  displayName: m.display_name,
  aggregation: m.default_aggregation.formula,
  active: m.status === 'active',
  livemode: m.livemode,
});

export async function createMeter(stripe: Stripe, args: MeterArgs): Promise<MeterState> {
  const params: Stripe.Billing.MeterCreateParams = {
    display_name: args.displayName,
    event_name: args.eventName,
    default_aggregation: { formula: args.aggregation ?? 'sum' },
    customer_mapping: { event_payload_key: 'stripe_customer_id', type: 'by_id' },
    value_settings: { event_payload_key: 'value' },
  };
  const meter = await createOnce(
    'meter',
    params,
    (idempotencyKey) => stripe.billing.meters.create(params, { idempotencyKey }),
    async (replayed) => {
      const current = await stripe.billing.meters.retrieve(replayed.id);
      return current.status === 'active' ? current : undefined;
    },
  );
  return toState(meter);
}

export async function readMeter(stripe: Stripe, id: string): Promise<MeterState | undefined> {
  try {
    return toState(await stripe.billing.meters.retrieve(id));
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

/**
 * The event name and aggregation cannot change on a meter. Only one active meter may hold an event
 * name, so a replacement that keeps the name deactivates the old meter first.
 */
export function diffMeter(olds: MeterState, news: MeterArgs): ProviderDiff {
  const replaces = differing(olds, { ...news, aggregation: news.aggregation ?? 'sum' }, ['eventName', 'aggregation']);
  const updates = differing(olds, news, ['displayName']);
  return { changes: replaces.length + updates.length > 0 || !olds.active, replaces, deleteBeforeReplace: !replaces.includes('eventName') };
}

export async function updateMeter(stripe: Stripe, id: string, news: MeterArgs): Promise<MeterState> {
  const current = await stripe.billing.meters.retrieve(id);
  if (current.status !== 'active') await stripe.billing.meters.reactivate(id);
  return toState(await stripe.billing.meters.update(id, { display_name: news.displayName }));
}

/** Deactivates: meters cannot be deleted, and deactivation keeps the usage already reported. */
export async function deleteMeter(stripe: Stripe, id: string): Promise<void> {
  const current = await readMeter(stripe, id);
  if (current?.active) await stripe.billing.meters.deactivate(id);
}

export const meterOps: StripeOps<MeterArgs, MeterState> = {
  check: (a) => (/^[A-Za-z0-9_.:-]+$/.test(a.eventName) ? [] : [{ property: 'eventName', reason: 'must be letters, digits, _ . : or -' }]),
  create: createMeter,
  read: (stripe, id) => readMeter(stripe, id),
  diff: diffMeter,
  update: (stripe, id, _olds, news) => updateMeter(stripe, id, news),
  delete: (stripe, id) => deleteMeter(stripe, id),
};
