import type { TargetFamily } from '../types.js';
import { STRIPE_CHECKS, stripePaymentsFlowing } from './checks/index.js';
import { stripeCollector } from './collect.js';
import type { StripeSnapshot } from './snapshot.js';

export type * from './snapshot.js';
export { keyInfo } from './snapshot.js';
export { stripeCollector, StripeUnreachableError, READS, MAX_LIST_ITEMS, USAGE_WINDOW_HOURS } from './collect.js';
export { StripeReadError } from './client.js';
export * from './checks/index.js';

export type { PaymentsView } from './payments.js';
export { MAX_PAYMENT_INTENTS } from './payments.js';

/** The account's checks, and stripe.payments-flowing over the recent PaymentIntents. */
export const stripeFamily: TargetFamily<StripeSnapshot> = { collector: stripeCollector, checks: [...STRIPE_CHECKS, stripePaymentsFlowing] };
