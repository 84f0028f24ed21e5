import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripeProvider } from '../../../infra/providers/stripe/dynamic.js';
import {
  billingPortalOps,
  createBillingPortal,
  createMeter,
  createPrice,
  createProduct,
  createWebhookEndpoint,
  deleteMeter,
  deletePrice,
  deleteProduct,
  deleteWebhookEndpoint,
  diffBillingPortal,
  diffMeter,
  diffPrice,
  diffProduct,
  diffWebhookEndpoint,
  priceOps,
  productOps,
  readBillingPortal,
  readPrice,
  readProduct,
  readWebhookEndpoint,
  stripeClient,
  updateBillingPortal,
  updatePrice,
  updateProduct,
  updateWebhookEndpoint,
  webhookEndpointOps,
  type PriceArgs,
} from '../../../infra/providers/stripe/index.js';
import { startStripeApi, type StripeApiServer } from '../../fixtures/stripe-api/index.js';

let api: StripeApiServer;
let stripe: Stripe;

beforeAll(async () => {
  api = await startStripeApi();
  stripe = await stripeClient({ apiKey: api.keys.secret.live, baseUrl: api.url });
});
afterAll(async () => {
  await api.stop();
});

const dashboard = () => api.data('live');
const creates = (path: string) => api.requests.filter((r) => r.method === 'POST' && r.path === path);

describe('Stripe products', () => {
  it('create, read, update and archive-on-delete', async () => {
    const created = await createProduct(stripe, { key: 'crud', name: 'Crud' });
    expect(created).toMatchObject({ key: 'crud', name: 'Crud', description: null, active: true, livemode: true });
    expect(await readProduct(stripe, created.id)).toEqual(created);
    const updated = await updateProduct(stripe, created.id, { key: 'crud', name: 'Crud 2', description: 'Renamed' });
    expect(updated).toMatchObject({ name: 'Crud 2', description: 'Renamed' });
    await deleteProduct(stripe, created.id);
    expect(await readProduct(stripe, created.id)).toMatchObject({ id: created.id, active: false });
    expect(await readProduct(stripe, 'prod_gone')).toBeUndefined();
  });

  it('refresh sees a rename and an archive made in the Dashboard, and the next update restores them', async () => {
    const args = { key: 'drift', name: 'Drift' };
    const created = await createProduct(stripe, args);
    Object.assign(dashboard().products.require(created.id), { name: 'Edited by hand', active: false });
    const refreshed = await readProduct(stripe, created.id);
    expect(refreshed).toMatchObject({ name: 'Edited by hand', active: false });
    expect(diffProduct(refreshed ?? created, args)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(await updateProduct(stripe, created.id, args)).toMatchObject({ name: 'Drift', active: true });
  });

  it('diffs a new name as an update and a new key as a replacement', async () => {
    const state = await createProduct(stripe, { key: 'diff', name: 'Diff' });
    expect(diffProduct(state, { key: 'diff', name: 'Diff' })).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(diffProduct(state, { key: 'diff', name: 'Other' })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(diffProduct(state, { key: 'other', name: 'Diff' })).toEqual({ changes: true, replaces: ['key'], deleteBeforeReplace: false });
  });

  it('sends an idempotency key derived from the inputs, so a retried create does not double-create', async () => {
    const before = creates('/v1/products').length;
    const a = await createProduct(stripe, { key: 'retry', name: 'Retry' });
    const b = await createProduct(stripe, { key: 'retry', name: 'Retry' });
    expect(b.id).toBe(a.id);
    const sent = creates('/v1/products').slice(before);
    expect(sent.map((r) => r.replayed)).toEqual([false, true]);
    expect(sent[0]?.idempotencyKey).toMatch(/^prodcheck-product-[0-9a-f]{40}$/);
    expect(sent[1]?.idempotencyKey).toBe(sent[0]?.idempotencyKey);
    expect(dashboard().products.all().filter((p) => p.name === 'Retry')).toHaveLength(1);
  });

  it('creates afresh when the replayed object was archived since (the same inputs created again within 24 hours)', async () => {
    const first = await createProduct(stripe, { key: 'again', name: 'Again' });
    await deleteProduct(stripe, first.id);
    const second = await createProduct(stripe, { key: 'again', name: 'Again' });
    expect(second.id).not.toBe(first.id);
    expect(second.active).toBe(true);
    expect((await createProduct(stripe, { key: 'again', name: 'Again' })).id).toBe(second.id);
  });
});

describe('Stripe prices', () => {
  let productId = '';
  const args = (patch: Partial<PriceArgs> = {}): PriceArgs => ({ key: 'plan', productId, currency: 'usd', unitAmount: 2000, interval: 'month', usageType: 'licensed', ...patch });

  beforeAll(async () => {
    productId = (await createProduct(stripe, { key: 'plan', name: 'Plan' })).id;
  });

  it('diffs amount, currency, interval and usage changes as replacements, created before the old one goes', async () => {
    const state = await createPrice(stripe, args());
    expect(state).toMatchObject({ key: 'plan', lookupKey: 'plan', unitAmount: 2000, unitAmountDecimal: null, interval: 'month', usageType: 'licensed', active: true });
    expect(diffPrice(state, args())).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(diffPrice(state, args({ unitAmount: 2500 }))).toEqual({ changes: true, replaces: ['unitAmount'], deleteBeforeReplace: false });
    expect(diffPrice(state, args({ currency: 'eur', interval: 'year' })).replaces).toEqual(['currency', 'interval']);
    expect(diffPrice(state, args({ unitAmount: undefined, unitAmountDecimal: '0.5' })).replaces).toEqual(['unitAmount', 'unitAmountDecimal']);
    expect(diffPrice(state, args({ usageType: 'metered', meterId: 'mtr_1' })).replaces).toEqual(['usageType', 'meterId']);
  });

  it('replaces a changed price: the new one takes the lookup key, the old one is deactivated, never deleted', async () => {
    const old = await createPrice(stripe, args({ key: 'swap' }));
    // What `pulumi up` does for a replacement with deleteBeforeReplace false: create the new, then delete the old.
    const replacement = await createPrice(stripe, args({ key: 'swap', unitAmount: 2500 }));
    await deletePrice(stripe, old.id);
    expect(replacement).toMatchObject({ lookupKey: 'swap', unitAmount: 2500, active: true });
    expect(await readPrice(stripe, old.id)).toMatchObject({ id: old.id, active: false, lookupKey: null, unitAmount: 2000 });
    const byKey = await stripe.prices.list({ lookup_keys: ['swap'] });
    expect(byKey.data.map((p) => p.id)).toEqual([replacement.id]);
    expect(api.requests.some((r) => r.method === 'DELETE' && r.path.startsWith('/v1/prices'))).toBe(false);
  });

  it('a price changed back within 24 hours is a new price, not a replay of the deactivated first one', async () => {
    const a = await createPrice(stripe, args({ key: 'cycle' }));
    const b = await createPrice(stripe, args({ key: 'cycle', unitAmount: 2500 }));
    await deletePrice(stripe, a.id);
    const again = await createPrice(stripe, args({ key: 'cycle' }));
    await deletePrice(stripe, b.id);
    expect(again.id).not.toBe(a.id);
    expect(again).toMatchObject({ lookupKey: 'cycle', active: true, unitAmount: 2000 });
  });

  it('refresh sees a price deactivated or stripped of its key in the Dashboard, and the update restores it in place', async () => {
    const state = await createPrice(stripe, args({ key: 'restore' }));
    Object.assign(dashboard().prices.require(state.id), { active: false, lookup_key: null });
    const refreshed = await readPrice(stripe, state.id);
    expect(refreshed).toMatchObject({ active: false, lookupKey: null });
    expect(diffPrice(refreshed ?? state, args({ key: 'restore' }))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(await updatePrice(stripe, state.id, args({ key: 'restore' }))).toMatchObject({ id: state.id, active: true, lookupKey: 'restore' });
  });

  it('creates a metered price on a Billing meter with a decimal amount', async () => {
    const meter = await createMeter(stripe, { eventName: 'tokens', displayName: 'Tokens' });
    const state = await createPrice(stripe, args({ key: 'tokens', unitAmount: undefined, unitAmountDecimal: '0.05', usageType: 'metered', meterId: meter.id }));
    expect(state).toMatchObject({ unitAmount: null, unitAmountDecimal: '0.05', usageType: 'metered', meterId: meter.id });
    expect(diffMeter(meter, { eventName: 'tokens', displayName: 'Tokens' }).changes).toBe(false);
    expect(diffMeter(meter, { eventName: 'tokens', displayName: 'Tokens', aggregation: 'count' })).toEqual({ changes: true, replaces: ['aggregation'], deleteBeforeReplace: true });
    expect(diffMeter(meter, { eventName: 'tokens2', displayName: 'Tokens' })).toEqual({ changes: true, replaces: ['eventName'], deleteBeforeReplace: false });
    await deleteMeter(stripe, meter.id);
    expect(dashboard().meters.require(meter.id).status).toBe('inactive');
  });
});

describe('the Stripe webhook endpoint', () => {
  const args = { url: 'https://shop.example.com/api/webhooks/stripe', enabledEvents: ['invoice.paid', 'checkout.session.completed'] };

  it('keeps the signing secret from create through read and update', async () => {
    const state = await createWebhookEndpoint(stripe, args);
    expect(state.secret).toMatch(/^whsec_/);
    expect(state.enabledEvents).toEqual(['checkout.session.completed', 'invoice.paid']);
    expect(await readWebhookEndpoint(stripe, state.id, state.secret)).toEqual(state);
    const updated = await updateWebhookEndpoint(stripe, state.id, state.secret, { ...args, enabledEvents: ['invoice.paid'] });
    expect(updated).toMatchObject({ secret: state.secret, enabledEvents: ['invoice.paid'] });
  });

  it('diffs URL and events as updates and the API version as a replacement', async () => {
    const state = await createWebhookEndpoint(stripe, { ...args, description: 'diff' });
    expect(diffWebhookEndpoint(state, { ...args, description: 'diff', enabledEvents: [...args.enabledEvents].reverse() }).changes).toBe(false);
    expect(diffWebhookEndpoint(state, { ...args, description: 'diff', url: 'https://shop.example.com/hook' })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(diffWebhookEndpoint(state, { ...args, description: 'diff', apiVersion: '2026-10-28.endive' })).toEqual({ changes: true, replaces: ['apiVersion'], deleteBeforeReplace: false });
    const versioned = { ...state, apiVersion: '2026-01-28.clover' };
    expect(diffWebhookEndpoint(versioned, { ...args, description: 'diff' }).changes).toBe(false);
  });

  it('refresh sees an endpoint disabled and stripped of events in the Dashboard; the update re-enables it; delete removes it', async () => {
    const state = await createWebhookEndpoint(stripe, { ...args, description: 'refresh' });
    Object.assign(dashboard().webhookEndpoints.require(state.id), { status: 'disabled', enabled_events: ['invoice.paid'] });
    const refreshed = await readWebhookEndpoint(stripe, state.id, state.secret);
    expect(refreshed).toMatchObject({ status: 'disabled', enabledEvents: ['invoice.paid'] });
    expect(diffWebhookEndpoint(refreshed ?? state, { ...args, description: 'refresh' }).changes).toBe(true);
    expect(await updateWebhookEndpoint(stripe, state.id, state.secret, { ...args, description: 'refresh' })).toMatchObject({ status: 'enabled', enabledEvents: ['checkout.session.completed', 'invoice.paid'] });
    await deleteWebhookEndpoint(stripe, state.id);
    expect(await readWebhookEndpoint(stripe, state.id, state.secret)).toBeUndefined();
    await expect(deleteWebhookEndpoint(stripe, state.id)).resolves.toBeUndefined();
  });
});

describe('the billing portal configuration', () => {
  it('is created with the spec features, read back after a Dashboard change, and restored by the update', async () => {
    const productId = (await createProduct(stripe, { key: 'portal', name: 'Portal' })).id;
    const price = await createPrice(stripe, { key: 'portal', productId, currency: 'usd', unitAmount: 900, interval: 'month', usageType: 'licensed' });
    const args = { allowCancel: true, allowPlanChange: true, products: [{ product: productId, prices: [price.id] }], returnUrl: 'https://shop.example.com' };
    const state = await createBillingPortal(stripe, args);
    expect(state).toMatchObject({ active: true, isDefault: false, allowCancel: true, allowPlanChange: true, paymentMethodUpdate: true, invoiceHistory: true, returnUrl: 'https://shop.example.com' });
    expect(diffBillingPortal(state, args)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(diffBillingPortal(state, { ...args, allowCancel: false })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    dashboard().portalConfigurations.require(state.id).features.subscription_cancel.enabled = false;
    const refreshed = await readBillingPortal(stripe, state.id);
    expect(refreshed?.allowCancel).toBe(false);
    expect(diffBillingPortal(refreshed ?? state, args).changes).toBe(true);
    expect((await updateBillingPortal(stripe, state.id, args)).allowCancel).toBe(true);
    await billingPortalOps.delete(stripe, state.id, state);
    expect(dashboard().portalConfigurations.require(state.id).active).toBe(false);
  });

  it('reads the plan-change products back (Stripe returns them only when expanded), so a refresh shows no change', async () => {
    const productId = (await createProduct(stripe, { key: 'portal-read', name: 'Portal read' })).id;
    const price = await createPrice(stripe, { key: 'portal-read', productId, currency: 'usd', unitAmount: 900, interval: 'month', usageType: 'licensed' });
    const args = { allowCancel: true, allowPlanChange: true, products: [{ product: productId, prices: [price.id] }], returnUrl: 'https://shop.example.com' };
    const state = await createBillingPortal(stripe, args);
    const plain = await stripe.billingPortal.configurations.retrieve(state.id);
    expect('products' in plain.features.subscription_update).toBe(false);
    const refreshed = await readBillingPortal(stripe, state.id);
    expect(refreshed?.products).toEqual(args.products);
    expect(diffBillingPortal(refreshed ?? state, args)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    await billingPortalOps.delete(stripe, state.id, state);
  });
});

/** The outputs of a create; the dynamic provider contract makes them optional, ours always returns them. */
function outsOf<T>(created: { readonly outs?: T }): T {
  if (created.outs === undefined) throw new Error('the provider returned no outputs');
  return created.outs;
}

describe('the dynamic providers', () => {
  const conn = () => ({ apiKey: api.keys.secret.live, baseUrl: api.url });

  it('check rejects a missing or malformed key and bad inputs, and lets a preview-time unknown through', async () => {
    const provider = stripeProvider(priceOps);
    const price: PriceArgs = { key: 'k', productId: 'prod_1', currency: 'usd', interval: 'month', usageType: 'licensed' };
    expect((await provider.check?.({} as never, { ...price, apiKey: 'pk_live_x' } as never))?.failures).toEqual([
      { property: 'apiKey', reason: 'must be a Stripe secret or restricted key (sk_… or rk_…)' },
      { property: 'unitAmount', reason: 'set exactly one of unitAmount and unitAmountDecimal' },
    ]);
    expect((await provider.check?.({} as never, { ...price, unitAmount: 1, apiKey: '04da6b54-80e4-46f7-96ec-b56ff0331ba9' } as never))?.failures).toEqual([]);
  });

  it('keep the key and base URL in the state so read and delete reach Stripe after a restart', async () => {
    const provider = stripeProvider(productOps);
    const created = await provider.create({ ...conn(), key: 'state', name: 'State' });
    const outs = outsOf(created);
    expect(outs).toMatchObject({ id: created.id, apiKey: api.keys.secret.live, baseUrl: api.url, key: 'state', name: 'State', active: true });
    dashboard().products.require(created.id).name = 'Renamed';
    const read = await provider.read?.(created.id, outs);
    expect(read).toMatchObject({ id: created.id, props: { name: 'Renamed', apiKey: api.keys.secret.live } });
    expect(await provider.diff?.(created.id, outs, { ...conn(), key: 'state', name: 'State' })).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(await provider.diff?.(created.id, outs, { ...conn(), apiKey: api.keys.secret.test.replace('test', 'live'), key: 'state', name: 'State' })).toMatchObject({ changes: true, replaces: [] });
    await provider.delete?.(created.id, outs);
    expect(dashboard().products.require(created.id).active).toBe(false);
  });

  it('report a deleted object with no id on read, so refresh drops it', async () => {
    const provider = stripeProvider(webhookEndpointOps);
    const created = await provider.create({ ...conn(), url: 'https://shop.example.com/api/webhooks/stripe', enabledEvents: ['invoice.paid'] });
    const outs = outsOf(created);
    expect(outs.secret).toMatch(/^whsec_/);
    dashboard().webhookEndpoints.delete(created.id);
    expect(await provider.read?.(created.id, outs)).toEqual({});
  });

  it('serialize without the key or the SDK, and the deserialized provider creates against Stripe', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'test/infra/providers/serialize-stripe-providers.ts'], { cwd: process.cwd(), timeout: 60_000 });
    const out = JSON.parse(stdout) as { serialized: Record<string, { text: string; containsSecrets: boolean }>; created: { id: string; outs: Record<string, unknown> }; stored: string[] };
    expect(Object.keys(out.serialized)).toEqual(['Product', 'Price', 'BillingMeter', 'WebhookEndpoint', 'BillingPortalConfiguration']);
    for (const { text, containsSecrets } of Object.values(out.serialized)) {
      expect(containsSecrets).toBe(false);
      expect(text).not.toMatch(/\b(sk|rk)_(live|test)_/);
      // The SDK is imported inside the calls, not captured: no module body is inlined.
      expect(text).not.toMatch(/StripeResource|require\("stripe"\)/);
      expect(text).toMatch(/import\("stripe"\)/);
    }
    expect(out.created.outs).toMatchObject({ key: 'pro', name: 'Pro', active: true, livemode: true });
    expect(out.stored).toEqual([out.created.id]);
  });
});
