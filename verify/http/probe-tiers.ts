import type { StackSpec } from '../../spec/index.js';
import { burst, BURST_MAX_MS } from './burst.js';
import type { HttpTargets, Site } from './site.js';
import type { TierBurst } from './snapshot.js';

/**
 * One burst per tier of each spec tiered limit, sent with that tier's test identity, one tier after the
 * other from the lowest limit up: when the app counts every tier against one shared counter, the higher
 * tier's burst starts on a counter the lower one has already spent, and is stopped early.
 */
export async function probeTierLimits(site: Site, spec: StackSpec, t: HttpTargets): Promise<TierBurst[]> {
  const out: TierBurst[] = [];
  const end = Date.now() + BURST_MAX_MS;
  for (const { path, method, windowSeconds, tiers } of spec.http.tieredRateLimits) {
    const body = method === 'GET' || method === 'DELETE' ? undefined : '{}';
    for (const [tier, limit] of Object.entries(tiers).sort((a, b) => a[1] - b[1])) {
      const identity = t.identities?.[tier];
      if (!identity) {
        out.push({ method, path, tier, limit, response: { ok: false, error: `the targets file has no http.identities.${tier} (headers of a ${tier}-tier test identity)` } });
        continue;
      }
      const headers = { 'content-type': 'application/json', accept: 'application/json', ...lower(identity.headers) };
      // Credentials go only over a verified connection.
      const send = () => site.send({ method, url: site.url(path), headers, body, verifyTls: true });
      const budget = Math.min(windowSeconds * 1000, end - Date.now());
      out.push({ method, path, tier, limit, response: await site.probe(() => burst(limit, budget, send)) });
    }
  }
  return out;
}

const lower = (h: Readonly<Record<string, string>>): Record<string, string> => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
