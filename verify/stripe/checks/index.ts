import type { Check } from '../../types.js';
import type { StripeSnapshot } from '../snapshot.js';
import { envStripePublishableKey, envStripeSecretKey, stripeAccountLive } from './account.js';
import { envStripeWebhookSecret } from './app-secret.js';
import { envStripePriceIds, stripeProductsPrices, stripeUsageReporting } from './catalogue.js';
import { stripeBillingPortal, stripePaymentMethods, stripeTaxRates } from './settings.js';
import { stripeWebhookDelivery, stripeWebhookEndpoint, stripeWebhookEvents } from './webhooks.js';

export { envStripePublishableKey, envStripeSecretKey, stripeAccountLive } from './account.js';
export { envStripeWebhookSecret } from './app-secret.js';
export { envStripePriceIds, stripeProductsPrices, stripeUsageReporting } from './catalogue.js';
export { stripeBillingPortal, stripePaymentMethods, stripeTaxRates } from './settings.js';
export { stripeWebhookDelivery, stripeWebhookEndpoint, stripeWebhookEvents } from './webhooks.js';
export { stripePaymentsFlowing } from './payments.js';

export const STRIPE_CHECKS: readonly Check<StripeSnapshot>[] = [
  stripeAccountLive,
  stripeProductsPrices,
  stripeWebhookEndpoint,
  stripeWebhookEvents,
  stripeWebhookDelivery,
  stripeBillingPortal,
  stripeTaxRates,
  stripePaymentMethods,
  stripeUsageReporting,
  envStripeSecretKey,
  envStripePublishableKey,
  envStripePriceIds,
  envStripeWebhookSecret,
];
