import type { Check, Finding } from '../types.js';
import type { HealthEndpoint, LitellmSnapshot } from './collect.js';

const listed = (names: readonly string[], max = 5): string => (names.length > max ? `${names.slice(0, max).join(', ')} and ${names.length - max} more` : names.join(', '));
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
/** A provider's error, on one line and short: enough to tell a bad key from a quota or an outage. */
const why = (e: HealthEndpoint): string => (e.error ? `${e.model} (${e.error.replace(/\s+/g, ' ').trim().slice(0, 160)})` : e.model);

export const llmLitellmServer: Check<LitellmSnapshot> = {
  id: 'llm.litellm.server',
  target: 'litellm',
  connectivity: true,
  evaluate(s) {
    const out: Finding[] = [];
    const live = s.liveliness;
    out.push(
      live.status === 200
        ? { status: 'pass', resource: 'liveliness', message: `LiteLLM at ${s.base} is alive: GET /health/liveliness answered 200.`, expected: '200', actual: '200' }
        : { status: 'fail', resource: 'liveliness', message: `LiteLLM at ${s.base} must answer GET /health/liveliness with 200 (found HTTP ${live.status}: ${live.body.slice(0, 120)}).`, expected: '200', actual: String(live.status) },
    );
    if (!s.readiness.ok) {
      out.push({ status: 'error', resource: 'readiness', message: `Could not read LiteLLM's readiness at ${s.base}: ${s.readiness.error}.` });
      return out;
    }
    const r = s.readiness.value;
    const resource = 'readiness';
    if (r.status !== 200) {
      out.push({ status: 'fail', resource, message: `LiteLLM at ${s.base} is not ready: GET /health/readiness answered HTTP ${r.status} (${r.detail}).`, expected: '200 healthy', actual: String(r.status) });
    } else if (r.state !== 'healthy') {
      // A catch-all 200 (a load balancer's page, another app on the host) is no proof a LiteLLM proxy answered.
      const found = r.state === undefined ? `not LiteLLM's readiness JSON: ${r.detail.slice(0, 120)}` : `status "${r.state}"`;
      out.push({ status: 'fail', resource, message: `LiteLLM at ${s.base} must report itself healthy on GET /health/readiness (found ${found}).`, expected: 'status "healthy"', actual: r.state ?? 'not LiteLLM' });
    } else if (r.db === 'disconnected') {
      out.push({ status: 'fail', resource, message: `LiteLLM at ${s.base} has lost its database (GET /health/readiness: db "disconnected"): virtual keys, budgets and spend logs cannot be read or written.`, expected: 'db connected', actual: 'db disconnected' });
    } else {
      const db = r.db === 'connected' ? ', database connected' : r.db ? `, database "${r.db}"` : '';
      out.push({ status: 'pass', resource, message: `LiteLLM at ${s.base} is ready (healthy${db}${r.version ? `, version ${r.version}` : ''}).`, expected: 'status "healthy"', actual: 'healthy' });
    }
    return out;
  },
};

export const llmLitellmModels: Check<LitellmSnapshot> = {
  id: 'llm.litellm.models',
  target: 'litellm',
  evaluate(s, spec) {
    const want = spec.litellm;
    if (!want) return [{ status: 'skip', message: 'The stack has no prodcheck:litellm section.' }];
    if (!s.models.ok) return [{ status: 'error', message: `Could not read LiteLLM's models at ${s.base}: ${s.models.error}.` }];
    const served = [...new Set(s.models.value)];
    const have = new Set(served);
    const missing = want.models.filter((m) => !have.has(m));
    const expected = `at least ${want.minModels} models${want.models.length > 0 ? ` including ${listed(want.models)}` : ''}`;
    const actual = served.length === 0 ? 'none' : listed(served);
    const out: Finding[] = [];
    if (missing.length > 0) {
      out.push({ status: 'fail', message: `LiteLLM at ${s.base} must serve every expected model (missing ${plural(missing.length, 'model')}: ${listed(missing)}; serves ${actual}).`, expected, actual });
    }
    if (served.length < want.minModels) {
      out.push({ status: 'fail', message: `LiteLLM at ${s.base} must serve at least ${want.minModels} models (found ${served.length}${served.length > 0 ? `: ${actual}` : ''}).`, expected, actual });
    }
    if (out.length > 0) return out;
    const named = want.models.length > 0 ? `, every expected one among them (${listed(want.models)})` : '';
    return [{ status: 'pass', message: `LiteLLM at ${s.base} serves ${plural(served.length, 'model')}${named}.`, expected, actual }];
  },
};

export const llmLitellmProviderKeys: Check<LitellmSnapshot> = {
  id: 'llm.litellm.provider-keys',
  target: 'litellm',
  evaluate(s) {
    if (!s.health.ok) return [{ status: 'error', message: `Could not read LiteLLM's model health at ${s.base}: ${s.health.error}.` }];
    const h = s.health.value;
    if (h.kind === 'pending') return [{ status: 'skip', message: `LiteLLM at ${s.base} has no health results yet: its background health checks have not run (GET /health answered {}).` }];
    const total = h.healthy.length + h.unhealthy.length;
    if (total === 0) return [{ status: 'skip', message: `LiteLLM at ${s.base} checked no model endpoint (GET /health listed none): there is no provider key to judge.` }];
    const expected = 'no unhealthy endpoint';
    if (h.unhealthy.length > 0) {
      const actual = `${h.unhealthy.length} of ${total} unhealthy`;
      return [
        {
          status: 'fail',
          message: `LiteLLM at ${s.base} has ${plural(h.unhealthy.length, 'unhealthy endpoint')} of ${total}: ${listed(h.unhealthy.map(why), 3)}. Check the provider key, quota and api_base of each.`,
          expected,
          actual,
        },
      ];
    }
    return [{ status: 'pass', message: `Every model endpoint LiteLLM at ${s.base} checked answered with its provider key (${plural(total, 'endpoint')}: ${listed([...new Set(h.healthy.map((e) => e.model))])}).`, expected, actual: `${total} healthy` }];
  },
};

export const LITELLM_CHECKS: readonly Check<LitellmSnapshot>[] = [llmLitellmServer, llmLitellmModels, llmLitellmProviderKeys];
