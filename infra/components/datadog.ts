import * as datadog from '@pulumi/datadog';
import * as pulumi from '@pulumi/pulumi';
import type { DatadogSpec, SloSpec } from '../../spec/index.js';
import { dashboardCharts, datadogApiUrl } from '../../spec/index.js';
import { ProvisionLog, provisions } from '../provisions.js';
import type { AwsNamespace, DatadogAws } from './datadog-aws.js';
import { createDatadogAws } from './datadog-aws.js';

export const DATADOG = provisions('infra/components/datadog.ts', ['monitoring.slo', 'monitoring.dashboards', 'monitoring.metrics']);

export interface DatadogArgs {
  readonly spec: DatadogSpec;
  /** `datadog:apiKey` and `datadog:appKey`, set with `pulumi config set --secret` (programProblems requires both). */
  readonly apiKey: pulumi.Input<string>;
  readonly appKey: pulumi.Input<string>;
  /** prodcheck:datadog.awsIntegration: the stack's AWS account and the namespaces of the databases it creates. */
  readonly aws?: { readonly app: string; readonly stack: string; readonly namespaces: readonly AwsNamespace[] };
}

/** The provider's inputs for one SLO of the spec: its type, target and what it measures. */
export function sloArgs(s: SloSpec): datadog.ServiceLevelObjectiveArgs {
  const base = {
    name: s.name,
    thresholds: [{ timeframe: s.timeframe, target: s.target }],
    ...(s.description !== undefined ? { description: s.description } : {}),
    tags: ['managed-by:prodcheck', ...s.tags],
  };
  if (s.metric) return { ...base, type: 'metric', query: { numerator: s.metric.numerator, denominator: s.metric.denominator } };
  if (s.monitorIds) return { ...base, type: 'monitor', monitorIds: [...s.monitorIds] };
  const ts = s.timeSlice;
  if (!ts) throw new Error(`the SLO "${s.name}" measures nothing (the schema requires metric, monitorIds or timeSlice)`);
  return {
    ...base,
    type: 'time_slice',
    sliSpecification: {
      timeSlice: {
        comparator: ts.comparator,
        threshold: ts.threshold,
        queryIntervalSeconds: ts.intervalSeconds,
        query: { formula: { formulaExpression: 'query1' }, queries: [{ metricQuery: { dataSource: 'metrics', name: 'query1', query: ts.query } }] },
      },
    },
  };
}

/** A dashboard of `title` charting `charts`, one timeseries widget each (the query under `query1`). */
export function dashboardArgs(title: string, charts: readonly { readonly title: string; readonly query: string }[]): datadog.DashboardArgs {
  return {
    title,
    layoutType: 'ordered',
    description: 'Provisioned by prodcheck from prodcheck:datadog.',
    widgets: charts.map((c) => ({
      timeseriesDefinition: {
        title: c.title,
        showLegend: false,
        requests: [{ displayType: 'line', formulas: [{ formulaExpression: 'query1' }], queries: [{ metricQuery: { dataSource: 'metrics', name: 'query1', query: c.query } }] }],
      },
    })),
  };
}

/**
 * The SLOs of prodcheck:datadog.slos on Datadog through @pulumi/datadog, one ServiceLevelObjective each, under
 * a provider for the stack's site whose keys come from config as secrets, and a Dashboard per title of
 * prodcheck:datadog.dashboards charting what the SLOs are computed from (else the listed series). The metric series
 * (prodcheck:datadog.metrics) flow from the Agent and APM in the app, which no Datadog resource creates, except
 * the CloudWatch series of RDS and ElastiCache: with awsIntegration the AWS integration that collects them
 * (see datadog-aws.ts), which is what stage P of monitoring.metrics claims.
 */
export class Datadog extends pulumi.ComponentResource {
  readonly sloIds: pulumi.Output<string>[];
  readonly dashboardIds: pulumi.Output<string>[];
  readonly aws?: DatadogAws;
  readonly provisioned = new ProvisionLog(DATADOG);

  constructor(name: string, args: DatadogArgs, opts?: pulumi.ComponentResourceOptions) {
    super('prodcheck:datadog:Datadog', name, {}, opts);
    const { spec } = args;
    const provider = new datadog.Provider(`${name}-datadog`, { apiKey: pulumi.secret(args.apiKey), appKey: pulumi.secret(args.appKey), apiUrl: `${datadogApiUrl(spec.site)}/` }, { parent: this });
    this.sloIds = spec.slos.map((s, i) => new datadog.ServiceLevelObjective(`${name}-slo-${i}`, sloArgs(s), { parent: this, provider }).id);
    if (spec.slos.length > 0) this.provisioned.claim('monitoring.slo');
    const charts = dashboardCharts(spec);
    this.dashboardIds = spec.dashboards.map((title, i) => new datadog.Dashboard(`${name}-dashboard-${i}`, dashboardArgs(title, charts), { parent: this, provider }).id);
    if (spec.dashboards.length > 0) this.provisioned.claim('monitoring.dashboards');
    if (args.aws && args.aws.namespaces.length > 0) {
      this.aws = createDatadogAws(`${name}-aws`, args.aws, this, provider);
      this.provisioned.claim('monitoring.metrics');
    }
    this.registerOutputs({ sloIds: this.sloIds, dashboardIds: this.dashboardIds, ...(this.aws ? { awsIntegrationId: this.aws.integrationId } : {}), controls: this.provisioned.controls });
  }
}
