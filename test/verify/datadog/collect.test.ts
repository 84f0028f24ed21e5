import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StackSpec, Targets } from '../../../spec/index.js';
import { stackSpecSchema, targetsSchema } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import type { Report } from '../../../report/types.js';
import { runVerify } from '../../../verify/runner.js';
import { datadogFamily } from '../../../verify/datadog/index.js';
import { startDatadogApi, type DatadogApiServer, type FakeSlo } from '../../fixtures/datadog-api/index.js';

const HITS = 'sum:trace.http.request.hits{service:shop}.as_count()';
const GOOD = 'sum:trace.http.request.hits{service:shop,!http.status_class:5xx}.as_count()';
const P95 = 'p95:trace.http.request{service:shop}';

const specOf = (datadog: Record<string, unknown> = {}): StackSpec =>
  stackSpecSchema.parse({
    app: { name: 'shop', domain: 'shop.example.com', canonicalHost: 'none' },
    datadog: {
      slos: [
        { name: 'Error rate', target: '99%', metric: { numerator: GOOD, denominator: HITS } },
        { name: 'Uptime', target: 99.9, monitorIds: [4242] },
        { name: 'p95 under 2 s', target: 99, timeframe: '7d', timeSlice: { query: P95, threshold: 2 } },
      ],
      metrics: { series: { db: 'avg:postgresql.connections{db:shop}', redis: 'avg:redis.net.clients{*}' } },
      ...datadog,
    },
  });

let api: DatadogApiServer;
let errorRate: FakeSlo;
let uptime: FakeSlo;
let latency: FakeSlo;

beforeAll(async () => {
  api = await startDatadogApi();
});
afterAll(async () => {
  await api.stop();
});

beforeEach(() => {
  api.allow();
  api.state = { slos: [], points: [], dashboards: [] };
  const now = Math.floor(Date.now() / 1000);
  api.submit('trace.http.request.hits', ['service:shop', 'http.status_class:2xx'], [[now - 60, 500]]);
  api.submit('trace.http.request.hits', ['service:shop', 'http.status_class:5xx'], [[now - 60, 2]]);
  api.submit('trace.http.request', ['service:shop'], [[now - 60, 0.3]]);
  api.submit('postgresql.connections', ['db:shop'], [[now - 120, 12], [now - 60, 14]]);
  api.submit('redis.net.clients', ['env:production'], [[now - 30, 3]]);
  errorRate = api.addSlo({ name: 'Error rate', type: 'metric', thresholds: [{ timeframe: '30d', target: 99 }], query: { numerator: GOOD, denominator: HITS } });
  uptime = api.addSlo({ name: 'Uptime', type: 'monitor', thresholds: [{ timeframe: '30d', target: 99.95 }], monitorIds: [4242], monitorSli: 99.97 });
  latency = api.addSlo({ name: 'p95 under 2 s', type: 'time_slice', thresholds: [{ timeframe: '7d', target: 99 }], timeSlice: { query: P95, comparator: '<', threshold: 2, intervalSeconds: 300 } });
});

const targets = (over: Record<string, unknown> = {}): Targets => targetsSchema.parse({ datadog: { apiKey: api.apiKey, applicationKey: api.applicationKey, baseUrl: api.url, timeoutMs: 2_000, ...over } });
const verify = (t = targets(), spec = specOf()): Promise<Report> => runVerify({ stack: 'test', spec, targets: t, families: [datadogFamily as never], redactor: new Redactor(), select: () => true, active: false });
const messages = (r: Report, control: string) => r.results.filter((x) => x.control === control).map((x) => [x.status, x.message]);

describe('monitoring.slo', () => {
  it('passes each listed SLO defined with its target (or a stricter one) and reads its status', async () => {
    expect(messages(await verify(), 'monitoring.slo')).toEqual([
      ['pass', 'The Datadog SLO "Error rate" targets 99 % over 30d and is met (SLI 99.6016 %).'],
      ['pass', 'The Datadog SLO "Uptime" targets 99.95 % over 30d and is met (SLI 99.97 %).'],
      ['pass', 'The Datadog SLO "p95 under 2 s" targets 99 % over 7d and is met (SLI 100 %).'],
    ]);
  });

  it('fails a missing SLO, a looser target, a missing timeframe and an SLO that measures something else', async () => {
    api.state.slos = api.state.slos.filter((s) => s !== uptime);
    errorRate.thresholds = [{ timeframe: '30d', target: 98.5 }];
    latency.thresholds = [{ timeframe: '30d', target: 99.5 }];
    expect(messages(await verify(), 'monitoring.slo')).toEqual([
      ['fail', 'The Datadog SLO "Error rate" targets 98.5 % over 30d, looser than the stack\'s 99 %.'],
      ['fail', 'Datadog has no SLO named "Uptime": the stack\'s objective (99.9 % over 30d) is not defined.'],
      ['fail', 'The Datadog SLO "p95 under 2 s" has no 7d target (it has 99.5 % over 30d): the stack\'s objective is 99 % over 7d.'],
    ]);
    errorRate.thresholds = [{ timeframe: '30d', target: 99 }];
    errorRate.query = { numerator: HITS, denominator: HITS };
    latency.timeSlice = { query: P95, comparator: '<', threshold: 5, intervalSeconds: 300 };
    latency.thresholds = [{ timeframe: '7d', target: 99 }];
    expect(messages(await verify(), 'monitoring.slo').filter(([s]) => s === 'fail')).toEqual([
      ['fail', `The Datadog SLO "Error rate" counts ${HITS} over ${HITS}, not ${GOOD} over ${HITS} (prodcheck:datadog.slos[0].metric): it measures something else than the stack says.`],
      ['fail', 'Datadog has no SLO named "Uptime": the stack\'s objective (99.9 % over 30d) is not defined.'],
      ['fail', `The Datadog SLO "p95 under 2 s" counts the slices where ${P95} < 5, not ${P95} < 2 (prodcheck:datadog.slos[2].timeSlice): it measures something else than the stack says.`],
    ]);
    errorRate.type = 'monitor';
    expect(messages(await verify(), 'monitoring.slo')[0]).toEqual(['fail', 'The Datadog SLO "Error rate" is monitor-based, not the metric-based SLO prodcheck:datadog.slos[0] describes.']);
  });

  it('judges nothing for an SLO without data, and passes a breached SLO saying it is breached', async () => {
    uptime.monitorSli = null;
    api.state.points = api.state.points.filter((p) => p.metric !== 'trace.http.request');
    api.submit('trace.http.request.hits', ['service:shop', 'http.status_class:5xx'], [[Math.floor(Date.now() / 1000) - 10, 20]]);
    expect(messages(await verify(), 'monitoring.slo')).toEqual([
      ['pass', 'The Datadog SLO "Error rate" targets 99 % over 30d and is breached (SLI 95.7854 %, below 99 %): the objective is defined and measured, and the app misses it.'],
      ['skip', 'The Datadog SLO "Uptime" targets 99.95 % over 30d but has no data over the last 30d: nothing says what it measures.'],
      ['skip', 'The Datadog SLO "p95 under 2 s" targets 99 % over 7d but has no data over the last 7d: nothing says what it measures.'],
    ]);
  });

  it('of several SLOs under one name, the best stands for it', async () => {
    api.addSlo({ name: 'uptime ', type: 'monitor', thresholds: [{ timeframe: '30d', target: 90 }], monitorIds: [4242] });
    expect(messages(await verify(), 'monitoring.slo')[1]?.[0]).toBe('pass');
  });

  it('skips when the stack lists no SLO, and never lists the SLOs then', async () => {
    const before = api.requests('GET /api/v1/slo');
    expect(messages(await verify(targets(), specOf({ slos: [] })), 'monitoring.slo')).toEqual([['skip', 'The stack lists no SLO (prodcheck:datadog.slos).']]);
    expect(api.requests('GET /api/v1/slo')).toBe(before);
  });
});

describe('monitoring.metrics', () => {
  it('passes each series with datapoints in the window', async () => {
    const r = await verify();
    expect(messages(r, 'monitoring.metrics')).toEqual([
      ['pass', 'The Datadog series "db" (avg:postgresql.connections{db:shop}) has 2 datapoints in the last 15 min.'],
      ['pass', 'The Datadog series "redis" (avg:redis.net.clients{*}) has 1 datapoint in the last 15 min.'],
    ]);
    expect(r.results.filter((x) => x.control === 'monitoring.metrics').map((x) => x.resource)).toEqual(['db', 'redis']);
  });

  it('fails a series that stopped, naming it; an older point outside the window does not count', async () => {
    api.state.points = api.state.points.filter((p) => p.metric !== 'redis.net.clients');
    api.submit('redis.net.clients', ['env:production'], [[Math.floor(Date.now() / 1000) - 20 * 60, 3]]);
    const r = await verify();
    expect(messages(r, 'monitoring.metrics')[1]).toEqual(['fail', 'The Datadog series "redis" (avg:redis.net.clients{*}) has no datapoint in the last 15 min: its metrics are not being collected.']);
    expect(r.results.find((x) => x.resource === 'redis')?.actual).toBe('no datapoint');
    // A wider window takes the older point in.
    const wide = await verify(targets(), specOf({ metrics: { windowMinutes: 30, series: { redis: 'avg:redis.net.clients{*}' } } }));
    expect(messages(wide, 'monitoring.metrics')[0]?.[0]).toBe('pass');
  });

  it('is an error, saying what to fix, when Datadog cannot parse a listed query', async () => {
    const r = await verify(targets(), specOf({ metrics: { series: { db: 'avg:postgresql.connections{db:shop' } } }));
    expect(messages(r, 'monitoring.metrics')).toEqual([
      ['error', 'Could not query the Datadog series "db" (avg:postgresql.connections{db:shop): the Datadog API answered HTTP 400: Error parsing query: unable to parse avg:postgresql.connections{db:shop: Rule \'scope_expr\' didn\'t match reading the series "db": fix its query in prodcheck:datadog.metrics.series.'],
    ]);
  });
});

describe('keys and reachability', () => {
  it('a wrong API key is an error on both controls, saying which key to set; no key is ever printed', async () => {
    const listed = api.requests('GET /api/v1/slo');
    const r = await verify(targets({ apiKey: 'f'.repeat(32) }));
    const why = 'Could not use the Datadog API: the Datadog API refused the API key (HTTP 403: Forbidden): set targets datadog.apiKey to an API key of the organization on datadoghq.com (Organization Settings > API Keys).';
    expect(r.results.map((x) => [x.control, x.status, x.message])).toEqual([
      ['monitoring.slo', 'error', why],
      ['monitoring.metrics', 'error', why],
      // No dashboard is listed: nothing to say about one.
      ['monitoring.dashboards', 'skip', 'The stack lists no Datadog dashboard (prodcheck:datadog.dashboards).'],
    ]);
    expect(api.requests('GET /api/v1/slo')).toBe(listed);
    expect(JSON.stringify(r)).not.toContain(api.applicationKey);
  });

  it('a wrong application key is an error naming the key and the scope it needs', async () => {
    const r = await verify(targets({ applicationKey: 'a'.repeat(40), site: 'datadoghq.eu' }));
    expect(messages(r, 'monitoring.slo')).toEqual([['error', 'Could not read the Datadog SLOs: the Datadog API refused the keys reading the SLOs (HTTP 403: Forbidden): set targets datadog.applicationKey to an application key of the organization on datadoghq.eu with the slos_read scope.']]);
    expect(messages(r, 'monitoring.metrics')[0]?.[1]).toBe('Could not query the Datadog series "db" (avg:postgresql.connections{db:shop}): the Datadog API refused the keys reading the series "db" (HTTP 403: Forbidden): set targets datadog.applicationKey to an application key of the organization on datadoghq.eu with the timeseries_query scope.');
  });

  it('a rate limit and an API that does not answer are errors, never a pass', async () => {
    api.refuse(429);
    expect((await verify()).results.map((x) => x.status)).toEqual(['error', 'error', 'skip']);
    api.hang();
    const r = await verify(targets({ timeoutMs: 300 }));
    const why = `Could not use the Datadog API: could not reach the Datadog API at ${api.url} reading the API key: the Datadog API did not answer within 300 ms.`;
    expect(r.results.slice(0, 2).map((x) => [x.status, x.message])).toEqual([
      ['error', why],
      ['error', why],
    ]);
  });
});

describe('monitoring.dashboards', () => {
  const withDashboards = (titles: string[]) => specOf({ dashboards: titles });
  const results = async (spec: StackSpec) => (await verify(targets(), spec)).results.filter((x) => x.control === 'monitoring.dashboards').map((x) => [x.status, x.message]);

  it('passes a listed dashboard whose metrics widgets (group widgets opened) show data from the window', async () => {
    api.addDashboard('Production health', [
      { title: 'Connections', query: 'avg:postgresql.connections{db:shop}' },
      { title: 'Clients', query: 'avg:redis.net.clients{*}', group: 'Cache' },
      { title: 'By env', query: 'avg:redis.net.clients{$env}' },
    ]);
    expect(await results(withDashboards(['Production health']))).toEqual([
      ['pass', 'The Datadog dashboard "Production health" exists and its 2 metrics queries (of 3 widgets) returned data from the last 15 min; 1 query with template variables not run.'],
    ]);
  });

  it('fails a missing dashboard (naming one that differs in case) and a widget that shows nothing current', async () => {
    api.addDashboard('production health', [{ title: 'Connections', query: 'avg:postgresql.connections{db:shop}' }]);
    api.addDashboard('Cache', [
      { title: 'Clients', query: 'avg:redis.net.clients{*}' },
      { title: 'Evictions', query: 'sum:redis.keys.evicted{*}.as_count()' },
    ]);
    expect(await results(withDashboards(['Production health', 'Cache']))).toEqual([
      ['fail', 'Datadog has no dashboard titled "Production health" (found "production health", which differs in case).'],
      ['fail', 'The widget "Evictions" on Datadog dashboard "Cache" shows no data from the last 15 min (sum:redis.keys.evicted{*}.as_count()): the dashboard shows nothing current.'],
    ]);
  });

  it('a widget query Datadog cannot run is an error; no listed dashboard is a skip that never lists them', async () => {
    api.addDashboard('Broken', [{ title: 'Bad', query: 'avg:postgresql.connections{db:shop' }]);
    const [status, message] = (await results(withDashboards(['Broken'])))[0] ?? [];
    expect(status).toBe('error');
    expect(message).toMatch(/^Could not run the query of the widget "Bad" on Datadog dashboard "Broken": the Datadog API answered HTTP 400: Error parsing query: .* reading the widget "Bad" of the dashboard "Broken": fix the widget's query in Datadog\.$/);
    const before = api.requests('GET /api/v1/dashboard');
    expect(await results(specOf())).toEqual([['skip', 'The stack lists no Datadog dashboard (prodcheck:datadog.dashboards).']]);
    expect(api.requests('GET /api/v1/dashboard')).toBe(before);
  });
});
