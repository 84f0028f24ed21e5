import type Stripe from 'stripe';
import { readStripe, type StripeRead } from './client.js';

/** What stripe.payments-flowing judges: the PaymentIntents created in the window, by outcome. */
export interface PaymentsView {
  readonly windowHours: number;
  /** PaymentIntents read (newest first, at most MAX_PAYMENT_INTENTS). */
  readonly read: number;
  /** More were created in the window than prodcheck reads: the figures are over the newest ones. */
  readonly capped: boolean;
  readonly succeeded: number;
  /** Attempted and refused: a last_payment_error and no success. */
  readonly failed: number;
  /** Neither yet (awaiting a payment method, 3-D Secure, processing, capture) or abandoned. */
  readonly open: number;
  /** Up to three failures: the PaymentIntent and Stripe's decline code. */
  readonly sampleFailures: readonly { readonly id: string; readonly code: string }[];
  /** Whether the PaymentIntents are live-mode data. */
  readonly livemode: boolean | undefined;
}

export const PAYMENTS_READ: StripeRead = { what: 'payment intents', permission: 'PaymentIntents' };
/** Ten pages of 100: enough to judge a failure share, bounded on a busy account. */
export const MAX_PAYMENT_INTENTS = 1000;

export async function readPayments(stripe: Stripe, windowHours: number, now: number): Promise<PaymentsView> {
  const since = now - windowHours * 3600;
  // One more than the bound tells a full window from a capped one.
  const intents = await readStripe(PAYMENTS_READ, () => stripe.paymentIntents.list({ created: { gte: since }, limit: 100 }).autoPagingToArray({ limit: MAX_PAYMENT_INTENTS + 1 }));
  const judged = intents.slice(0, MAX_PAYMENT_INTENTS);
  const failed = judged.filter((pi) => pi.status !== 'succeeded' && pi.last_payment_error !== null && pi.last_payment_error !== undefined);
  const succeeded = judged.filter((pi) => pi.status === 'succeeded').length;
  return {
    windowHours,
    read: judged.length,
    capped: intents.length > MAX_PAYMENT_INTENTS,
    succeeded,
    failed: failed.length,
    open: judged.length - succeeded - failed.length,
    sampleFailures: failed.slice(0, 3).map((pi) => ({ id: pi.id, code: pi.last_payment_error?.decline_code ?? pi.last_payment_error?.code ?? pi.last_payment_error?.type ?? 'unknown' })),
    livemode: judged[0]?.livemode,
  };
}
