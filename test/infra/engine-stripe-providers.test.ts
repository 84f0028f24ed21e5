import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startStripeApi, type StripeApiServer } from '../fixtures/stripe-api/index.js';
import { PROVIDER_KEY, serializeProviders, useDynamicProviders, type DynamicProviderProcess, type Props, type SerializedProvider } from '../helpers/engine/dynamic-provider.js';

// Every Stripe dynamic provider as the engine runs it: serialized into `__provider` by the program's
// process, loaded by a fresh plain-Node `@pulumi/pulumi/cmd/dynamic-provider`, driven over gRPC against
// the local Stripe API on 127.0.0.1 in the engine's order: Check, Create, Read (refresh), Check+Diff of
// the unchanged program (must be no change), Check+Diff+Update of a changed one, Delete from a later
// provider process.

const root = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
let api: StripeApiServer;
let serialized: Record<string, SerializedProvider> = {};
const provider = useDynamicProviders(root, afterAll);

beforeAll(async () => {
  [serialized, api] = await Promise.all([serializeProviders(root), startStripeApi()]);
}, 120_000);
afterAll(async () => {
  await api?.stop();
});

const inputs = (type: string, args: Props): Props => ({ apiKey: api.keys.secret.test, baseUrl: api.url, ...args, [PROVIDER_KEY]: serialized[`stripe:${type}`]?.text });

interface Lifecycle {
  readonly type: string;
  readonly args: () => Props;
  /** An in-place change of the program. */
  readonly change: (a: Props) => Props;
  /** What the state holds after the change. */
  readonly changed: Props;
}

/** Runs one resource's life as the engine does and returns the provider process for more checks. */
async function lifecycle(l: Lifecycle, args: Props): Promise<{ p: DynamicProviderProcess; id: string; state: Props; checked: Props }> {
  const p = await provider();
  const checked = await p.check({}, inputs(l.type, args));
  expect(checked.failures).toEqual([]);
  const created = await p.create(checked.inputs);
  expect(created.props[PROVIDER_KEY]).toBe(serialized[`stripe:${l.type}`]?.text);
  const refreshed = await p.read(created.id, created.props, checked.inputs);
  expect(refreshed.id).toBe(created.id);
  // The next `pulumi up` of the same program after a refresh: nothing to do.
  const again = (await p.check(checked.inputs, inputs(l.type, args))).inputs;
  expect(await p.diff(created.id, refreshed.props, again)).toMatchObject({ changes: 'none', replaces: [] });
  return { p, id: created.id, state: refreshed.props, checked: checked.inputs };
}

async function productId(): Promise<string> {
  const p = await provider();
  return (await p.create((await p.check({}, inputs('Product', { key: `k${Date.now()}`, name: 'Base' }))).inputs)).id;
}
async function meterId(eventName: string): Promise<string> {
  const p = await provider();
  return (await p.create((await p.check({}, inputs('BillingMeter', { eventName, displayName: 'Tokens' }))).inputs)).id;
}

describe('the Stripe providers in a fresh cmd/dynamic-provider process', () => {
  test('serialized without the SDK or a key in their closures', () => {
    expect(Object.keys(serialized).filter((k) => k.startsWith('stripe:'))).toEqual(['stripe:Product', 'stripe:Price', 'stripe:BillingMeter', 'stripe:WebhookEndpoint', 'stripe:BillingPortalConfiguration']);
    for (const s of Object.values(serialized)) {
      expect(s.containsSecrets).toBe(false);
      // A later `pulumi destroy` may run on another machine (a laptop after CI): no path of this one.
      expect(s.text).not.toContain(root);
      expect(s.text).not.toMatch(/sk_(live|test)_/);
    }
    expect(serialized['stripe:Product']?.text).toContain('import("stripe")');
  });

  const cases: Lifecycle[] = [
    { type: 'Product', args: () => ({ key: 'pro', name: 'Pro', description: 'The pro plan' }), change: (a) => ({ ...a, name: 'Pro plus' }), changed: { name: 'Pro plus', active: true } },
    { type: 'BillingMeter', args: () => ({ eventName: 'engine_tokens', displayName: 'Tokens', aggregation: 'sum' }), change: (a) => ({ ...a, displayName: 'LLM tokens' }), changed: { displayName: 'LLM tokens', active: true } },
    {
      type: 'WebhookEndpoint',
      args: () => ({ url: 'https://app.example.com/api/stripe/webhook', enabledEvents: ['customer.subscription.deleted', 'checkout.session.completed'], description: 'prodcheck' }),
      change: (a) => ({ ...a, enabledEvents: ['checkout.session.completed', 'customer.subscription.deleted', 'invoice.payment_failed'] }),
      changed: { enabledEvents: ['checkout.session.completed', 'customer.subscription.deleted', 'invoice.payment_failed'], status: 'enabled' },
    },
  ];

  test.each(cases)('$type: create, refresh, no change for the same program, update in place, delete from a later process', async (l) => {
    const { p, id, state, checked } = await lifecycle(l, l.args());
    const news = (await p.check(checked, inputs(l.type, l.change(l.args())))).inputs;
    // (deleteBeforeReplace only matters with a replacement: the meter says true, as one event name has one active meter.)
    expect(await p.diff(id, state, news)).toMatchObject({ changes: 'some', replaces: [] });
    const updated = await p.update(id, state, news);
    expect(updated).toMatchObject(l.changed);
    const later = await provider();
    await later.delete(id, updated);
    expect(p.stderr() + later.stderr()).toBe('');
  });

  test('a refresh of an object deleted outside Pulumi answers an empty id (the engine drops it from the state)', async () => {
    const l = cases.find((c) => c.type === 'WebhookEndpoint') as Lifecycle;
    const { p, id, state } = await lifecycle(l, l.args());
    await p.delete(id, state);
    const gone = await p.read(id, state);
    expect(gone.id).toBe('');
    expect(gone.props).toEqual({ [PROVIDER_KEY]: serialized['stripe:WebhookEndpoint']?.text });
    expect(p.stderr()).toBe('');
  });

  test('Price: a whole amount (unitAmount) and a decimal one (unitAmountDecimal) show no change after a refresh; a new amount replaces', async () => {
    const product = await productId();
    const price: Lifecycle = { type: 'Price', args: () => ({ key: 'pro', productId: product, currency: 'usd', unitAmount: 2000, interval: 'month', usageType: 'licensed' }), change: (a) => a, changed: {} };
    const { p, id, state, checked } = await lifecycle(price, price.args());
    expect(state).toMatchObject({ unitAmount: 2000, unitAmountDecimal: null, lookupKey: 'pro' });
    const dearer = (await p.check(checked, inputs('Price', { ...price.args(), unitAmount: 2500 }))).inputs;
    expect(await p.diff(id, state, dearer)).toEqual({ changes: 'some', replaces: ['unitAmount'], deleteBeforeReplace: false });

    const whole: Lifecycle = { ...price, args: () => ({ key: 'team', productId: product, currency: 'usd', unitAmountDecimal: '5000', interval: 'month', usageType: 'licensed' }) };
    await lifecycle(whole, whole.args());
    const fraction: Lifecycle = { ...price, args: () => ({ key: 'api', productId: product, currency: 'usd', unitAmountDecimal: '0.25', interval: 'month', usageType: 'metered', meterId: meterIdValue }) };
    const meterIdValue = await meterId('engine_api_calls');
    const metered = await lifecycle(fraction, fraction.args());
    expect(metered.state).toMatchObject({ unitAmount: null, unitAmountDecimal: '0.25', meterId: meterIdValue });
  });

  test('BillingPortalConfiguration: products to switch between survive a refresh without a change', async () => {
    const product = await productId();
    const pp = await provider();
    const priceId = (await pp.create((await pp.check({}, inputs('Price', { key: 'portal', productId: product, currency: 'usd', unitAmount: 900, interval: 'month', usageType: 'licensed' }))).inputs)).id;
    const portal: Lifecycle = {
      type: 'BillingPortalConfiguration',
      args: () => ({ allowCancel: true, allowPlanChange: true, products: [{ product, prices: [priceId] }], returnUrl: 'https://app.example.com/account' }),
      change: (a) => ({ ...a, allowCancel: false }),
      changed: { allowCancel: false, active: true },
    };
    const { p, id, state, checked } = await lifecycle(portal, portal.args());
    expect(state).toMatchObject({ products: [{ product, prices: [priceId] }] });
    const news = (await p.check(checked, inputs(portal.type, portal.change(portal.args())))).inputs;
    expect(await p.diff(id, state, news)).toEqual({ changes: 'some', replaces: [], deleteBeforeReplace: false });
    expect(await p.update(id, state, news)).toMatchObject(portal.changed);
  });
});
