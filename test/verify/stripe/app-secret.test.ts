import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stripeClient } from '../../../infra/providers/stripe/index.js';
import { Redactor } from '../../../report/redact.js';
import { parseStackConfig, targetsSchema, type Targets } from '../../../spec/index.js';
import { provisionStripe, type Provisioned } from '../../../sandbox/stripe/index.js';
import { runVerify } from '../../../verify/runner.js';
import { envStripeWebhookSecret, stripeFamily, type StripeSnapshot } from '../../../verify/stripe/index.js';
import type { AppWebhookSecret } from '../../../verify/stripe/app-secret.js';
import { startStripeApi, type StripeApiServer } from '../../fixtures/stripe-api/index.js';
import { startVercelApi, type VercelApiServer } from '../../fixtures/vercel-api/index.js';
import { HEALTHY, stripeStack } from './fixture.js';

const KEY = 'STRIPE_WEBHOOK_SECRET';
/** we_1 in the fixture was created at 1_700_000_000 (2023-11-14T22:13:20Z). */
const CREATED_MS = 1_700_000_000_000;
const FIX = "Set STRIPE_WEBHOOK_SECRET for production to endpoint we_1's signing secret (the stack output stripeWebhookSecret) and redeploy.";

const SPEC = stripeStack({}, {}, { [KEY]: { from: 'stripe.webhookSecret' } });
const judge = (app: AppWebhookSecret, s: StripeSnapshot = HEALTHY) => envStripeWebhookSecret.evaluate({ ...s, appWebhookSecret: { ok: true, value: app } }, SPEC).map((f) => [f.status, f.message]);

const readable = (over: Partial<Extract<AppWebhookSecret, { kind: 'value' }>> = {}): AppWebhookSecret => ({ kind: 'value', key: KEY, sha256: 'a1'.repeat(32), expectedSha256: 'a1'.repeat(32), setAt: CREATED_MS + 60_000, ...over });

describe('env.stripe-webhook-secret from the Vercel var and the Stripe endpoint (passive)', () => {
  it('is not an acting check, so drift re-runs it', () => {
    expect(envStripeWebhookSecret.active).toBeUndefined();
    expect(envStripeWebhookSecret.target).toBe('stripe');
  });

  it('passes a readable value equal to the secret the targets name, set after the endpoint was created', () => {
    expect(judge(readable())).toEqual([['pass', `${KEY} in production is the signing secret of Stripe webhook endpoint we_1 (compared with targets http.webhookSecret; neither value is shown).`]]);
  });

  it('fails a readable value that is another secret', () => {
    expect(judge(readable({ sha256: 'b2'.repeat(32) }))).toEqual([
      ['fail', `${KEY} in production is not the signing secret of Stripe webhook endpoint we_1 (the one targets http.webhookSecret names; neither value is shown): every event fails verification. ${FIX}`],
    ]);
  });

  it('fails a var last set before the endpoint was created, readable or not, naming both times', () => {
    const stale = `${KEY} was last set in production at 2023-11-14T21:13:20Z, before Stripe webhook endpoint we_1 for https://shop.example.com/api/webhooks/stripe was created at 2023-11-14T22:13:20Z: Stripe shows a signing secret only when it creates the endpoint, so ${KEY} holds an older secret and every event fails verification. ${FIX}`;
    expect(judge({ kind: 'unreadable', key: KEY, reason: 'Vercel keeps sensitive values write-only', setAt: CREATED_MS - 3_600_000 })).toEqual([['fail', stale]]);
    // Even equal to the targets' secret: that secret was then taken from an older endpoint too.
    expect(judge(readable({ setAt: CREATED_MS - 3_600_000 }))).toEqual([['fail', stale]]);
  });

  it('skips a sensitive var set after the endpoint, saying only its age was judged', () => {
    expect(judge({ kind: 'unreadable', key: KEY, reason: 'Vercel keeps sensitive values write-only', setAt: CREATED_MS + 60_000 })).toEqual([
      [
        'skip',
        `Not judged whether ${KEY} holds the signing secret of Stripe webhook endpoint we_1: Vercel keeps sensitive values write-only. Only its age was judged: it was last set at 2023-11-14T22:14:20Z, after endpoint we_1 was created at 2023-11-14T22:13:20Z, so it is not certainly stale. The --active signed test event judges the value.`,
      ],
    ]);
    expect(judge({ kind: 'unreadable', key: KEY, reason: 'Vercel keeps sensitive values write-only' })[0]?.[1]).toContain('Only its age was judged: Vercel did not say when STRIPE_WEBHOOK_SECRET was last set.');
  });

  it('skips a readable value when the targets name no secret to compare it with', () => {
    expect(judge(readable({ expectedSha256: undefined }))).toEqual([
      [
        'skip',
        `Not judged whether ${KEY} holds the signing secret of Stripe webhook endpoint we_1: the targets name no secret to compare it with (set targets http.webhookSecret, e.g. \${output:stripeWebhookSecret}). Only its age was judged: it was last set at 2023-11-14T22:14:20Z, after endpoint we_1 was created at 2023-11-14T22:13:20Z, so it is not certainly stale.`,
      ],
    ]);
  });

  it('fails a production env without the var, skips without Vercel or endpoint, errors when Vercel could not be read', () => {
    expect(judge({ kind: 'absent', key: KEY })).toEqual([['fail', `The production env has no ${KEY}: the app cannot verify the events Stripe webhook endpoint we_1 sends. ${FIX}`]]);
    expect(judge({ kind: 'no-vercel', key: KEY })).toEqual([['skip', `Not judged: the targets file has no vercel section, so ${KEY} as the production app holds it was not read.`]]);
    expect(judge(readable(), { ...HEALTHY, webhookEndpoints: { ok: true, value: [] } })).toEqual([
      ['skip', `Not judged: no Stripe webhook endpoint for https://shop.example.com/api/webhooks/stripe (see stripe.webhook.endpoint), so no signing secret for ${KEY} to belong to.`],
    ]);
    const failed = envStripeWebhookSecret.evaluate({ ...HEALTHY, appWebhookSecret: { ok: false, error: 'Vercel API 403 on the project env vars' } }, SPEC);
    expect(failed.map((f) => [f.status, f.message])).toEqual([['error', `Could not read ${KEY} from Vercel: Vercel API 403 on the project env vars.`]]);
  });

  it('names the var env.vars sources from stripe.webhookSecret', () => {
    const spec = stripeStack({}, {}, { WEBHOOK_SIGNING: { from: 'stripe.webhookSecret', secret: true } });
    expect(envStripeWebhookSecret.evaluate({ ...HEALTHY, appWebhookSecret: { ok: true, value: { kind: 'absent', key: 'WEBHOOK_SIGNING' } } }, spec)[0]?.message).toMatch(/^The production env has no WEBHOOK_SIGNING:/);
  });
});

describe('env.stripe-webhook-secret against the local Stripe and Vercel APIs', () => {
  let now = Math.floor(Date.now() / 1000);
  let stripe: StripeApiServer;
  let vercel: VercelApiServer;
  let provisioned: Provisioned;
  const spec = parseStackConfig(
    {
      'prodcheck:app': { name: 'shop', domain: 'shop.example.com' },
      'prodcheck:env': { vars: { [KEY]: { from: 'stripe.webhookSecret' } } },
      'prodcheck:stripe': { webhook: { events: ['invoice.paid'] } },
      'prodcheck:vercel': { project: 'shop' },
    },
    'inline',
  ).spec;

  beforeAll(async () => {
    [stripe, vercel] = await Promise.all([startStripeApi({ clock: () => now }), startVercelApi({ project: { name: 'shop' } })]);
  });
  afterAll(async () => {
    await Promise.all([stripe.stop(), vercel.stop()]);
  });
  beforeEach(async () => {
    now = Math.floor(Date.now() / 1000) - 86_400;
    for (const we of stripe.data('live').webhookEndpoints.all()) stripe.data('live').webhookEndpoints.delete(we.id);
    if (!spec.stripe) throw new Error('the stack has a stripe section');
    provisioned = await provisionStripe(await stripeClient({ apiKey: stripe.keys.secret.live, baseUrl: stripe.url }), spec, spec.stripe);
    vercel.state.envs = [];
  });

  const targets = (webhookSecret: string | undefined = provisioned.webhook.secret): Targets =>
    targetsSchema.parse({
      stripe: { apiKey: stripe.keys.secret.live, baseUrl: stripe.url, timeoutMs: 5_000 },
      vercel: { token: vercel.token, baseUrl: vercel.url, timeoutMs: 5_000 },
      ...(webhookSecret ? { http: { webhookSecret } } : {}),
    });
  const verify = async (t: Targets = targets()) => {
    const report = await runVerify({ stack: 'test', spec, targets: t, families: [stripeFamily as never], redactor: new Redactor(), select: () => true, active: false });
    return { report, judged: report.results.filter((r) => r.control === 'env.stripe-webhook-secret').map((r) => [r.status, r.message, r.resource]) };
  };

  it('passes the provisioned secret stored encrypted (decrypted to compare, never printed), and fails another one', async () => {
    const env = vercel.addEnv(KEY, provisioned.webhook.secret, { type: 'encrypted', at: Date.now() });
    const { report, judged } = await verify();
    expect(judged).toEqual([['pass', `${KEY} in production is the signing secret of Stripe webhook endpoint ${provisioned.webhook.id} (compared with targets http.webhookSecret; neither value is shown).`, KEY]]);
    env.value = `whsec_${'x'.repeat(32)}`;
    const other = await verify();
    expect(other.judged[0]?.[0]).toBe('fail');
    for (const secret of [provisioned.webhook.secret, env.value]) expect(JSON.stringify([report, other.report])).not.toContain(secret);
  });

  it('skips a sensitive var set after the endpoint, and fails it once the endpoint is re-created (a new secret) after the var was set', async () => {
    const setAt = Date.now();
    vercel.addEnv(KEY, provisioned.webhook.secret, { type: 'sensitive', at: setAt });
    expect((await verify()).judged[0]?.[0]).toBe('skip');
    // Re-created in the Dashboard a day later: a new id and a new secret, which the var never got.
    now += 2 * 86_400;
    const client = await stripeClient({ apiKey: stripe.keys.secret.live, baseUrl: stripe.url });
    await client.webhookEndpoints.del(provisioned.webhook.id);
    const fresh = await client.webhookEndpoints.create({ url: 'https://shop.example.com/api/webhooks/stripe', enabled_events: ['invoice.paid'] });
    const { judged } = await verify(targets(fresh.secret));
    const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    expect(judged).toEqual([
      [
        'fail',
        `${KEY} was last set in production at ${at(setAt)}, before Stripe webhook endpoint ${fresh.id} for https://shop.example.com/api/webhooks/stripe was created at ${at(now * 1000)}: Stripe shows a signing secret only when it creates the endpoint, so ${KEY} holds an older secret and every event fails verification. Set ${KEY} for production to endpoint ${fresh.id}'s signing secret (the stack output stripeWebhookSecret) and redeploy.`,
        KEY,
      ],
    ]);
  });
});
