/** Reachability: http.site-reachable, http.api.smoke, http.health. */
import type { Check, Finding } from '../../types.js';
import { contentType, isHealthy, list, serviceValue, showValue, unwrap } from '../judge.js';
import type { HttpSnapshot } from '../snapshot.js';

export const httpSiteReachable: Check<HttpSnapshot> = {
  id: 'http.site-reachable',
  target: 'http',
  connectivity: true,
  evaluate(s) {
    const pages = s.pages.length > 0 ? s.pages : [{ method: 'GET', path: '/', response: { ok: true as const, value: s.root } }];
    return pages.map(({ path, response }): Finding => {
      const r = unwrap(response, `GET ${path}`);
      if (!r.ok) return { ...r.finding, resource: path };
      const { status } = r.value;
      const type = contentType(r.value) || 'no content type';
      const actual = `${status} ${type}`;
      return status === 200 && /^(text\/html|application\/xhtml\+xml)$/i.test(type)
        ? { status: 'pass', message: `GET ${path} answers 200 with HTML.`, expected: '200 text/html', actual, resource: path }
        : { status: 'fail', message: `GET ${path} must answer 200 with text/html (found ${actual}).`, expected: '200 text/html', actual, resource: path };
    });
  },
};

export const httpApiSmoke: Check<HttpSnapshot> = {
  id: 'http.api-smoke',
  target: 'http',
  evaluate(s, spec) {
    if (spec.http.apiSmoke.length === 0) return [{ status: 'skip', message: 'No API routes to smoke-test (spec http.apiSmoke is empty).' }];
    return spec.http.apiSmoke.map(({ method, path, status: expected }): Finding => {
      const resource = `${method} ${path}`;
      const probe = s.apiSmoke.find((p) => p.method === method && p.path === path);
      if (!probe) return { status: 'error', message: `${resource} was not probed.`, resource };
      const r = unwrap(probe.response, resource);
      if (!r.ok) return { ...r.finding, resource };
      const { status } = r.value;
      if (status !== expected) return { status: 'fail', message: `${resource} must answer ${expected} (found ${status}).`, expected: String(expected), actual: String(status), resource };
      const type = contentType(r.value);
      if (method === 'GET' && status >= 200 && status < 300 && !/[/+]json$/i.test(type)) {
        return { status: 'fail', message: `${resource} must answer with JSON (found ${type || 'no content type'}).`, expected: 'application/json', actual: type, resource };
      }
      return { status: 'pass', message: `${resource} answers ${status}${method === 'GET' ? ' with JSON' : ''}.`, expected: String(expected), actual: String(status), resource };
    });
  },
};

export const httpHealth: Check<HttpSnapshot> = {
  id: 'http.health',
  target: 'http',
  evaluate(s, spec) {
    if (spec.http.health.length === 0) return [{ status: 'skip', message: 'No health endpoints to check (spec http.health is empty).' }];
    return spec.http.health.map(({ path, services }): Finding => {
      const probe = s.health.find((p) => p.path === path);
      if (!probe) return { status: 'error', message: `GET ${path} was not probed.`, resource: path };
      const r = unwrap(probe.response, `GET ${path}`);
      if (!r.ok) return { ...r.finding, resource: path };
      const { status, json } = r.value;
      const expected = services.length > 0 ? `200, status and ${services.join(', ')} healthy` : '200, status healthy';
      if (status !== 200) return { status: 'fail', message: `GET ${path} must answer 200 (found ${status}).`, expected, actual: String(status), resource: path };
      if (json === undefined && services.length > 0) {
        return { status: 'fail', message: `GET ${path} must answer JSON that reports ${services.join(', ')} (found a body that is not JSON).`, expected, actual: 'not JSON', resource: path };
      }
      const overall = typeof json === 'object' && json !== null ? (json as Record<string, unknown>).status : undefined;
      if (overall !== undefined && !isHealthy(overall)) {
        return { status: 'fail', message: `GET ${path} must report status healthy (found ${showValue(overall)}).`, expected, actual: `status ${showValue(overall)}`, resource: path };
      }
      const sick = services.filter((name) => !isHealthy(serviceValue(json, name)));
      if (sick.length > 0) {
        const found = sick.map((name) => `${name} ${showValue(serviceValue(json, name))}`).join(', ');
        return { status: 'fail', message: `GET ${path} must report ${list(sick)} healthy (found ${found}).`, expected, actual: found, resource: path };
      }
      const which = services.length > 0 ? ` (${services.join(', ')})` : '';
      return { status: 'pass', message: `GET ${path} answers 200 and reports healthy${which}.`, expected, actual: '200, healthy', resource: path };
    });
  },
};
