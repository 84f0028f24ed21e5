import { beforeAll, describe, expect, test } from 'vitest';
import { programProblems } from '../../infra/problems.js';
import { loadStackFile, stackSpecSchema } from '../../spec/index.js';
import type { StackRun } from './helpers/mock-stack.js';
import { isSecretWire, plain, resource, runStackFile, SECRET_MARK, stubProviderSerialization } from './helpers/mock-stack.js';

const T = {
  datadog: 'prodcheck:datadog:Datadog',
  provider: 'pulumi:providers:datadog',
  slo: 'datadog:index/serviceLevelObjective:ServiceLevelObjective',
  dashboard: 'datadog:index/dashboard:Dashboard',
} as const;

let prod: StackRun;
let phonepe: StackRun;
beforeAll(async () => {
  stubProviderSerialization();
  prod = await runStackFile('prod');
  phonepe = await runStackFile('phonepe');
});

describe('prod: SLOs on Datadog', () => {
  test('one ServiceLevelObjective per SLO of the spec, each under the component and its provider', () => {
    const slos = prod.resources.filter((r) => r.type === T.slo).sort((a, b) => a.name.localeCompare(b.name));
    expect(slos.map((r) => [r.name, r.parent, r.provider?.split('::')[0]])).toEqual([0, 1, 2, 3].map((i) => [`chat-datadog-slo-${i}`, 'chat-datadog', 'chat-datadog-datadog']));
  });

  test('a metric SLO counts good over total, a time-slice SLO its query against the threshold, each with its target over its timeframe', () => {
    expect(plain(resource(prod, T.slo, 'chat-datadog-slo-1').inputs)).toEqual({
      name: 'chat error rate',
      type: 'metric',
      thresholds: [{ timeframe: '30d', target: 99 }],
      query: {
        numerator: 'sum:trace.http.request.hits{service:chat,env:production,!http.status_class:5xx}.as_count()',
        denominator: 'sum:trace.http.request.hits{service:chat,env:production}.as_count()',
      },
      tags: ['managed-by:prodcheck'],
    });
    expect(plain(resource(prod, T.slo, 'chat-datadog-slo-0').inputs)).toMatchObject({
      name: 'chat uptime',
      type: 'time_slice',
      thresholds: [{ timeframe: '30d', target: 99.9 }],
      sliSpecification: {
        timeSlice: {
          comparator: '>=',
          threshold: 1,
          queryIntervalSeconds: 60,
          query: { formula: { formulaExpression: 'query1' }, queries: [{ metricQuery: { dataSource: 'metrics', name: 'query1', query: 'min:network.http.can_connect{url:https://chat.example.com/api/health}' } }] },
        },
      },
    });
    expect(plain(resource(prod, T.slo, 'chat-datadog-slo-2').inputs)).toMatchObject({ name: 'chat p95 latency', sliSpecification: { timeSlice: { comparator: '<', threshold: 2, queryIntervalSeconds: 300 } } });
  });

  test('the provider talks to the stack\'s site with both keys as secrets, and the component claims monitoring.slo', () => {
    const provider = resource(prod, T.provider, 'chat-datadog-datadog');
    expect(plain(provider.inputs)).toMatchObject({ apiUrl: 'https://api.datadoghq.com/' });
    for (const key of ['apiKey', 'appKey']) {
      expect(isSecretWire(provider.inputs[key]), key).toBe(true);
      expect(String(plain(provider.inputs[key]))).toContain(SECRET_MARK);
    }
    expect(prod.deployment.components.datadog?.provisioned.controls).toEqual(['monitoring.slo', 'monitoring.dashboards', 'monitoring.metrics']);
  });

  test('the dashboard charts what the SLOs are computed from, one timeseries widget per query, as verify reads it', () => {
    const d = resource(prod, T.dashboard, 'chat-datadog-dashboard-0');
    expect(d.parent).toBe('chat-datadog');
    const inputs = plain(d.inputs) as { title: string; layoutType: string; widgets: { timeseriesDefinition: { title: string; requests: { queries: { metricQuery: { dataSource: string; query: string } }[] }[] } }[] };
    expect([inputs.title, inputs.layoutType]).toEqual(['chat production health', 'ordered']);
    expect(inputs.widgets.map((w) => [w.timeseriesDefinition.title, w.timeseriesDefinition.requests[0]?.queries[0]?.metricQuery.query])).toEqual([
      ['chat uptime', 'min:network.http.can_connect{url:https://chat.example.com/api/health}'],
      ['chat error rate: good', 'sum:trace.http.request.hits{service:chat,env:production,!http.status_class:5xx}.as_count()'],
      ['chat error rate: total', 'sum:trace.http.request.hits{service:chat,env:production}.as_count()'],
      ['chat p95 latency', 'p95:trace.http.request{service:chat,env:production}'],
      ['chat API success: good', 'sum:trace.http.request.hits{service:chat,env:production,http.path_group:/api/*,!http.status_class:5xx}.as_count()'],
      ['chat API success: total', 'sum:trace.http.request.hits{service:chat,env:production,http.path_group:/api/*}.as_count()'],
    ]);
  });

  test('a stack that lists series and no SLO or dashboard provisions nothing on Datadog (the series flow from the Agent and APM)', () => {
    expect(loadStackFile('examples/Pulumi.phonepe.yaml').spec.datadog?.metrics).toBeDefined();
    expect(phonepe.resources.filter((r) => r.type.startsWith('datadog:') || r.type === T.provider || r.type === T.datadog)).toEqual([]);
  });
});

describe('Datadog keys in config', () => {
  const spec = stackSpecSchema.parse({ app: { name: 'a', domain: 'a.example.com' }, datadog: { site: 'datadoghq.eu', slos: [{ name: 'Uptime', target: 99.9, monitorIds: [1] }] } });
  const lookup = (set: Record<string, boolean>) => ({ has: (k: string) => k in set, isSecret: (k: string) => set[k] === true });

  test('both keys unset, or one in plain text, is a config error naming what to run', () => {
    expect(programProblems(spec, lookup({})).filter((p) => p.path.startsWith('datadog:'))).toEqual([
      { path: 'datadog:apiKey', message: 'is not set, and the SLOs and dashboards of prodcheck:datadog need it: `pulumi config set --secret datadog:apiKey <an API key of the organization on datadoghq.eu>`' },
      { path: 'datadog:appKey', message: 'is not set, and the SLOs and dashboards of prodcheck:datadog need it: `pulumi config set --secret datadog:appKey <an application key of the organization on datadoghq.eu>`' },
    ]);
    expect(programProblems(spec, lookup({ 'datadog:apiKey': true, 'datadog:appKey': false })).filter((p) => p.path.startsWith('datadog:'))).toEqual([
      { path: 'datadog:appKey', message: 'holds a secret in plain text: set it again with `pulumi config set --secret datadog:appKey <an application key>`' },
    ]);
    expect(programProblems(spec, lookup({ 'datadog:apiKey': true, 'datadog:appKey': true })).filter((p) => p.path.startsWith('datadog:'))).toEqual([]);
  });
});
