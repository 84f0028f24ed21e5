import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stripeClient } from '../../../infra/providers/stripe/index.js';
import { provisionStripe, type Provisioned } from '../../../sandbox/stripe/index.js';
import { targetsSchema, type StackSpec, type Targets } from '../../../spec/index.js';
import { fingerprint, Redactor } from '../../../report/redact.js';
import { runVerify } from '../../../verify/runner.js';
import { stripeCollector, stripeFamily, type StripeSnapshot } from '../../../verify/stripe/index.js';
import type { TargetFamily } from '../../../verify/types.js';
import type { Result } from '../../../report/types.js';
import { startStripeApi, type StripeApiServer } from '../../fixtures/stripe-api/index.js';
import { stripeStack } from './fixture.js';

const SPEC = stripeStack();
let api: StripeApiServer;
let provisioned: Provisioned;

beforeEach(async () => {
  api = await startStripeApi();
  const stripe = await stripeClient({ apiKey: api.keys.secret.live, baseUrl: api.url });
  if (!SPEC.stripe) throw new Error('the fixture stack has a stripe section');
  provisioned = await provisionStripe(stripe, SPEC, SPEC.stripe);
});
afterEach(async () => {
  await api.stop();
});

function targets(patch: Record<string, unknown> = {}): Targets {
  return targetsSchema.parse({
    stripe: {
      apiKey: api.keys.secret.live,
      baseUrl: api.url,
      timeoutMs: 5_000,
      publishableKey: api.keys.publishable.live,
      priceIds: { STRIPE_PRO_PRICE_ID: provisioned.prices.get('pro')?.id, STRIPE_METERED_PRICE_ID: provisioned.prices.get('metered')?.id },
      usageCustomer: provisioned.usageCustomer,
      ...patch,
    },
  });
}

async function verify(t: Targets = targets(), spec: StackSpec = SPEC): Promise<Result[]> {
  const report = await runVerify({ stack: 'test', spec, targets: t, families: [stripeFamily as TargetFamily<unknown>], redactor: new Redactor(), select: () => true, active: false });
  return [...report.results];
}

const of = (results: readonly Result[], control: string) => results.filter((r) => r.control === control).map((r) => `${r.status}: ${r.message}`);

describe('the stripe collector', () => {
  it('reads a provisioned account with GET requests only, and every check passes', async () => {
    const before = api.requests.length;
    const results = await verify();
    expect(results.filter((r) => r.status !== 'pass').map((r) => `${r.control} ${r.status}: ${r.message}`)).toEqual([
      // Judged with the Vercel project: test/verify/stripe/app-secret.test.ts.
      'env.stripe-webhook-secret skip: Not judged: the targets file has no vercel section, so STRIPE_WEBHOOK_SECRET as the production app holds it was not read.',
      'stripe.payments-flowing skip: Skipped: the stack sets no prodcheck:stripe.payments (windowHours, minCount, maxFailureShare) to judge live payments by.',
    ]);
    expect(results).toHaveLength(18);
    const made = api.requests.slice(before);
    expect(made.length).toBeGreaterThan(10);
    expect(made.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('gathers the snapshot the checks judge', async () => {
    const s: StripeSnapshot = await stripeCollector.collect({ spec: SPEC, targets: targets(), active: false, redactor: new Redactor(), signal: new AbortController().signal });
    const pro = provisioned.prices.get('pro');
    expect(s.account).toEqual({ ok: true, value: { id: api.account.id, chargesEnabled: true, payoutsEnabled: true, detailsSubmitted: true, disabledReason: null } });
    expect(s.key).toMatchObject({ kind: 'secret', mode: 'live' });
    expect(s.prices.ok && s.prices.value.find((p) => p.lookupKey === 'pro')).toEqual({
      id: pro?.id,
      active: true,
      livemode: true,
      lookupKey: 'pro',
      currency: 'usd',
      unitAmount: 2000,
      unitAmountDecimal: '2000',
      interval: 'month',
      usageType: 'licensed',
      meter: null,
      product: { id: provisioned.products.get('pro')?.id, name: 'Pro', active: true, key: 'pro' },
    });
    expect(s.webhookEndpoints.ok && s.webhookEndpoints.value.map((e) => [e.url, e.status, e.livemode])).toEqual([['https://shop.example.com/api/webhooks/stripe', 'enabled', true]]);
    expect(s.failedEvents).toEqual({ ok: true, value: { count: 0, capped: false, sample: [], windowHours: 24 } });
    expect(s.taxStatus).toEqual({ ok: true, value: 'active' });
    expect(s.usage).toEqual({ ok: true, value: [{ meter: provisioned.meters.get('metered')?.id, customer: provisioned.usageCustomer, total: 1, windowHours: 24 }] });
    expect(s.appKey).toMatchObject({ source: 'apiKey', answer: { ok: true, value: { livemode: true } } });
  });

  it('counts failed deliveries inside the window only', async () => {
    const now = Math.floor(Date.now() / 1000);
    const a = api.addEvent('live', { type: 'invoice.paid', delivered: false });
    const b = api.addEvent('live', { type: 'invoice.payment_failed', delivered: false, created: now - 3600 });
    api.addEvent('live', { type: 'invoice.paid', delivered: false, created: now - 25 * 3600 });
    api.addEvent('live', { type: 'invoice.paid' });
    expect(of(await verify(), 'stripe.webhook.delivery')).toEqual([
      `fail: Stripe must have at most 1 events with failed webhook deliveries in the last 24 h (found 2: ${a.id} invoice.paid, ${b.id} invoice.payment_failed).`,
    ]);
  });

  it('sees an account that cannot take charges', async () => {
    api.setAccount({ charges_enabled: false, details_submitted: false });
    expect(of(await verify(), 'stripe.account.live')).toEqual([`fail: Stripe account ${api.account.id} must be activated for live payments with a live key (found charges_enabled false, details_submitted false).`]);
  });

  it('fails the live-key controls for a test key on a production stack', async () => {
    const results = await verify(targets({ apiKey: api.keys.secret.test, secretKey: undefined }));
    const fp = fingerprint(api.keys.secret.test);
    expect(of(results, 'stripe.account.live')).toEqual([`fail: Stripe account ${api.account.id} must be activated for live payments with a live key (found a test key (${fp})).`]);
    expect(of(results, 'env.stripe-secret-key')).toEqual([`fail: STRIPE_SECRET_KEY must be a live-mode key on a production stack (found a test key: ${fp}).`]);
  });

  it("judges the app's own secret key when it differs from the key verify reads with", async () => {
    const rejected = `sk_live_${'9'.repeat(40)}`;
    expect(of(await verify(targets({ secretKey: rejected })), 'env.stripe-secret-key')).toEqual([
      `fail: STRIPE_SECRET_KEY must be a live-mode key on a production stack (found ${fingerprint(rejected)}, which Stripe rejects: 401 StripeAuthenticationError: Invalid API Key provided: sk_live_************************************9999).`,
    ]);
  });

  it('reads price env vars by id, including a price that does not exist', async () => {
    const results = await verify(targets({ priceIds: { STRIPE_PRO_PRICE_ID: 'price_nothing', STRIPE_METERED_PRICE_ID: provisioned.prices.get('metered')?.id } }));
    expect(of(results, 'env.stripe-price-ids')[1]).toBe('fail: STRIPE_PRO_PRICE_ID must refer to an active live price of "Pro" (2000 usd/month licensed) (found price_nothing: no such price).');
  });

  it('reports a rejected key as could-not-check on stripe.account.live and skips the rest', async () => {
    const bad = `sk_live_${'0'.repeat(40)}`;
    const results = await verify(targets({ apiKey: bad }));
    expect(of(results, 'stripe.account.live')).toEqual([
      `error: stripe could not be reached: ${api.url}: Stripe rejected the API key reading the account (401 StripeAuthenticationError: Invalid API Key provided: sk_live_************************************0000): set targets stripe.apiKey to a live secret key or a restricted key with read access.`,
    ]);
    expect(results.filter((r) => r.control !== 'stripe.account.live').every((r) => r.status === 'skip' && r.message.startsWith('skipped: stripe could not be reached'))).toBe(true);
  });

  it('names the permission a restricted key lacks', async () => {
    const rk = api.restrictedKey('live', { account: 'read', balance: 'read', prices: 'read', products: 'read', events: 'read', billing_portal: 'read', tax: 'read', payment_method_configurations: 'read', billing_meters: 'read' });
    const results = await verify(targets({ apiKey: rk, secretKey: api.keys.secret.live }));
    expect(of(results, 'stripe.webhook.endpoint')).toEqual([
      `error: Could not read Stripe webhook endpoints: Stripe refused the restricted key read access to webhook endpoints (403 StripePermissionError: The provided key '${rk.slice(0, 8)}${'*'.repeat(rk.length - 12)}${rk.slice(-4)}' does not have the required permissions for this endpoint on account '${api.account.id}'. Having the 'rak_webhook_read' permission would allow this request to continue.): grant it "Webhook Endpoints: Read" in the Dashboard (Developers → API keys), which Stripe names rak_webhook_read.`,
    ]);
    expect(of(results, 'stripe.products-prices').every((m) => m.startsWith('pass: '))).toBe(true);
  });

  it('retries rate limits and dropped connections, and gives up after the bounded retries', async () => {
    api.failNext(2, 'rate_limit');
    expect(of(await verify(), 'stripe.account.live')).toEqual([`pass: Stripe account ${api.account.id} is activated for live payments (charges, payouts and details submitted) and the key is live.`]);
    api.failNext(3, 'rate_limit');
    expect(of(await verify(), 'stripe.account.live')).toEqual([
      `error: stripe could not be reached: ${api.url}: reading the account failed 3 times (429 StripeRateLimitError: Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.).`,
    ]);
    api.failNext(2, 'connection_reset');
    expect(of(await verify(), 'stripe.account.live')[0]).toMatch(/^pass: /);
  });

  it('reports an unreachable API as could-not-check', async () => {
    const url = api.url;
    await api.stop();
    const results = await verify(targets({ baseUrl: url }));
    expect(of(results, 'stripe.account.live')).toEqual([
      `error: stripe could not be reached: ${url}: reading the account failed 3 times (StripeConnectionError: An error occurred with our connection to Stripe. (fetch failed: connect ECONNREFUSED ${new URL(url).host})).`,
    ]);
    api = await startStripeApi();
  });
});
