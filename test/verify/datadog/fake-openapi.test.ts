import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDatadogApi, type DatadogApiServer } from '../../fixtures/datadog-api/index.js';
import { openApiProblems } from './openapi.js';

let api: DatadogApiServer;
const now = Math.floor(Date.now() / 1000);

beforeAll(async () => {
  api = await startDatadogApi();
  api.submit('trace.http.request.hits', ['service:chat', 'http.status_class:2xx'], [[now - 30, 40], [now - 10, 38]]);
  api.submit('trace.http.request.hits', ['service:chat', 'http.status_class:5xx'], [[now - 10, 1]]);
  api.submit('trace.http.request', ['service:chat'], [[now - 30, 0.12], [now - 10, 0.4]]);
  api.addSlo({ name: 'Error rate', type: 'metric', thresholds: [{ timeframe: '30d', target: 99, warning: 99.5 }], query: { numerator: 'sum:trace.http.request.hits{service:chat,!http.status_class:5xx}.as_count()', denominator: 'sum:trace.http.request.hits{service:chat}.as_count()' } });
  api.addSlo({ name: 'Uptime', type: 'monitor', thresholds: [{ timeframe: '30d', target: 99.9 }], monitorIds: [4242], monitorSli: 99.95 });
  api.addSlo({ name: 'p95 latency', type: 'time_slice', thresholds: [{ timeframe: '7d', target: 99 }], timeSlice: { query: 'p95:trace.http.request{service:chat}', comparator: '<', threshold: 2, intervalSeconds: 300 } });
  api.addSlo({ name: 'Empty', type: 'monitor', thresholds: [{ timeframe: '90d', target: 95 }], monitorIds: [7] });
});
afterAll(async () => {
  await api.stop();
});

const get = async (path: string, keys = { 'dd-api-key': api.apiKey, 'dd-application-key': api.applicationKey }) => {
  const res = await fetch(`${api.url}${path}`, { headers: keys });
  return { status: res.status, body: (await res.json()) as unknown };
};

describe('the openapi validator', () => {
  it('accepts a body the description allows and reports, with its path, each way a body can be wrong', () => {
    expect(openApiProblems('v1', 'AuthenticationValidationResponse', { valid: true })).toEqual([]);
    expect(openApiProblems('v1', 'SLOHistoryResponse', { data: { overall: { sli_value: '99.9' } } })).toEqual(["SLOHistoryResponse: unknown type 'number'"]);
    expect(openApiProblems('v1', 'SLOListResponse', { data: [{ name: 'x', type: 'metric' }] })).toEqual(["SLOListResponse: missing required property 'thresholds'"]);
    expect(openApiProblems('v1', 'SLOListResponse', { data: [{ name: 'x', type: 'latency', thresholds: [] }] })).toEqual(['SLOListResponse.data[0].type: "latency" is not a value the description allows']);
    expect(openApiProblems('v1', 'SLOHistoryResponse', { data: { overall: { sli: 99.9 } } })).toEqual(['SLOHistoryResponse.data.overall: sli is not in the description']);
    expect(openApiProblems('v1', 'MetricsQueryResponse', { series: [{ pointlist: [[1, 2]], metric: 'm', colour: 'red' }] })).toEqual(['MetricsQueryResponse.series[0]: colour is not in the description']);
  });
});

describe('the local Datadog API speaks the described wire format', () => {
  it('GET /api/v1/validate', async () => {
    const r = await get('/api/v1/validate');
    expect(r).toEqual({ status: 200, body: { valid: true } });
    expect(openApiProblems('v1', 'AuthenticationValidationResponse', r.body)).toEqual([]);
  });

  it('GET /api/v1/slo: metric, monitor and time-slice SLOs', async () => {
    const r = await get('/api/v1/slo?limit=1000&offset=0');
    expect(r.status).toBe(200);
    expect(openApiProblems('v1', 'SLOListResponse', r.body)).toEqual([]);
    expect((r.body as { data: { type: string }[] }).data.map((s) => s.type)).toEqual(['metric', 'monitor', 'time_slice', 'monitor']);
  });

  it('GET /api/v1/slo/{id}/history computes the SLI from the submitted points, or leaves it out without data', async () => {
    const sli: (number | undefined)[] = [];
    for (const slo of api.state.slos) {
      const r = await get(`/api/v1/slo/${slo.id}/history?from_ts=${now - 3600}&to_ts=${now}`);
      expect(r.status).toBe(200);
      expect(openApiProblems('v1', 'SLOHistoryResponse', r.body)).toEqual([]);
      sli.push((r.body as { data: { overall: { sli_value?: number } } }).data.overall.sli_value);
    }
    // 78 good of 79 requests; a monitor at 99.95 %; both 5-minute slices (or the one) under 2 s; no data.
    expect(sli[0]).toBeCloseTo(98.73418, 4);
    expect(sli.slice(1)).toEqual([99.95, 100, undefined]);
  });

  it('GET /api/v1/query returns the points of the window', async () => {
    const r = await get(`/api/v1/query?from=${now - 900}&to=${now}&query=${encodeURIComponent('sum:trace.http.request.hits{service:chat}.as_count()')}`);
    expect(r.status).toBe(200);
    expect(openApiProblems('v1', 'MetricsQueryResponse', r.body)).toEqual([]);
    const points = (r.body as { series: { pointlist: [number, number][] }[] }).series[0]?.pointlist ?? [];
    expect(points.reduce((a, [, v]) => a + v, 0)).toBe(79);
    const empty = await get(`/api/v1/query?from=${now - 900}&to=${now}&query=${encodeURIComponent('avg:redis.net.clients{*}')}`);
    expect((empty.body as { series: unknown[] }).series).toEqual([]);
  });

  it('answers errors as {"errors": [...]}: 403 for a wrong key, 400 for a query it cannot parse, 404 for an unknown SLO', async () => {
    const bad = await get('/api/v1/validate', { 'dd-api-key': 'nope', 'dd-application-key': api.applicationKey });
    expect(bad).toEqual({ status: 403, body: { errors: ['Forbidden'] } });
    expect((await get('/api/v1/slo', { 'dd-api-key': api.apiKey, 'dd-application-key': 'nope' })).status).toBe(403);
    const parse = await get(`/api/v1/query?from=${now - 900}&to=${now}&query=${encodeURIComponent('avg:redis.net.clients{')}`);
    expect(parse.status).toBe(400);
    expect(openApiProblems('v1', 'APIErrorResponse', parse.body)).toEqual([]);
    expect((await get('/api/v1/slo/0123/history?from_ts=1&to_ts=2')).status).toBe(404);
  });

  it('GET /api/v1/dashboard and /api/v1/dashboard/{id}, group widgets included', async () => {
    const d = api.addDashboard('Production health', [{ title: 'Hits', query: 'sum:trace.http.request.hits{service:chat}.as_count()' }, { title: 'p95', query: 'p95:trace.http.request{service:chat}', group: 'Latency' }]);
    const list = await get('/api/v1/dashboard');
    expect(list.status).toBe(200);
    expect(openApiProblems('v1', 'DashboardSummary', list.body)).toEqual([]);
    const one = await get(`/api/v1/dashboard/${d.id}`);
    expect(one.status).toBe(200);
    expect(openApiProblems('v1', 'Dashboard', one.body)).toEqual([]);
    expect((one.body as { widgets: { definition: { type: string } }[] }).widgets.map((w) => w.definition.type)).toEqual(['timeseries', 'group']);
    expect((await get('/api/v1/dashboard/abc-def-ghi')).status).toBe(404);
  });

  it('POST /api/v2/series takes a MetricPayload and answers 202 with IntakePayloadAccepted', async () => {
    const payload = { series: [{ metric: 'redis.net.clients', type: 3, points: [{ timestamp: now - 5, value: 3 }], tags: ['env:production'] }] };
    expect(openApiProblems('v2', 'MetricPayload', payload)).toEqual([]);
    const res = await fetch(`${api.url}/api/v2/series`, { method: 'POST', headers: { 'dd-api-key': api.apiKey, 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    expect(res.status).toBe(202);
    const body: unknown = await res.json();
    expect(openApiProblems('v2', 'IntakePayloadAccepted', body)).toEqual([]);
    expect(api.state.points.filter((p) => p.metric === 'redis.net.clients')).toEqual([{ metric: 'redis.net.clients', tags: ['env:production'], timestamp: now - 5, value: 3 }]);
    const wrong = await fetch(`${api.url}/api/v2/series`, { method: 'POST', headers: { 'dd-api-key': api.apiKey }, body: JSON.stringify({ series: [{ metric: 'x', points: [{ timestamp: 'now', value: 1 }] }] }) });
    expect([wrong.status, await wrong.json()]).toEqual([400, { errors: ['series[0]: each point needs an integer timestamp (seconds) and a numeric value'] }]);
  });
});
