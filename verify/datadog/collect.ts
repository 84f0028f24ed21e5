import type { SloSpec, SloTimeframe } from '../../spec/index.js';
import { datadogApiUrl, datadogWindowMinutes } from '../../spec/index.js';
import { errorText } from '../net.js';
import { probe } from '../probe.js';
import type { CollectContext, Collector, Probe } from '../types.js';
import { DatadogApiError, DatadogClient } from './client.js';

/** A Datadog SLO, reduced to what is judged. */
export interface DatadogSlo {
  readonly id: string;
  readonly name: string;
  /** metric, monitor or time_slice (as Datadog names them). */
  readonly type: string;
  readonly thresholds: readonly { readonly timeframe: string; readonly target: number }[];
  readonly numerator: string | undefined;
  readonly denominator: string | undefined;
  readonly monitorIds: readonly number[];
  /** A time-slice SLO's condition: its single metrics query, comparator and threshold. */
  readonly timeSlice: { readonly query: string | undefined; readonly comparator: string; readonly threshold: number } | undefined;
}

/** What the SLO history says over the stack's timeframe: the SLI in percent, or null when there is no data. */
export interface SloStatus {
  readonly sli: number | null;
}

/** What a metrics query returned: how many non-null datapoints, and when the latest was (ms since epoch). */
export interface SeriesReading {
  readonly query: string;
  readonly points: number;
  readonly lastPointMs: number | null;
}

export interface DatadogSnapshot {
  readonly site: string;
  /** The API key validated (/api/v1/validate); when it failed nothing else was read. */
  readonly auth: Probe<true>;
  /** When the reading was taken (ms since epoch): windows are judged from here. */
  readonly readAt: number;
  /** Every SLO of the organization; undefined when the stack lists none. */
  readonly slos: Probe<readonly DatadogSlo[]> | undefined;
  /** Per `statusKey(slo id, timeframe)`, for the SLOs that carry a listed name. */
  readonly status: Readonly<Record<string, Probe<SloStatus>>>;
  /** Per series name of prodcheck:datadog.metrics.series. */
  readonly series: Readonly<Record<string, Probe<SeriesReading>>>;
  /** Every dashboard of the organization; undefined when the stack lists none. */
  readonly dashboards: Probe<readonly DashboardSummary[]> | undefined;
  /** Per dashboard id, for the dashboards that carry a listed title. */
  readonly dashboardDetails: Readonly<Record<string, Probe<DashboardDetail>>>;
}

/** A dashboard of the organization, as the listing names it. */
export interface DashboardSummary {
  readonly id: string;
  readonly title: string;
}

/** One metrics query of a dashboard's widget, and what it returned over the window. */
export interface WidgetQuery {
  readonly widget: string;
  readonly query: string;
  readonly reading: Probe<SeriesReading>;
}

/** What a listed dashboard holds: its widgets, the metrics queries run, those left out (template variables). */
export interface DashboardDetail {
  readonly widgets: number;
  readonly queries: readonly WidgetQuery[];
  readonly templated: number;
}

export const statusKey = (id: string, timeframe: string): string => `${id}/${timeframe}`;

interface WireSlo {
  readonly id?: string;
  readonly name?: string;
  readonly type?: string;
  readonly thresholds?: readonly { readonly timeframe?: string; readonly target?: number }[];
  readonly query?: { readonly numerator?: string; readonly denominator?: string } | null;
  readonly monitor_ids?: readonly number[] | null;
  readonly sli_specification?: {
    readonly time_slice?: {
      readonly comparator?: string;
      readonly threshold?: number;
      readonly query?: { readonly formulas?: readonly { readonly formula?: string }[]; readonly queries?: readonly { readonly name?: string; readonly query?: string }[] };
    };
  } | null;
}
interface WireSloList {
  readonly data?: readonly WireSlo[] | null;
}
interface WireHistory {
  readonly data?: { readonly overall?: { readonly sli_value?: number | null } | null } | null;
}
interface WireQuery {
  readonly status?: string;
  readonly error?: string;
  readonly series?: readonly { readonly pointlist?: readonly (readonly [number | null, number | null])[] | null }[] | null;
}

interface WireWidget {
  readonly definition?: {
    readonly type?: string;
    readonly title?: string;
    readonly widgets?: readonly WireWidget[];
    readonly requests?: readonly { readonly q?: string; readonly queries?: readonly { readonly data_source?: string; readonly query?: string }[] }[] | Record<string, unknown>;
  };
}
interface WireDashboard {
  readonly widgets?: readonly WireWidget[];
}

/** Metrics queries run at most per dashboard: more is an error, never a partial answer. */
const MAX_DASHBOARD_QUERIES = 20;

/** The metrics queries of a dashboard's widgets (group widgets opened), each with its widget's title. */
export function widgetQueries(widgets: readonly WireWidget[]): { widgets: number; queries: { widget: string; query: string }[] } {
  let count = 0;
  const queries: { widget: string; query: string }[] = [];
  const walk = (list: readonly WireWidget[]) => {
    for (const w of list) {
      const d = w.definition;
      if (!d) continue;
      if (d.type === 'group') {
        walk(d.widgets ?? []);
        continue;
      }
      count++;
      const widget = d.title?.trim() || d.type || 'untitled';
      for (const r of Array.isArray(d.requests) ? d.requests : []) {
        if (typeof r.q === 'string' && r.q.trim() !== '') queries.push({ widget, query: r.q.trim() });
        for (const q of r.queries ?? []) if (q.data_source === 'metrics' && typeof q.query === 'string') queries.push({ widget, query: q.query });
      }
    }
  };
  walk(widgets);
  return { widgets: count, queries };
}

async function readDashboard(client: DatadogClient, d: DashboardSummary, fromS: number, toS: number): Promise<DashboardDetail> {
  const body = await client.get<WireDashboard>(`/api/v1/dashboard/${encodeURIComponent(d.id)}`, `the dashboard "${d.title}"`, { scope: 'dashboards_read' });
  const { widgets, queries } = widgetQueries(body?.widgets ?? []);
  // A template variable ($env) takes its value in the browser: the query alone is no query Datadog can run.
  const runnable = queries.filter((q) => !q.query.includes('$'));
  if (runnable.length > MAX_DASHBOARD_QUERIES) throw new DatadogApiError(undefined, `the dashboard "${d.title}" has ${runnable.length} metrics queries: prodcheck runs at most ${MAX_DASHBOARD_QUERIES}, so it cannot judge them all`);
  const read = await Promise.all(runnable.map((q) => probe(() => readSeries(client, `the widget "${q.widget}" of the dashboard "${d.title}"`, q.query, fromS, toS, 'the widget\'s query in Datadog'))));
  return { widgets, templated: queries.length - runnable.length, queries: runnable.map((q, i) => ({ ...q, reading: read[i] as Probe<SeriesReading> })) };
}

/** SLOs read at most (1000 a page): more is an error, never a partial answer. */
const PAGE = 1000;
const MAX_PAGES = 5;
const DAY_S = 24 * 3600;

/** A time-slice query's metrics query when it is one query under its own formula (what prodcheck provisions). */
function sliceQuery(w: WireSlo): string | undefined {
  const q = w.sli_specification?.time_slice?.query;
  const queries = q?.queries ?? [];
  const formulas = q?.formulas ?? [];
  if (queries.length !== 1 || formulas.length !== 1 || formulas[0]?.formula !== queries[0]?.name) return undefined;
  return queries[0]?.query;
}

function toSlo(w: WireSlo): DatadogSlo {
  const slice = w.sli_specification?.time_slice;
  return {
    id: String(w.id),
    name: w.name ?? String(w.id),
    type: w.type ?? 'unknown',
    thresholds: (w.thresholds ?? []).filter((t) => typeof t.target === 'number' && typeof t.timeframe === 'string').map((t) => ({ timeframe: t.timeframe as string, target: t.target as number })),
    numerator: w.query?.numerator ?? undefined,
    denominator: w.query?.denominator ?? undefined,
    monitorIds: w.monitor_ids ?? [],
    timeSlice: slice ? { query: sliceQuery(w), comparator: slice.comparator ?? '?', threshold: slice.threshold ?? Number.NaN } : undefined,
  };
}

async function listSlos(client: DatadogClient): Promise<DatadogSlo[]> {
  const out: DatadogSlo[] = [];
  for (let page = 0; ; page++) {
    if (page === MAX_PAGES) throw new DatadogApiError(undefined, `the SLOs run past ${MAX_PAGES * PAGE}: prodcheck reads no further, so it cannot judge them all`);
    const body = await client.get<WireSloList>(`/api/v1/slo?limit=${PAGE}&offset=${page * PAGE}`, 'the SLOs', { scope: 'slos_read' });
    if (!body || !Array.isArray(body.data)) throw new DatadogApiError(undefined, 'the Datadog API answered the SLOs with something other than a list');
    out.push(...body.data.map(toSlo));
    if (body.data.length < PAGE) return out;
  }
}

async function listDashboards(client: DatadogClient): Promise<DashboardSummary[]> {
  const body = await client.get<{ dashboards?: readonly { id?: string; title?: string }[] | null }>('/api/v1/dashboard', 'the dashboards', { scope: 'dashboards_read' });
  if (!body || !Array.isArray(body.dashboards)) throw new DatadogApiError(undefined, 'the Datadog API answered the dashboards with something other than a list');
  return body.dashboards.filter((d) => typeof d.id === 'string').map((d) => ({ id: d.id as string, title: d.title ?? '' }));
}

const TIMEFRAME_DAYS: Readonly<Record<SloTimeframe, number>> = { '7d': 7, '30d': 30, '90d': 90 };

async function readStatus(client: DatadogClient, slo: DatadogSlo, timeframe: SloTimeframe, nowS: number): Promise<SloStatus> {
  const from = nowS - TIMEFRAME_DAYS[timeframe] * DAY_S;
  const body = await client.get<WireHistory>(`/api/v1/slo/${encodeURIComponent(slo.id)}/history?from_ts=${from}&to_ts=${nowS}`, `the history of the SLO "${slo.name}"`, { scope: 'slos_read' });
  const sli = body?.data?.overall?.sli_value;
  return { sli: typeof sli === 'number' && Number.isFinite(sli) ? sli : null };
}

async function readSeries(client: DatadogClient, what: string, query: string, fromS: number, toS: number, fix = 'its query in prodcheck:datadog.metrics.series'): Promise<SeriesReading> {
  let body: WireQuery | null;
  try {
    body = await client.get<WireQuery>(`/api/v1/query?from=${fromS}&to=${toS}&query=${encodeURIComponent(query)}`, what, { scope: 'timeseries_query' });
  } catch (e) {
    // A query Datadog cannot run is the spec's to fix, not a passing moment of the API.
    if (e instanceof DatadogApiError && e.status === 400) throw new DatadogApiError(400, `${e.message}: fix ${fix}`);
    throw e;
  }
  if (!body || body.status === 'error') throw new DatadogApiError(undefined, `the Datadog API could not run the query of ${what}${body?.error ? `: ${errorText(body.error)}` : ''}: fix ${fix}`);
  let points = 0;
  let last: number | null = null;
  for (const s of body.series ?? []) {
    for (const [ts, value] of s.pointlist ?? []) {
      if (ts === null || value === null || !Number.isFinite(value)) continue;
      points++;
      if (last === null || ts > last) last = ts;
    }
  }
  return { query, points, lastPointMs: last };
}

/** The SLOs of the spec that Datadog holds under the same name (names compared as Datadog shows them, case aside). */
export function sloNamed(slos: readonly DatadogSlo[], spec: SloSpec): DatadogSlo[] {
  return slos.filter((s) => s.name.trim().toLowerCase() === spec.name.toLowerCase());
}

export const datadogCollector: Collector<DatadogSnapshot> = {
  target: 'datadog',
  applies(spec, targets) {
    if (!spec.datadog) return 'The stack has no prodcheck:datadog section.';
    if (!targets.datadog) return 'No datadog entry in the targets file (apiKey, applicationKey).';
    return undefined;
  },
  async collect(ctx: CollectContext): Promise<DatadogSnapshot> {
    const target = ctx.targets.datadog;
    const spec = ctx.spec.datadog;
    if (!target || !spec) throw new Error('the datadog family runs only when applies() found its spec and target');
    ctx.redactor.add(target.apiKey, target.applicationKey);
    const site = target.site ?? spec.site;
    const client = new DatadogClient(target, target.baseUrl ?? datadogApiUrl(site), site, ctx.signal);
    // A wrong API key (or the key of another site) fails every call alike: say so once, in each check that has something to judge.
    const auth = await probe(async () => {
      const valid = await client.get<{ valid?: boolean }>('/api/v1/validate', 'the API key', { keys: 'api' });
      if (valid?.valid !== true) throw new DatadogApiError(undefined, `the Datadog API did not confirm the API key: set targets datadog.apiKey to an API key of the organization on ${site}`);
      return true as const;
    });
    const readAt = Date.now();
    if (!auth.ok) return { site, auth, readAt, slos: undefined, status: {}, series: {}, dashboards: undefined, dashboardDetails: {} };
    const nowS = Math.floor(readAt / 1000);
    const window = datadogWindowMinutes(spec) * 60;
    const seriesRead = Promise.all(
      Object.entries(spec.metrics?.series ?? {}).map(async ([name, query]) => [name, await probe(() => readSeries(client, `the series "${name}"`, query, nowS - window, nowS))] as const),
    );
    const slos = spec.slos.length === 0 ? undefined : await probe(() => listSlos(client));
    const status: Record<string, Probe<SloStatus>> = {};
    if (slos?.ok) {
      const wanted = spec.slos.flatMap((s) => sloNamed(slos.value, s).map((slo) => [slo, s.timeframe] as const));
      const read = await Promise.all(wanted.map(([slo, timeframe]) => probe(() => readStatus(client, slo, timeframe, nowS))));
      wanted.forEach(([slo, timeframe], i) => (status[statusKey(slo.id, timeframe)] = read[i] as Probe<SloStatus>));
    }
    const dashboards = spec.dashboards.length === 0 ? undefined : await probe(() => listDashboards(client));
    const dashboardDetails: Record<string, Probe<DashboardDetail>> = {};
    if (dashboards?.ok) {
      const wanted = dashboards.value.filter((d) => spec.dashboards.includes(d.title));
      const read = await Promise.all(wanted.map((d) => probe(() => readDashboard(client, d, nowS - window, nowS))));
      wanted.forEach((d, i) => (dashboardDetails[d.id] = read[i] as Probe<DashboardDetail>));
    }
    return { site, auth, readAt, slos, status, series: Object.fromEntries(await seriesRead), dashboards, dashboardDetails };
  },
};
