/**
 * The Stripe CRUD functions without Pulumi, for the sandbox and tests. The Pulumi resources built on
 * them are in resources.ts.
 */
export { stripeClient, type StripeConnection } from './client.js';
export { KEY_METADATA, productOps, createProduct, readProduct, updateProduct, diffProduct, deleteProduct, type ProductArgs, type ProductState } from './products.js';
export { priceOps, createPrice, readPrice, updatePrice, diffPrice, deletePrice, PRICE_IMMUTABLE, type PriceArgs, type PriceState } from './prices.js';
export { meterOps, createMeter, readMeter, updateMeter, diffMeter, deleteMeter, type MeterArgs, type MeterState } from './meters.js';
export {
  webhookEndpointOps,
  createWebhookEndpoint,
  readWebhookEndpoint,
  updateWebhookEndpoint,
  diffWebhookEndpoint,
  deleteWebhookEndpoint,
  type WebhookEndpointArgs,
  type WebhookEndpointState,
} from './webhook-endpoint.js';
export { billingPortalOps, createBillingPortal, readBillingPortal, updateBillingPortal, diffBillingPortal, deleteBillingPortal, type BillingPortalArgs, type BillingPortalState } from './billing-portal.js';
export type { ProviderDiff, StripeOps } from './ops.js';
