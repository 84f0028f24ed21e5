/**
 * Serializes the Stripe dynamic providers the way `pulumi up` does (closure serialization of the provider
 * object), loads each back the way the dynamic-provider host does (require-from-string), and creates a
 * product through the deserialized provider against a local Stripe API. Run with `node --import tsx`:
 * vitest rewrites module code, so the serialized text must come from plain Node. Prints JSON.
 */
import { createRequire } from 'node:module';
import * as pulumi from '@pulumi/pulumi';
import { STRIPE_PROVIDERS } from '../../../infra/providers/stripe/resources.js';
import { startStripeApi } from '../../fixtures/stripe-api/index.js';

const pulumiRequire = createRequire(createRequire(import.meta.url).resolve('@pulumi/pulumi'));
const requireFromString = pulumiRequire('require-from-string') as (code: string) => { handler(): pulumi.dynamic.ResourceProvider };

const api = await startStripeApi();
try {
  const serialized: Record<string, { text: string; containsSecrets: boolean }> = {};
  for (const [type, provider] of Object.entries(STRIPE_PROVIDERS)) {
    const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    serialized[type] = { text: sf.text, containsSecrets: sf.containsSecrets };
  }
  const product = requireFromString(serialized.Product?.text ?? '').handler();
  const created = await product.create({ apiKey: api.keys.secret.live, baseUrl: api.url, key: 'pro', name: 'Pro' });
  process.stdout.write(JSON.stringify({ serialized, created, stored: api.data('live').products.all().map((p) => p.id) }));
} finally {
  await api.stop();
}
