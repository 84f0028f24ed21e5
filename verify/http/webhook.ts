import { randomBytes } from 'node:crypto';

/**
 * Real Stripe event types an app rarely subscribes to: the test event uses the first one the spec's
 * webhook does not list, so a correct endpoint verifies the signature, ignores the event and answers 2xx.
 */
const IGNORED_EVENT_TYPES = ['balance.available', 'customer.discount.created', 'product.created', 'price.created', 'plan.created'] as const;

export function ignoredEventType(handled: readonly string[]): string | undefined {
  return IGNORED_EVENT_TYPES.find((t) => !handled.includes(t));
}

/**
 * How old the expired test event's timestamp is: well past the five minutes Stripe's libraries accept
 * (Stripe.webhooks.DEFAULT_TOLERANCE), so that only an endpoint that skips the timestamp check takes it.
 */
export const EXPIRED_EVENT_AGE_S = 3_600;

/** The payload of a synthetic event and its Stripe-Signature header, made by the official SDK. */
export async function signedTestEvent(type: string, secret: string, ageSeconds = 0): Promise<{ payload: string; signature: string }> {
  const { default: Stripe } = await import('stripe');
  const payload = JSON.stringify({
    id: `evt_prodcheck_${randomBytes(8).toString('hex')}`,
    object: 'event',
    type,
    created: Math.floor(Date.now() / 1000) - ageSeconds,
    livemode: false,
    pending_webhooks: 0,
    data: { object: { id: 'prodcheck_synthetic', object: type.split('.')[0] } },
  });
  return { payload, signature: Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: Math.floor(Date.now() / 1000) - ageSeconds }) };
}
