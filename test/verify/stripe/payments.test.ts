import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { targetsSchema, type Targets } from '../../../spec/index.js';
import { fingerprint, Redactor } from '../../../report/redact.js';
import { runVerify } from '../../../verify/runner.js';
import { MAX_PAYMENT_INTENTS, stripeFamily, stripePaymentsFlowing, type StripeSnapshot } from '../../../verify/stripe/index.js';
import type { TargetFamily } from '../../../verify/types.js';
import { startStripeApi, type StripeApiServer } from '../../fixtures/stripe-api/index.js';
import { startHostileApi } from '../../helpers/hostile-api.js';
import { HEALTHY, stripeStack } from './fixture.js';

const PAYMENTS = { windowHours: 24, minCount: 5, maxFailureShare: 0.2 };
const SPEC = stripeStack({ payments: PAYMENTS });
let api: StripeApiServer;

beforeAll(async () => {
  api = await startStripeApi();
});
afterAll(async () => {
  await api.stop();
});
beforeEach(() => {
  for (const mode of ['live', 'test'] as const) for (const pi of api.data(mode).paymentIntents.all()) api.data(mode).paymentIntents.delete(pi.id);
});

const client = (key = api.keys.secret.live) => new Stripe(key, { host: '127.0.0.1', port: api.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });

/** Customers paying as the app's checkout does: confirmed at once with a card. */
async function pay(succeeded: number, declined: number, key = api.keys.secret.live): Promise<void> {
  const stripe = client(key);
  for (let i = 0; i < succeeded; i++) await stripe.paymentIntents.create({ amount: 2900, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, automatic_payment_methods: { enabled: true, allow_redirects: 'never' } });
  for (let i = 0; i < declined; i++) {
    await stripe.paymentIntents
      .create({ amount: 2900, currency: 'usd', payment_method: i % 2 ? 'pm_card_chargeDeclinedInsufficientFunds' : 'pm_card_chargeDeclined', confirm: true, automatic_payment_methods: { enabled: true, allow_redirects: 'never' } })
      .then(
        () => Promise.reject(new Error('a declined card must fail the confirmation')),
        (e: unknown) => expect(e).toMatchObject({ type: 'StripeCardError', statusCode: 402, code: 'card_declined' }),
      );
  }
}

const targets = (patch: Record<string, unknown> = {}): Targets => targetsSchema.parse({ stripe: { apiKey: api.keys.secret.live, baseUrl: api.url, timeoutMs: 5_000, ...patch } });
async function judge(t: Targets = targets(), spec = SPEC): Promise<string[]> {
  const report = await runVerify({ stack: 'test', spec, targets: t, families: [stripeFamily as TargetFamily<unknown>], redactor: new Redactor(), select: (id) => id === 'stripe.payments-flowing' || id === 'stripe.account.live', active: false });
  return report.results.filter((r) => r.control === 'stripe.payments-flowing').map((r) => `${r.status}: ${r.message}`);
}
const declinedIds = () => api.data('live').paymentIntents.all().filter((pi) => pi.status !== 'succeeded').map((pi) => pi.id);

describe('the local Stripe API: payment intents', () => {
  it('confirms with test cards, keeps a declined one with its last_payment_error, and lists by created range', async () => {
    await pay(1, 1);
    const [declined, ok] = (await client().paymentIntents.list({ limit: 10 })).data;
    expect(ok).toMatchObject({ object: 'payment_intent', status: 'succeeded', amount_received: 2900, livemode: true, last_payment_error: null });
    expect(declined).toMatchObject({ status: 'requires_payment_method', last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline' } });
    const now = Math.floor(Date.now() / 1000);
    expect((await client().paymentIntents.list({ created: { gte: now + 60 } })).data).toEqual([]);
    expect((await client(api.keys.secret.test).paymentIntents.list()).data).toEqual([]);
    const rk = client(api.restrictedKey('live', { balance: 'read' }));
    await expect(rk.paymentIntents.list()).rejects.toMatchObject({ type: 'StripePermissionError', message: expect.stringContaining("'rak_payment_intent_read'") });
  });
});

describe('stripe.payments-flowing', () => {
  it('passes when payments succeed at an acceptable rate', async () => {
    await pay(9, 1);
    expect(await judge()).toEqual(['pass: Payments are flowing: 9 of 10 finished payments in the last 24 h succeeded (10% failed, at most 20% allowed).']);
  });

  it('fails when most payments fail, quoting the decline codes', async () => {
    await pay(2, 8);
    const ids = declinedIds();
    expect(await judge()).toEqual([
      `fail: 80% of payments failed in the last 24 h (8 of 10; at most 20% may): ${ids[0]} insufficient_funds, ${ids[1]} generic_decline, ${ids[2]} insufficient_funds.`,
    ]);
  });

  it('fails when no payment succeeded', async () => {
    await pay(0, 5);
    const ids = declinedIds();
    expect(await judge()).toEqual([`fail: No payment succeeded in the last 24 h: all 5 finished payments failed (${ids[0]} generic_decline, ${ids[1]} insufficient_funds, ${ids[2]} generic_decline).`]);
  });

  it('skips with the reason when there is no traffic yet (right after launch), and leaves payments older than the window out', async () => {
    expect(await judge()).toEqual([
      'skip: Only 0 payments finished in the last 24 h (0 still open), fewer than prodcheck:stripe.payments.minCount (5): no traffic to judge yet, e.g. right after launch.',
    ]);
    await pay(0, 6);
    for (const pi of api.data('live').paymentIntents.all()) pi.created -= 25 * 3600;
    await pay(2, 0);
    await client().paymentIntents.create({ amount: 2900, currency: 'usd' });
    expect(await judge()).toEqual([
      'skip: Only 2 payments finished in the last 24 h (1 still open), fewer than prodcheck:stripe.payments.minCount (5): no traffic to judge yet, e.g. right after launch.',
    ]);
  });

  it('skips a test key saying so, unless the spec allows test mode', async () => {
    await pay(5, 0, api.keys.secret.test);
    expect(await judge(targets({ apiKey: api.keys.secret.test }))).toEqual([
      `skip: Skipped: targets stripe.apiKey is a test key (${fingerprint(api.keys.secret.test)}), which sees no live payments; use a live read key, or set prodcheck:stripe.payments.allowTestMode to judge test payments.`,
    ]);
    const allowed = stripeStack({ payments: { ...PAYMENTS, allowTestMode: true } });
    expect(await judge(targets({ apiKey: api.keys.secret.test }), allowed)).toEqual(['pass: Payments are flowing: 5 of 5 finished payments in the last 24 h succeeded (0% failed, at most 20% allowed).']);
  });

  it('skips when the stack does not ask for it, and a refused read is an error naming the permission', async () => {
    expect(await judge(targets(), stripeStack())).toEqual(['skip: Skipped: the stack sets no prodcheck:stripe.payments (windowHours, minCount, maxFailureShare) to judge live payments by.']);
    const rk = api.restrictedKey('live', { account: 'read', balance: 'read', prices: 'read', webhook_endpoints: 'read', events: 'read', billing_portal: 'read', tax: 'read', payment_method_configurations: 'read' });
    const [line] = await judge(targets({ apiKey: rk }));
    expect(line).toMatch(/^error: Could not read recent payments: Stripe refused the restricted key read access to payment intents \(403 StripePermissionError: .*\): grant it "PaymentIntents: Read" in the Dashboard \(Developers → API keys\), which Stripe names rak_payment_intent_read\.$/);
  });

  it('reads at most MAX_PAYMENT_INTENTS, newest first, and says the figures are over those', () => {
    const s: StripeSnapshot = { ...HEALTHY, payments: { ok: true, value: { windowHours: 24, read: MAX_PAYMENT_INTENTS, capped: true, succeeded: 990, failed: 10, open: 0, sampleFailures: [], livemode: true } } };
    expect(stripePaymentsFlowing.evaluate(s, SPEC).map((f) => `${f.status}: ${f.message}`)).toEqual([
      'pass: Payments are flowing: 990 of 1000 finished payments in the last 24 h (the newest 1000 of more) succeeded (1% failed, at most 20% allowed).',
    ]);
  });

  it('a hung or flooding Stripe is an error, never a pass', async () => {
    for (const kind of ['hang', 'flood'] as const) {
      const hostile = await startHostileApi((req) => (req.url?.startsWith('/v1/payment_intents') ? { kind } : { kind: 'status', status: 200, body: JSON.stringify({ object: 'account', id: 'acct_1', charges_enabled: true, payouts_enabled: true, details_submitted: true, requirements: {} }) }));
      try {
        const [line] = await judge(targets({ baseUrl: hostile.url, timeoutMs: 500 }));
        expect(line).toMatch(/^error: Could not read recent payments: reading payment intents failed \(.*(did not answer within 500 ms|timeout being reached \(500ms\)|answered with a body larger than \d+ bytes).*\)\.$/);
      } finally {
        await hostile.close();
      }
    }
  });
});
