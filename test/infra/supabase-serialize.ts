/**
 * Run as `node --import tsx supabase-serialize.ts` in the repo root: serializes the Supabase dynamic
 * providers exactly as @pulumi/pulumi/dynamic does for `__provider` (see test/helpers/engine/serialize-providers.ts,
 * which this mirrors for the Supabase family) and prints `{ [type]: { text, containsSecrets } }` as JSON.
 */
import { createRequire } from 'node:module';
import { SUPABASE_PROVIDERS } from '../../infra/providers/supabase/resources.js';

type SerializeFunction = (fn: () => unknown, opts: { allowSecrets: boolean }) => Promise<{ text: string; containsSecrets: boolean }>;
const fromPulumi = createRequire(createRequire(import.meta.url).resolve('@pulumi/pulumi'));
const { serializeFunction } = fromPulumi('./runtime/closure/serializeClosure') as { serializeFunction: SerializeFunction };

const out: Record<string, { text: string; containsSecrets: boolean }> = {};
for (const [type, provider] of Object.entries(SUPABASE_PROVIDERS)) {
  const sf = await serializeFunction(() => provider, { allowSecrets: true });
  out[`supabase:${type}`] = { text: sf.text, containsSecrets: sf.containsSecrets };
}
process.stdout.write(JSON.stringify(out));
