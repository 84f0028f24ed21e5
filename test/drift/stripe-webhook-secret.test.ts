import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Baseline } from '../../drift/baseline.js';
import { main } from '../../cli/main.js';
import { stripeClient } from '../../infra/providers/stripe/index.js';
import { parseStackConfig } from '../../spec/index.js';
import { provisionStripe } from '../../sandbox/stripe/index.js';
import { startStripeApi, type StripeApiServer } from '../fixtures/stripe-api/index.js';
import { startVercelApi, type VercelApiServer } from '../fixtures/vercel-api/index.js';
import { captureIo } from '../helpers/io.js';

const dir = mkdtempSync(join(tmpdir(), 'prodcheck-drift-webhook-'));
const HOOK = 'https://shop.example.com/api/webhooks/stripe';
const config = {
  'prodcheck:app': { name: 'shop', domain: 'shop.example.com' },
  'prodcheck:env': { vars: { STRIPE_WEBHOOK_SECRET: { from: 'stripe.webhookSecret' } } },
  'prodcheck:stripe': { webhook: { events: ['invoice.paid'] } },
  'prodcheck:vercel': { project: 'shop' },
};
writeFileSync(join(dir, 'Pulumi.live.yaml'), `config:\n${Object.entries(config).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}\n`).join('')}`);

let now = Math.floor(Date.now() / 1000) - 86_400;
let stripe: StripeApiServer;
let vercel: VercelApiServer;
let endpointId: string;

beforeAll(async () => {
  [stripe, vercel] = await Promise.all([startStripeApi({ clock: () => now }), startVercelApi({ project: { name: 'shop' } })]);
  const spec = parseStackConfig(config, 'inline').spec;
  if (!spec.stripe) throw new Error('the stack has a stripe section');
  const provisioned = await provisionStripe(await stripeClient({ apiKey: stripe.keys.secret.live, baseUrl: stripe.url }), spec, spec.stripe);
  endpointId = provisioned.webhook.id;
  // As `pulumi up` leaves it: the var set from the endpoint's secret once the endpoint exists, sensitive.
  vercel.addEnv('STRIPE_WEBHOOK_SECRET', provisioned.webhook.secret, { type: 'sensitive', at: Date.now() });
  writeFileSync(join(dir, 'targets.yaml'), `stripe:\n  apiKey: ${stripe.keys.secret.live}\n  baseUrl: ${stripe.url}\nvercel:\n  token: ${vercel.token}\n  baseUrl: ${vercel.url}\n`);
});
afterAll(async () => {
  await Promise.all([stripe.stop(), vercel.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

async function drift(...args: string[]) {
  const io = captureIo({ PATH: process.env.PATH }, dir);
  const code = await main(['drift', '--stack', 'live', '--targets', 'targets.yaml', '--baseline', 'baseline.json', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('prodcheck drift re-runs env.stripe-webhook-secret (passive) against the local Stripe and Vercel APIs', () => {
  it('the baseline holds it: a sensitive var set after the endpoint was created is not judged stale', async () => {
    const r = await drift('--update-baseline');
    expect(r.code).toBe(0);
    const baseline = JSON.parse(readFileSync(join(dir, 'baseline.json'), 'utf8')) as Baseline;
    expect(baseline.entries.filter((e) => e.control === 'env.stripe-webhook-secret').map((e) => [e.target, e.key, e.status])).toEqual([['stripe', 'env.stripe-webhook-secret [STRIPE_WEBHOOK_SECRET]', 'skip']]);
  });

  it('the endpoint re-created in the Dashboard after the baseline (a new secret the var never got): a new failure, exit 1', async () => {
    now += 2 * 86_400;
    const client = await stripeClient({ apiKey: stripe.keys.secret.live, baseUrl: stripe.url });
    await client.webhookEndpoints.del(endpointId);
    const fresh = await client.webhookEndpoints.create({ url: HOOK, enabled_events: ['invoice.paid'] });
    const r = await drift();
    expect(r.code).toBe(1);
    // The endpoint's id changed too (stripe.webhook.endpoint); only the secret's staleness is a failure.
    expect(r.out).toContain('**Drift: 1 new failure, 1 changed value (exit 1).**');
    const md = (t: string) => t.replace(/_/g, '\\_');
    const created = new Date(now * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    expect(r.out).toContain(`## New failures\n\n- \`env.stripe-webhook-secret [STRIPE_WEBHOOK_SECRET]\` ${md('STRIPE_WEBHOOK_SECRET wired from the registered endpoint: STRIPE_WEBHOOK_SECRET was last set in production at ')}`);
    expect(r.out).toContain(md(`before Stripe webhook endpoint ${fresh.id} for ${HOOK} was created at ${created}: Stripe shows a signing secret only when it creates the endpoint`));
    expect(r.out).not.toContain(fresh.secret ?? 'whsec_');
  });
});
