import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PROVIDER_KEY, serializeProviders, useDynamicProviders, UNKNOWN, type DynamicProviderProcess, type Props, type SerializedProvider } from '../helpers/engine/dynamic-provider.js';

// `pulumi preview` of a fresh stack: the engine calls Check with the outputs of resources not created
// yet as the unknown sentinel (an RDS endpoint, a product id, the app URL). Each provider, run in the
// engine's cmd/dynamic-provider process, must accept them without a failure or a crash.

const root = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
let serialized: Record<string, SerializedProvider> = {};
const provider = useDynamicProviders(root, afterAll);
let p: DynamicProviderProcess;
beforeAll(async () => {
  serialized = await serializeProviders(root);
  p = await provider();
}, 120_000);

const stripe = (type: string, args: Props): [string, Props] => [`stripe:${type}`, { apiKey: UNKNOWN, ...args }];

describe('Check during the preview of a fresh stack', () => {
  test.each([
    [
      'postgres:Access',
      {
        host: UNKNOWN,
        port: UNKNOWN,
        database: 'app',
        adminUser: 'master',
        adminPassword: UNKNOWN,
        sslmode: 'verify-full',
        appRole: 'app',
        appPassword: UNKNOWN,
        verifierRole: 'prodcheck_verifier',
        verifierPassword: UNKNOWN,
        tables: ['audit_events'],
        rls: [],
        appendOnly: ['audit_events'],
      },
    ],
    stripe('Product', { key: 'pro', name: 'Pro' }),
    stripe('BillingMeter', { eventName: 'tokens', displayName: 'Tokens' }),
    stripe('Price', { key: 'pro', productId: UNKNOWN, currency: 'usd', unitAmount: 2000, interval: 'month', usageType: 'licensed' }),
    stripe('Price', { key: 'api', productId: UNKNOWN, currency: 'usd', unitAmountDecimal: '0.25', interval: 'month', usageType: 'metered', meterId: UNKNOWN }),
    stripe('WebhookEndpoint', { url: UNKNOWN, enabledEvents: ['checkout.session.completed'] }),
    stripe('BillingPortalConfiguration', { allowCancel: true, allowPlanChange: true, products: [{ product: UNKNOWN, prices: [UNKNOWN] }], returnUrl: UNKNOWN }),
    stripe('BillingPortalConfiguration', { allowCancel: true, allowPlanChange: true, products: UNKNOWN }),
  ] as [string, Props][])('%s', async (type, news) => {
    // (Serialized in beforeAll, after the table above was built.)
    const inputs = { ...news, [PROVIDER_KEY]: serialized[type]?.text };
    const checked = await p.check({}, inputs);
    expect(checked.failures).toEqual([]);
    expect(checked.inputs).toEqual(inputs);
    expect(p.stderr()).toBe('');
  });
});
