import type { TargetFamily } from '../types.js';
import { STRIPE_CHECKS } from './checks/index.js';
import { stripeCollector } from './collect.js';
import type { StripeSnapshot } from './snapshot.js';

export type * from './snapshot.js';
export { keyInfo } from './snapshot.js';
export { stripeCollector, StripeUnreachableError, READS, MAX_LIST_ITEMS, USAGE_WINDOW_HOURS } from './collect.js';
export { StripeReadError } from './client.js';
export * from './checks/index.js';

export const stripeFamily: TargetFamily<StripeSnapshot> = { collector: stripeCollector, checks: STRIPE_CHECKS };
