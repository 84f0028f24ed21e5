import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';

const registered: pulumi.runtime.MockResourceArgs[] = [];
/** additionalSecretOutputs per resource name: the engine applies them, so the mocks only see the request. */
const secretOutputs = new Map<string, string[]>();

interface RegisterRequest {
  getName(): string;
  getAdditionalsecretoutputsList(): string[];
}

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push(args);
        return { id: `${args.name}-id`, state: { ...args.inputs, ...(args.type.endsWith(':WebhookEndpoint') ? { secret: 'whsec_mocked', status: 'enabled' } : {}) } };
      },
      call: (args) => args.inputs,
    },
    'prodcheck',
    'test',
    false,
  );
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: RegisterRequest, cb: unknown): unknown };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    secretOutputs.set(req.getName(), req.getAdditionalsecretoutputsList());
    return register(req, cb);
  };
});

const value = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply(resolve));

describe('the Stripe resources in a mocked program', () => {
  it('register dynamic resources of type stripe:<Kind>, the key a secret input and output, the webhook secret a secret output', async () => {
    const { BillingMeter, BillingPortalConfiguration, Price, Product, WebhookEndpoint } = await import('../../../infra/providers/stripe/resources.js');
    const apiKey = pulumi.secret('sk_live_mocked');
    const product = new Product('pro', { apiKey, key: 'pro', name: 'Pro' });
    const meter = new BillingMeter('evals', { apiKey, eventName: 'evaluation', displayName: 'Evaluations' });
    const price = new Price('pro', { apiKey, key: 'pro', productId: product.id, currency: 'usd', unitAmount: 2000, interval: 'month', usageType: 'licensed' });
    const hook = new WebhookEndpoint('hook', { apiKey: 'sk_live_plain', url: 'https://shop.example.com/api/webhooks/stripe', enabledEvents: ['invoice.paid'] });
    const portal = new BillingPortalConfiguration('portal', { apiKey, allowCancel: true, allowPlanChange: true, products: [{ product: product.id, prices: [price.id] }] });
    expect(await value(hook.secret)).toBe('whsec_mocked');
    expect(await value(price.productId)).toBe('pro-id');
    await Promise.all([value(meter.eventName), value(portal.id)]);
    expect(registered.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      'pulumi-nodejs:dynamic/stripe:BillingMeter evals',
      'pulumi-nodejs:dynamic/stripe:BillingPortalConfiguration portal',
      'pulumi-nodejs:dynamic/stripe:Price pro',
      'pulumi-nodejs:dynamic/stripe:Product pro',
      'pulumi-nodejs:dynamic/stripe:WebhookEndpoint hook',
    ]);
    // Even a key given as a plain string is registered as a secret input.
    expect(registered.find((r) => r.name === 'hook')?.inputs).toMatchObject({
      apiKey: { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: 'sk_live_plain' },
      url: 'https://shop.example.com/api/webhooks/stripe',
      enabledEvents: ['invoice.paid'],
    });
    expect(Object.fromEntries(secretOutputs)).toEqual({ pro: ['apiKey'], evals: ['apiKey'], hook: ['apiKey', 'secret'], portal: ['apiKey'] });
  });
});
