import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PROVIDER_KEY, serializeProviders, useDynamicProviders, type DynamicProviderProcess, type Props, type SerializedProvider } from '../helpers/engine/dynamic-provider.js';
import { startFixtureServer, type FixtureServer } from '../helpers/engine/stripe-fixture-server.js';

// `pulumi refresh` then `pulumi up` of an unchanged program, against objects shaped exactly as the real
// API returns them (Stripe's published examples, test/fixtures/stripe/fixtures3.json, with only the
// values our program set): each Stripe provider, run by the engine's cmd/dynamic-provider process,
// must read them and then report no change. A fake that returned other shapes could hide a provider
// that shows a change on every `up`.

const root = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const FIXTURES = JSON.parse(readFileSync(new URL('../fixtures/stripe/fixtures3.json', import.meta.url), 'utf8')) as Record<string, Record<string, unknown>>;
const fixture = (kind: string, over: Record<string, unknown>): Record<string, unknown> => ({ ...structuredClone(FIXTURES[kind]), ...over });

const PRODUCT = 'prod_QXg1hqf4jFNsqG';
const PRICE = 'price_1PgafmB7WZ01zgkW6dKueIc5';
const portalFixture = FIXTURES['billing_portal.configuration'] as { features: Record<string, Record<string, unknown>> };
/** The configuration as our provider made it: payment method updates and invoices on, cancel and plan changes per the spec. */
function portal(expand: readonly string[]): Record<string, unknown> {
  const f = structuredClone(portalFixture.features);
  f.payment_method_update = { ...f.payment_method_update, enabled: true };
  f.subscription_cancel = { ...f.subscription_cancel, enabled: true };
  f.subscription_update = { ...f.subscription_update, enabled: true, default_allowed_updates: ['price'] };
  // Stripe includes the products only when expanded.
  if (expand.includes('features.subscription_update.products')) f.subscription_update.products = [{ prices: [PRICE], product: PRODUCT }];
  return fixture('billing_portal.configuration', { features: f, is_default: false, default_return_url: 'https://app.example.com/account' });
}

let server: FixtureServer;
let serialized: Record<string, SerializedProvider> = {};
const provider = useDynamicProviders(root, afterAll);
let p: DynamicProviderProcess;
beforeAll(async () => {
  server = await startFixtureServer({
    [`/v1/products/${PRODUCT}`]: () => fixture('product', { metadata: { prodcheck_key: 'tshirt' } }),
    [`/v1/prices/${PRICE}`]: () => fixture('price', { lookup_key: 'tshirt', metadata: { prodcheck_key: 'tshirt' }, transform_quantity: null, custom_unit_amount: null }),
    '/v1/billing/meters/meter_123': () => fixture('billing.meter', {}),
    '/v1/webhook_endpoints/we_1Pgc6yB7WZ01zgkWzAudq4eU': () => fixture('webhook_endpoint', {}),
    '/v1/billing_portal/configurations/bpc_1Pgc70B7WZ01zgkWSnFO04Vt': portal,
  });
  serialized = await serializeProviders(root);
  p = await provider();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

async function refreshThenDiff(type: string, id: string, args: Props, extraState: Props = {}): Promise<unknown> {
  const connection = { apiKey: 'sk_test_fixture', baseUrl: server.url, [PROVIDER_KEY]: serialized[`stripe:${type}`]?.text };
  const inputs = (await p.check({}, { ...args, ...connection })).inputs;
  const refreshed = await p.read(id, { ...connection, ...extraState, id }, inputs);
  expect(refreshed.id).toBe(id);
  return p.diff(id, refreshed.props, inputs);
}

const NONE = { changes: 'none', replaces: [] };

describe("Stripe's published objects, refreshed through the engine's provider process, show no change", () => {
  test('Product', async () => {
    expect(await refreshThenDiff('Product', PRODUCT, { key: 'tshirt', name: 'T-shirt', description: 'Comfortable gray cotton t-shirt' })).toMatchObject(NONE);
  });

  test('Price with a whole amount, given as unitAmount or as unitAmountDecimal (Stripe returns both forms)', async () => {
    const price = { key: 'tshirt', productId: PRODUCT, currency: 'usd', interval: 'month', usageType: 'licensed' };
    expect(await refreshThenDiff('Price', PRICE, { ...price, unitAmount: 2000 })).toMatchObject(NONE);
    expect(await refreshThenDiff('Price', PRICE, { ...price, unitAmountDecimal: '2000' })).toMatchObject(NONE);
    expect(await refreshThenDiff('Price', PRICE, { ...price, unitAmountDecimal: '2000.00' })).toMatchObject(NONE);
    expect(await refreshThenDiff('Price', PRICE, { ...price, unitAmountDecimal: '2000.5' })).toMatchObject({ changes: 'some', replaces: ['unitAmount', 'unitAmountDecimal'] });
  });

  test('BillingMeter', async () => {
    expect(await refreshThenDiff('BillingMeter', 'meter_123', { eventName: 'test-meter-event-name', displayName: 'test-meter', aggregation: 'sum' })).toMatchObject(NONE);
  });

  test('WebhookEndpoint (the signing secret, returned on create only, stays from the state)', async () => {
    const args = { url: 'https://example.com/my/webhook/endpoint', enabledEvents: ['charge.succeeded', 'charge.failed'], description: 'This is my webhook, I like it a lot' };
    expect(await refreshThenDiff('WebhookEndpoint', 'we_1Pgc6yB7WZ01zgkWzAudq4eU', args, { secret: 'whsec_from_create' })).toMatchObject(NONE);
  });

  test('BillingPortalConfiguration: read with the products expanded, so the plan list is seen', async () => {
    const args = { allowCancel: true, allowPlanChange: true, products: [{ product: PRODUCT, prices: [PRICE] }], returnUrl: 'https://app.example.com/account' };
    expect(await refreshThenDiff('BillingPortalConfiguration', 'bpc_1Pgc70B7WZ01zgkWSnFO04Vt', args)).toMatchObject(NONE);
    expect(server.requests).toContain('GET /v1/billing_portal/configurations/bpc_1Pgc70B7WZ01zgkWSnFO04Vt?expand[0]=features.subscription_update.products');
  });
});
