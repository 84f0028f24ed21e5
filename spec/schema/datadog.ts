import { z } from 'zod';

/** The Datadog sites; each has its own API host (api.<site>). */
export const DATADOG_SITES = ['datadoghq.com', 'us3.datadoghq.com', 'us5.datadoghq.com', 'datadoghq.eu', 'ap1.datadoghq.com', 'ddog-gov.com'] as const;
export type DatadogSite = (typeof DATADOG_SITES)[number];

/** The rolling windows a Datadog SLO target is set over. */
export const SLO_TIMEFRAMES = ['7d', '30d', '90d'] as const;
export type SloTimeframe = (typeof SLO_TIMEFRAMES)[number];

export const SLICE_COMPARATORS = ['<', '<=', '>', '>='] as const;

/** A metric query as Datadog writes it, e.g. sum:trace.http.request.hits{env:production}.as_count(). */
const query = z.string().trim().min(1).max(2000);

/** "99.9%", "99.9 %" or 99.9: the share of good events (or time) the SLO promises, in percent. */
const percent = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const m = typeof v === 'string' ? /^(\d+(?:\.\d+)?)\s*%$/.exec(v.trim()) : undefined;
  const n = typeof v === 'number' ? v : m ? Number(m[1]) : Number.NaN;
  if (Number.isNaN(n)) ctx.addIssue({ code: 'custom', message: `must be a percentage such as "99.9%" or a number such as 99.9 (found ${JSON.stringify(v)})` });
  else if (!(n > 0 && n < 100)) ctx.addIssue({ code: 'custom', message: `must be above 0% and below 100% (found ${n}; an SLO of 100% has no error budget)` });
  return n;
});

/**
 * One SLO, measured one of three ways:
 * - metric: good events over all events ("error rate < 1 %" is a 99 % target on non-5xx over all requests);
 * - monitorIds: the time the given monitors were OK ("uptime 99.9 %" over the uptime monitor);
 * - timeSlice: the share of time slices where a query meets a threshold ("p95 < 2 s" as p95 latency < 2 in 5-minute slices).
 */
const sloSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(1000),
    /** The promised share in percent, e.g. 99.9 or "99.9%"; a stricter target in Datadog passes. */
    target: percent,
    timeframe: z.enum(SLO_TIMEFRAMES).default('30d'),
    metric: z.strictObject({ numerator: query, denominator: query }).optional(),
    monitorIds: z.array(z.number().int().positive()).min(1).optional(),
    timeSlice: z
      .strictObject({
        query,
        comparator: z.enum(SLICE_COMPARATORS).default('<'),
        /** In the query's unit: 2 for "p95 < 2 s" on a latency metric in seconds. */
        threshold: z.number(),
        intervalSeconds: z.union([z.literal(60), z.literal(300)]).default(300),
        /** The query's unit (trace.http.request is in seconds), so that reports state the threshold as "< 2 s". */
        unit: z.enum(['ms', 's', '%']).optional(),
      })
      .optional(),
    description: z.string().max(1000).optional(),
    tags: z.array(z.string().regex(/^[a-z][a-z0-9_.:/-]*$/i, { message: 'must be a Datadog tag such as team:web' })).default([]),
  })
  .superRefine((s, ctx) => {
    const kinds = [s.metric && 'metric', s.monitorIds && 'monitorIds', s.timeSlice && 'timeSlice'].filter(Boolean);
    if (kinds.length !== 1) ctx.addIssue({ code: 'custom', path: [], message: `must say what the SLO measures with exactly one of metric (numerator/denominator queries), monitorIds or timeSlice (found ${kinds.length === 0 ? 'none' : kinds.join(', ')})` });
  });

export type SloSpec = z.output<typeof sloSchema>;
export type SloKind = 'metric' | 'monitor' | 'time_slice';

/** The Datadog SLO type a spec entry describes. */
export function sloKindOf(s: SloSpec): SloKind {
  return s.metric ? 'metric' : s.monitorIds ? 'monitor' : 'time_slice';
}

/** How recent a datapoint must be for a series or a dashboard widget to count as current, unless metrics.windowMinutes says. */
const DEFAULT_WINDOW_MINUTES = 15;

/** `prodcheck:datadog`: application-health SLOs and the metric series that must keep flowing, on Datadog. */
export const datadogSchema = z
  .strictObject({
    site: z.enum(DATADOG_SITES).default('datadoghq.com'),
    slos: z.array(sloSchema).default([]),
    metrics: z
      .strictObject({
        /** A series counts as flowing when it has a datapoint this recent. */
        windowMinutes: z.number().int().min(1).max(1440).default(DEFAULT_WINDOW_MINUTES),
        /** Named queries, e.g. db: avg:postgresql.connections{db:chat}; each must return datapoints within the window. */
        series: z.record(z.string().regex(/^[a-z][a-z0-9 _-]{0,49}$/i, { message: 'must be a short name (letters, digits, space, - and _)' }), query).refine((r) => Object.keys(r).length > 0, { message: 'must name at least one series' }),
      })
      .optional(),
    /** Dashboards that must exist, by title; the metrics queries of their widgets must return data within metrics.windowMinutes (default 15). */
    dashboards: z.array(z.string().trim().min(1).max(1000)).default([]),
    /**
     * Provision the Datadog AWS integration (IAM role, policy, integration account) so the CloudWatch series of
     * the stack's RDS Postgres and ElastiCache Redis (aws.rds.*, aws.elasticache.*) flow; off unless set.
     */
    awsIntegration: z.boolean().default(false),
  })
  .superRefine((d, ctx) => {
    const seen = new Map<string, number>();
    d.slos.forEach((s, i) => {
      const before = seen.get(s.name.toLowerCase());
      if (before !== undefined) ctx.addIssue({ code: 'custom', path: ['slos', i, 'name'], message: `"${s.name}" is already the name of slos[${before}]: each SLO is found by its name` });
      seen.set(s.name.toLowerCase(), i);
    });
    if (d.awsIntegration && d.site === 'ddog-gov.com') ctx.addIssue({ code: 'custom', path: ['awsIntegration'], message: 'is not provisioned by prodcheck on ddog-gov.com (GovCloud, whose integration role trusts another Datadog account): set up the AWS integration in Datadog and drop awsIntegration' });
    if (d.slos.length === 0 && !d.metrics && d.dashboards.length === 0) ctx.addIssue({ code: 'custom', path: [], message: 'lists no SLO (slos), no metric series (metrics) and no dashboard (dashboards): add one or drop prodcheck:datadog' });
  });

export type DatadogSpec = z.output<typeof datadogSchema>;

/** Whether the program provisions anything on Datadog for this section (and so needs the organization's keys). */
/** The window the series and the dashboards' widgets are read over (metrics.windowMinutes, else 15), in minutes. */
export function datadogWindowMinutes(d: DatadogSpec | undefined): number {
  return d?.metrics?.windowMinutes ?? DEFAULT_WINDOW_MINUTES;
}

export function datadogProvisions(d: DatadogSpec | undefined): boolean {
  return d !== undefined && (d.slos.length + d.dashboards.length > 0 || d.awsIntegration);
}

/** The API root of a site: https://api.datadoghq.com, https://api.datadoghq.eu, ... */
export function datadogApiUrl(site: DatadogSite): string {
  return `https://api.${site}`;
}

/**
 * What the dashboards prodcheck provisions chart, one timeseries widget each: what the SLOs are computed
 * from (good and total events, the time-slice query), else the listed metric series.
 */
export function dashboardCharts(d: DatadogSpec): { readonly title: string; readonly query: string }[] {
  const sli = d.slos.flatMap((s) => [
    ...(s.metric ? [{ title: `${s.name}: good`, query: s.metric.numerator }, { title: `${s.name}: total`, query: s.metric.denominator }] : []),
    ...(s.timeSlice ? [{ title: s.name, query: s.timeSlice.query }] : []),
  ]);
  return sli.length > 0 ? sli : Object.entries(d.metrics?.series ?? {}).map(([title, query]) => ({ title, query }));
}
