import { afterEach, describe, expect, it } from 'vitest';
import { stripeSandbox } from '../../sandbox/stripe/index.js';
import type { SandboxRunning } from '../../sandbox/types.js';
import { parseStackConfig, targetsSchema, type StackSpec } from '../../spec/index.js';
import { Redactor } from '../../report/redact.js';
import { runVerify } from '../../verify/runner.js';
import { stripeFamily } from '../../verify/stripe/index.js';
import type { TargetFamily } from '../../verify/types.js';
import { stripeStack } from '../verify/stripe/fixture.js';
import { useSandboxContext } from './stripe-context.js';

const context = useSandboxContext();
// With stripe.payments, so the sandbox seeds customer payments and stripe.payments-flowing is judged too.
const SPEC = stripeStack({ payments: { windowHours: 24, minCount: 5, maxFailureShare: 0.2 } });
let running: SandboxRunning | undefined;

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function failing(spec: StackSpec, breaks: readonly string[]): Promise<string[]> {
  running = await stripeSandbox.start(spec, context(), new Set(breaks));
  const report = await runVerify({ stack: 'sandbox', spec, targets: targetsSchema.parse(running.targets), families: [stripeFamily as TargetFamily<unknown>], redactor: new Redactor().add(...running.secrets), select: () => true, active: false });
  // env.stripe-webhook-secret reads the app's var from Vercel: without it, a skip (judged in test/sandbox/vercel.test.ts).
  const judged = report.results.filter((r) => !(r.control === 'env.stripe-webhook-secret' && r.status === 'skip' && r.message.startsWith('Not judged: the targets file has no vercel section')));
  return [...new Set(judged.filter((r) => r.status !== 'pass').map((r) => `${r.control} ${r.status}`))];
}

describe('the stripe sandbox', () => {
  it('provisions a stack that passes every Stripe check, and hands out its keys, secret and price ids', async () => {
    expect(await failing(SPEC, [])).toEqual([]);
    const outputs = running?.outputs ?? {};
    expect(Object.keys(outputs).sort()).toEqual(['stripe.apiBaseUrl', 'stripe.price.metered', 'stripe.price.pro', 'stripe.publishableKey', 'stripe.secretKey', 'stripe.webhookSecret']);
    expect(outputs['stripe.secretKey']).toMatch(/^sk_live_/);
    expect(outputs['stripe.publishableKey']).toMatch(/^pk_live_/);
    expect(running?.secrets).toEqual(expect.arrayContaining([outputs['stripe.secretKey'], outputs['stripe.webhookSecret']]));
  });

  it('uses test-mode keys for a stack that is not production', async () => {
    running = await stripeSandbox.start(stripeStack({}, { environment: 'staging' }), context(), new Set());
    expect(running.outputs?.['stripe.secretKey']).toMatch(/^sk_test_/);
  });

  it.each(stripeSandbox.breakable)('--break %s fails that control and no other', async (control) => {
    expect(await failing(SPEC, [control])).toEqual([`${control} fail`]);
  });

  it('says when the spec leaves nothing to break', async () => {
    const plain = parseStackConfig(
      { 'prodcheck:app': { name: 'shop', domain: 'shop.example.com' }, 'prodcheck:stripe': { webhook: { events: ['invoice.paid'] } } },
      'inline',
    ).spec;
    await expect(stripeSandbox.start(plain, context(), new Set(['stripe.usage-reporting']))).rejects.toThrow('stripe.usage-reporting: cannot plant a fault: the stack config has no metered price');
  });
});
