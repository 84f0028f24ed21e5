import type { StackSpec } from '../../spec/index.js';
import { dashboardCharts, healthUrlOf, sloKindOf } from '../../spec/index.js';
import type { DatadogApiServer } from '../../test/fixtures/datadog-api/index.js';
import { startDatadogApi } from '../../test/fixtures/datadog-api/index.js';
import { FaultNotPlantableError, plantFault } from '../fault.js';
import { HTTP_CA_OUTPUT, HTTP_RESOLVE_OUTPUT } from '../http/index.js';
import { PG_ADMIN_OUTPUT } from '../pg/index.js';
import { stopOnError } from '../stop-on-error.js';
import type { SandboxContext, SandboxFamily, SandboxRunning } from '../types.js';
import type { Measured } from './measure.js';
import { measureHttp, measurePostgres, measureRedis, seriesPayload } from './measure.js';

/** What a fault changes: the SLOs as provisioned, or the measurements before they are submitted. */
interface Planting {
  readonly api: DatadogApiServer;
  readonly spec: StackSpec;
  measured: Measured[];
}

const FAULTS: Readonly<Record<string, (p: Planting) => void>> = {
  // Someone lowered the first SLO's target in the Datadog UI to make a breach go away.
  'monitoring.slo': ({ api, spec }) => {
    const first = spec.datadog?.slos[0];
    const slo = first && api.state.slos.find((s) => s.name === first.name);
    if (!first || !slo) throw new FaultNotPlantableError('monitoring.slo', 'the stack lists no SLO (prodcheck:datadog.slos)');
    slo.thresholds = slo.thresholds.map((t) => ({ ...t, target: Math.max(1, t.target - 1) }));
  },
  // The Agent's Redis integration stopped reporting (its password was rotated and the Agent's config was not).
  'monitoring.metrics': (p) => {
    if (!Object.values(p.spec.datadog?.metrics?.series ?? {}).some((q) => q.includes(':redis.'))) throw new FaultNotPlantableError('monitoring.metrics', 'no series of prodcheck:datadog.metrics queries a redis.* metric');
    p.measured = p.measured.filter((m) => !m.metric.startsWith('redis.'));
  },
};

/** The faults planted in what is submitted: planted again in every later round of a kept sandbox. */
const MEASUREMENT_FAULTS: ReadonlySet<string> = new Set(['monitoring.metrics']);

/**
 * How often a kept sandbox (--keep) measures and submits again, as the Agent runs its checks (every 15 s by
 * default): often enough that every 15-minute window verify reads holds points, light enough to go unnoticed.
 */
export const AGENT_INTERVAL_MS = 60_000;

async function submit(api: DatadogApiServer, measured: readonly Measured[]): Promise<void> {
  const res = await fetch(`${api.url}/api/v2/series`, { method: 'POST', headers: { 'content-type': 'application/json', 'dd-api-key': api.apiKey }, body: JSON.stringify(seriesPayload(measured)), signal: AbortSignal.timeout(10_000) });
  if (res.status !== 202) throw new Error(`the local Datadog API refused the sandbox's measurements (HTTP ${res.status}: ${await res.text()})`);
}

/**
 * The local Datadog the stack's datadog section describes, as `pulumi up` and the Agent would leave it:
 * the SLOs of datadog.slos, the dashboards of datadog.dashboards (charting what the SLOs are computed from), and real measurements of the sandbox's own Postgres (pg_stat_database),
 * Redis (INFO clients, PING) and app (its health route, as the APM tracer and the Agent's HTTP check see
 * it), submitted through POST /api/v2/series. Metric and time-slice SLOs are computed from them; a monitor
 * SLO follows the HTTP check. Phase 3: it measures the app that phase 2 started.
 */
export const datadogSandbox: SandboxFamily = {
  name: 'datadog',
  phase: 3,
  applies: (spec) => spec.datadog !== undefined,
  breakable: Object.keys(FAULTS),
  async start(spec: StackSpec, ctx: SandboxContext, breaks: ReadonlySet<string>): Promise<SandboxRunning> {
    const datadog = spec.datadog;
    if (!datadog) throw new Error('the datadog sandbox started for a stack without a prodcheck:datadog section (applies() says so)');
    const api = await startDatadogApi();
    return stopOnError(api, async () => {
      for (const s of datadog.slos) {
        const kind = sloKindOf(s);
        api.addSlo({
          name: s.name,
          type: kind,
          thresholds: [{ timeframe: s.timeframe, target: s.target }],
          ...(s.metric ? { query: { ...s.metric } } : {}),
          ...(s.monitorIds ? { monitorIds: [...s.monitorIds] } : {}),
          ...(s.timeSlice ? { timeSlice: { query: s.timeSlice.query, comparator: s.timeSlice.comparator, threshold: s.timeSlice.threshold, intervalSeconds: s.timeSlice.intervalSeconds } } : {}),
          tags: [...s.tags],
          description: s.description ?? '',
        });
      }
      // The dashboards as `pulumi up` provisions them: a timeseries widget per chart.
      const charts = dashboardCharts(datadog);
      for (const title of datadog.dashboards) api.addDashboard(title, charts);
      const tags = [`env:${spec.app.environment}`];
      const adminUrl = ctx.outputs[PG_ADMIN_OUTPUT];
      const redisUrl = ctx.outputs['redis.url'];
      const resolve = ctx.outputs[HTTP_RESOLVE_OUTPUT];
      const caFile = ctx.outputs[HTTP_CA_OUTPUT];
      const healthUrl = healthUrlOf(spec);
      const measure = async () =>
        (
          await Promise.all([
            adminUrl && spec.postgres ? measurePostgres(adminUrl, spec.postgres.database, tags) : [],
            redisUrl ? measureRedis(redisUrl, ctx.tls.caCert, tags) : [],
            resolve && caFile ? measureHttp({ url: healthUrl, resolve, caFile, service: spec.app.name, tags }) : [],
          ])
        ).flat();
      /** One round of the Agent: measure, plant the faults (the SLO ones only the first time), submit. */
      const round = async (first: boolean): Promise<number> => {
        const planting: Planting = { api, spec, measured: await measure() };
        for (const control of breaks) {
          if (!first && !MEASUREMENT_FAULTS.has(control)) continue;
          await plantFault(control, () => FAULTS[control]?.(planting));
          if (first) ctx.log(`datadog: planted the ${control} fault`);
        }
        await submit(api, planting.measured);
        // A monitor SLO follows the uptime monitor, here the HTTP check on the health route.
        const checks = planting.measured.find((m) => m.metric === 'network.http.can_connect')?.points ?? [];
        const up = checks.length === 0 ? null : (100 * checks.filter(([, v]) => v === 1).length) / checks.length;
        for (const s of api.state.slos) if (s.type === 'monitor') s.monitorSli = up;
        return planting.measured.reduce((n, m) => n + m.points.length, 0);
      };
      const submitted = await round(true);
      let agent: NodeJS.Timeout | undefined;
      let inFlight: Promise<unknown> | undefined;
      let lastError: string | undefined;
      const again = () => {
        if (inFlight) return;
        inFlight = round(false)
          .then(
            () => (lastError = undefined),
            (e: unknown) => {
              // Said once, not every minute: a service stopped under the kept sandbox stays stopped.
              const why = e instanceof Error ? e.message : String(e);
              if (why !== lastError) ctx.log(`datadog: the measurements of this round were not submitted: ${why}`);
              lastError = why;
            },
          )
          .finally(() => (inFlight = undefined));
      };
      return {
        targets: { datadog: { apiKey: api.apiKey, applicationKey: api.applicationKey, baseUrl: api.url, timeoutMs: 10_000 } },
        secrets: [api.apiKey, api.applicationKey],
        describe: [`datadog   ${api.url} (local Datadog API: ${api.state.slos.length} SLOs, ${api.state.dashboards.length} dashboards, ${submitted} datapoints measured from the sandbox's Postgres, Redis and app, measured again every minute while kept) — the keys are in the targets file`],
        keep: () => {
          agent ??= setInterval(again, AGENT_INTERVAL_MS);
        },
        stop: async () => {
          clearInterval(agent);
          await inFlight;
          await api.stop();
        },
      };
    });
  },
};
