import type { StackSpec } from '../../spec/index.js';
import type { AppFault } from '../app/faults.js';
import { FaultNotPlantableError } from '../fault.js';

/**
 * The fault each http control's --break plants. Each one breaks only the property its control
 * judges: https-redirect plants a redirect to another host (HSTS is also one of the headers
 * http.security-headers requires) and tls-certificate a certificate about to expire, because a missing
 * redirect or an untrusted certificate would also lower the Observatory grade and fail
 * http.security-headers with it. Where the checks probe deeper than the first fault showed (a reflected
 * hostile origin, a forged session cookie, cached HTML, secrets in chunks no <script> tag names), the
 * break plants the deeper fault.
 */
const HTTP_BREAKS: Readonly<Record<string, AppFault | readonly AppFault[]>> = {
  'http.site-reachable': 'page-error',
  'http.api-smoke': 'api-500',
  'http.health': 'unhealthy-service',
  'http.https-redirect': 'redirect-off-host',
  'http.tls-certificate': 'short-lived-cert',
  'http.www-redirect': 'no-www-redirect',
  'http.security-headers': 'missing-headers',
  'http.cors': 'cors-reflect-origin',
  'http.rate-limit': 'no-rate-limit',
  'http.webhook.endpoint': 'accept-unsigned-webhooks',
  'http.auth-protected-routes': 'session-any-value',
  'http.session-cookie-flags': 'weak-cookie',
  'http.client-bundle-secrets': ['bundle-secret', 'bundle-secret-hidden'],
  'http.error-leakage': 'leaky-errors',
  'http.compression': 'no-compression',
  'http.cdn-caching': ['no-cache-assets', 'html-cached-immutable'],
  'http.api.models': 'models-missing-id',
  'http.rate-limit.per-identity': 'shared-tier-limit',
  // The perf family judges the same app (through targets http), in its measure phase.
  'perf.web-vitals': 'slow-page',
  'perf.api-latency': 'slow-api',
  'perf.models-cache-latency': 'models-uncached',
};

export const BREAKABLE: readonly string[] = Object.keys(HTTP_BREAKS);

/** The app faults that make `control` fail for this stack. */
export function faultFor(control: string, spec: StackSpec): readonly AppFault[] {
  const fault = HTTP_BREAKS[control];
  if (!fault) throw new FaultNotPlantableError(control, 'not an http control the sample app can break');
  const why = unplantable(control, spec);
  if (why) throw new FaultNotPlantableError(control, why);
  // A 503 on / would also take away the page every other check reads; a / that is not HTML fails only this control.
  if (fault === 'page-error' && spec.http.pages.every((p) => p === '/')) return ['root-not-html'];
  // A 500 on the model catalogue's route would fail http.api.models too; a catalogue sent as HTML fails only the smoke test.
  if (fault === 'api-500' && spec.http.apiSmoke[0]?.path === spec.http.models?.path) return ['api-not-json'];
  return typeof fault === 'string' ? [fault] : fault;
}

function unplantable(control: string, spec: StackSpec): string | undefined {
  const h = spec.http;
  switch (control) {
    case 'http.site-reachable':
      return h.pages.length === 0 ? 'the stack lists no http.pages' : undefined;
    case 'http.api-smoke':
      return h.apiSmoke.length === 0 ? 'the stack lists no http.apiSmoke routes' : undefined;
    case 'http.health':
      return h.health.length === 0 ? 'the stack lists no http.health endpoints' : undefined;
    case 'http.www-redirect':
      return spec.app.canonicalHost === 'none' ? 'app.canonicalHost is none: there is no www host' : undefined;
    case 'http.rate-limit':
      return h.rateLimits.length === 0 ? 'the stack lists no http.rateLimits' : undefined;
    case 'http.webhook.endpoint':
      return spec.stripe ? undefined : 'the stack has no prodcheck:stripe webhook';
    case 'http.api.models':
      return h.models ? undefined : 'the stack has no http.models catalogue';
    case 'http.rate-limit.per-identity':
      return h.tieredRateLimits.length === 0 ? 'the stack lists no http.tieredRateLimits' : undefined;
    case 'perf.web-vitals':
      return spec.perf?.webVitals ? undefined : 'the stack has no perf.webVitals budget';
    case 'perf.api-latency':
      return spec.perf?.apiLatency ? undefined : 'the stack has no perf.apiLatency budget';
    case 'perf.models-cache-latency':
      return spec.perf?.modelsCache && h.models?.path === spec.perf.modelsCache.path ? undefined : 'the stack has no perf.modelsCache budget on its http.models route';
    case 'http.auth-protected-routes':
      return h.protectedRoutes.length === 0 ? 'the stack lists no http.protectedRoutes' : undefined;
    default:
      return undefined;
  }
}
