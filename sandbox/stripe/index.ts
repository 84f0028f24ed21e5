import type { StackSpec } from '../../spec/index.js';
import { startStripeApi, type Mode } from '../../test/fixtures/stripe-api/index.js';
import { stripeClient } from '../../infra/providers/stripe/index.js';
import type { SandboxContext, SandboxFamily, SandboxRunning } from '../types.js';
import { FaultNotPlantableError, plantFault } from '../fault.js';
import { STRIPE_FAULTS, type AppStripeWiring } from './faults.js';
import { provisionStripe } from './provision.js';
import { seedPayments } from './payments.js';

export { STRIPE_FAULTS } from './faults.js';
export { provisionStripe, type Provisioned } from './provision.js';

/** Env vars the spec fills with a price id, and the product key each one names. */
function priceVars(spec: StackSpec): [string, string][] {
  return Object.entries(spec.env.vars).flatMap(([name, v]) => {
    const key = /^stripe\.price\.(.+)$/.exec(v.from)?.[1];
    return key === undefined ? [] : [[name, key] as [string, string]];
  });
}

/**
 * The local Stripe API, provisioned from the spec through the dynamic providers' functions. A production
 * stack gets live-mode keys (livemode: true objects), any other stack test-mode keys.
 */
export const stripeSandbox: SandboxFamily = {
  name: 'stripe',
  phase: 1,
  applies: (spec) => spec.stripe !== undefined,
  breakable: Object.keys(STRIPE_FAULTS),
  async start(spec: StackSpec, ctx: SandboxContext, breaks: ReadonlySet<string>): Promise<SandboxRunning> {
    const stripeSpec = spec.stripe;
    if (!stripeSpec) throw new Error('the stripe sandbox started for a stack without a prodcheck:stripe section (applies() says so)');
    const api = await startStripeApi();
    try {
      const mode: Mode = spec.app.environment === 'production' ? 'live' : 'test';
      const apiKey = api.keys.secret[mode];
      const stripe = await stripeClient({ apiKey, baseUrl: api.url });
      const provisioned = await provisionStripe(stripe, spec, stripeSpec);
      const app: AppStripeWiring = {
        secretKey: apiKey,
        publishableKey: api.keys.publishable[mode],
        priceIds: Object.fromEntries(priceVars(spec).flatMap(([name, key]) => {
          const price = provisioned.prices.get(key);
          return price ? [[name, price.id]] : [];
        })),
      };
      if (stripeSpec.payments && !breaks.has('stripe.payments-flowing')) await seedPayments(stripe, stripeSpec.payments, false);
      for (const control of breaks) {
        await plantFault(control, () => {
          const fault = STRIPE_FAULTS[control];
          if (!fault) throw new FaultNotPlantableError(control, 'not a Stripe control the sandbox can break');
          return fault({ api, mode, stripe, spec, stripeSpec, provisioned, app });
        });
        ctx.log(`stripe: planted the ${control} fault`);
      }
      const outputs: Record<string, string> = {
        'stripe.apiBaseUrl': api.url,
        'stripe.secretKey': app.secretKey,
        'stripe.publishableKey': app.publishableKey,
        'stripe.webhookSecret': provisioned.webhook.secret,
        ...Object.fromEntries([...provisioned.prices].map(([key, p]) => [`stripe.price.${key}`, p.id])),
      };
      return {
        targets: {
          stripe: {
            apiKey,
            baseUrl: api.url,
            timeoutMs: 10_000,
            secretKey: app.secretKey,
            publishableKey: app.publishableKey,
            ...(Object.keys(app.priceIds).length > 0 ? { priceIds: app.priceIds } : {}),
            ...(provisioned.usageCustomer ? { usageCustomer: provisioned.usageCustomer } : {}),
          },
        },
        secrets: [api.keys.secret.live, api.keys.secret.test, provisioned.webhook.secret],
        outputs,
        describe: [`Stripe API (local, ${mode} mode): ${api.url} — the keys are in the targets file`],
        stop: () => api.stop(),
      };
    } catch (e) {
      await api.stop();
      throw e;
    }
  },
};
