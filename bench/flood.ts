// Resident memory while each vendor client meets a 300 MB answer: bounded by the 16 MiB body cap
// (README "What prodcheck promises under failure"). Reported, never asserted.
import { stackSpecSchema, targetsSchema, type StackSpec } from '../spec/index.js';
import { Redactor } from '../report/redact.js';
import { redisFamily } from '../verify/redis/index.js';
import { runVerify } from '../verify/runner.js';
import { stripeFamily } from '../verify/stripe/index.js';
import type { TargetFamily } from '../verify/types.js';
import { vercelFamily } from '../verify/vercel/index.js';
import { startHostileApi } from '../test/helpers/hostile-api.js';
import { stripeStack } from '../test/verify/stripe/fixture.js';
import { round } from './stats.js';

export interface FloodFigures {
  readonly bodyMb: number;
  readonly capMb: number;
  /** Peak RSS growth over the process's RSS before the call, per client. */
  readonly rssGrowthMb: Readonly<Record<string, number>>;
  readonly messages: Readonly<Record<string, string>>;
}

const MB = 1024 * 1024;

export async function benchFlood(): Promise<FloodFigures> {
  const api = await startHostileApi(() => ({ kind: 'flood', bytes: 300 * MB }));
  const spec = stackSpecSchema.parse({ app: { name: 'chat', domain: 'chat.example.com', canonicalHost: 'none' }, redis: { provider: 'upstash' }, vercel: { project: 'chat' } });
  const cases: Record<string, { family: TargetFamily<unknown>; spec: StackSpec; targets: unknown }> = {
    stripe: { family: stripeFamily as TargetFamily<unknown>, spec: stripeStack(), targets: { stripe: { apiKey: 'rk_live_bench0000000000000000', baseUrl: api.url } } },
    upstash: { family: redisFamily as TargetFamily<unknown>, spec, targets: { redis: { upstash: { url: api.url, token: 'bench-token-0000000000' } } } },
    vercel: { family: vercelFamily as never, spec, targets: { vercel: { token: 'bench-token-0000000000', baseUrl: api.url } } },
  };
  const rssGrowthMb: Record<string, number> = {};
  const messages: Record<string, string> = {};
  try {
    for (const [name, c] of Object.entries(cases)) {
      globalThis.gc?.();
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
      const report = await runVerify({ stack: 'bench', spec: c.spec, targets: targetsSchema.parse(c.targets), families: [c.family], redactor: new Redactor(), select: () => true, active: false });
      clearInterval(sampler);
      rssGrowthMb[name] = round((peak - before) / MB);
      messages[name] = report.results.find((r) => r.status === 'error')?.message ?? 'no error';
    }
  } finally {
    await api.close();
  }
  return { bodyMb: 300, capMb: 16, rssGrowthMb, messages };
}
