import { parseStackConfig, type StackSpec } from '../../../spec/index.js';

/** A stack on the sample app with `perf` as its perf section. */
export function sampleAppPerfStack(perf: Record<string, unknown>): StackSpec {
  return parseStackConfig(
    {
      'prodcheck:app': { name: 'shop', domain: 'shop.example.com', canonicalHost: 'apex' },
      'prodcheck:http': { pages: ['/'], health: [{ path: '/api/health' }], models: { path: '/api/models', minCount: 10, maxCount: 20 } },
      'prodcheck:perf': perf,
    },
    'inline',
  ).spec;
}

/** The sample app's latency budgets: loose enough for a busy machine, tight enough that each planted fault crosses them. */
export const LATENCY = sampleAppPerfStack({ apiLatency: { routes: [{ path: '/api/health', p95Ms: 400 }], warmup: 1 }, modelsCache: { path: '/api/models', p95Ms: 400 } });
