/**
 * Run as `node --import tsx serialize-providers.ts` (the loader Pulumi.yaml's nodeargs give `pulumi up`):
 * serializes every dynamic provider of the program exactly as @pulumi/pulumi/dynamic does for the
 * `__provider` input (runtime/closure/serializeClosure's serializeFunction(() => provider,
 * { allowSecrets: true })), and prints `{ [type]: { text, containsSecrets } }` as JSON.
 * vitest rewrites module code, so this must run in plain Node.
 */
import { createRequire } from 'node:module';
import { neonSettingsProvider } from '../../../infra/providers/neon/settings.js';
import { postgresAccessProvider } from '../../../infra/providers/postgres-access.js';
import { STRIPE_PROVIDERS } from '../../../infra/providers/stripe/resources.js';

interface SerializedFunction {
  readonly text: string;
  readonly containsSecrets: boolean;
}
type SerializeFunction = (fn: () => unknown, opts: { allowSecrets: boolean }) => Promise<SerializedFunction>;

// The module dynamic/index.js requires for this, resolved from @pulumi/pulumi's own directory.
const fromPulumi = createRequire(createRequire(import.meta.url).resolve('@pulumi/pulumi'));
const { serializeFunction } = fromPulumi('./runtime/closure/serializeClosure') as { serializeFunction: SerializeFunction };

const providers: Record<string, unknown> = { 'postgres:Access': postgresAccessProvider, 'neon:ProjectSettings': neonSettingsProvider, ...Object.fromEntries(Object.entries(STRIPE_PROVIDERS).map(([k, v]) => [`stripe:${k}`, v])) };
const out: Record<string, SerializedFunction> = {};
for (const [type, provider] of Object.entries(providers)) {
  const sf = await serializeFunction(() => provider, { allowSecrets: true });
  out[type] = { text: sf.text, containsSecrets: sf.containsSecrets };
}
process.stdout.write(JSON.stringify(out));
