import type { AlertCondition, AlertRuleSpec, StackSpec } from '../../spec/index.js';
import { alertThreshold, dsnVarOf } from '../../spec/index.js';
import type { SentryApiServer } from '../../test/fixtures/sentry-api/index.js';
import { startSentryApi } from '../../test/fixtures/sentry-api/index.js';
import { FaultNotPlantableError, plantFault } from '../fault.js';
import type { SandboxContext, SandboxFamily, SandboxRunning } from '../types.js';

/** The trigger of each listed level at the listed threshold (in Sentry's unit), or `fallback` without one. */
const triggers = (wanted: readonly AlertRuleSpec[], fallback: number) =>
  wanted.map((a) => ({ label: a.level ?? 'critical', threshold: alertThreshold(a)?.value ?? fallback }));

/** A rule per alert condition, as a team sets them up in Sentry: issue alerts by email, metric alerts to Slack. */
const RULES: Readonly<Record<AlertCondition, (api: SentryApiServer, wanted: readonly AlertRuleSpec[]) => void>> = {
  'new-issue': (api) => api.addIssueRule('New issue in production', ['sentry.rules.conditions.first_seen_event.FirstSeenEventCondition']),
  'error-rate': (api, wanted) =>
    wanted.some((a) => a.above !== undefined)
      ? api.addMetricRule('Error rate above threshold', 'failure_rate()', 'transactions', ['slack'], triggers(wanted, 0.1))
      : api.addMetricRule('Error rate spike', 'count()', 'events', ['slack'], triggers(wanted, 100)),
  latency: (api, wanted) => api.addMetricRule('p95 latency above threshold', 'p95(transaction.duration)', 'transactions', ['slack'], triggers(wanted, 2000)),
};

const FAULTS: Readonly<Record<string, (api: SentryApiServer, spec: StackSpec) => void>> = {
  // The app still reports with the DSN of a key someone revoked (start() hands that key's DSN to Vercel).
  'env.sentry-dsn': (api) => {
    const old = api.addKey('Revoked');
    old.isActive = false;
  },
  // The project is on its way out (pending deletion): it takes no events, whatever key the app uses.
  'monitoring.error-tracking': (api) => {
    api.state.status = 'pending_deletion';
  },
  // Tracing was switched off (tracesSampleRate 0): the project stopped receiving transactions.
  'monitoring.apm': (api, spec) => {
    if (!spec.sentry?.tracing) throw new FaultNotPlantableError('monitoring.apm', 'the stack does not say the app sends traces (prodcheck:sentry.tracing)');
    api.state.transactions = 0;
  },
  // Someone deleted a dashboard the team relies on.
  'monitoring.dashboards': (api, spec) => {
    if (spec.sentry?.dashboards.length === 0) throw new FaultNotPlantableError('monitoring.dashboards', 'the stack lists no dashboards (prodcheck:sentry.dashboards)');
    api.state.dashboards = (api.state.dashboards ?? []).slice(1);
  },
  // Every alert rule was snoozed during an incident and never woken up.
  'monitoring.alerts': (api, spec) => {
    if (spec.sentry?.alerts.length === 0) throw new FaultNotPlantableError('monitoring.alerts', 'the stack lists no alert conditions (prodcheck:sentry.alerts)');
    for (const r of [...api.state.issueRules, ...api.state.metricRules]) r.snooze = true;
  },
};

/** The output that gives the Vercel sandbox the DSN of the project's key, for the DSN env var. */
export const dsnOutput = (key: string): string => `env.${key}`;

/**
 * The local Sentry holding the stack's project: active, one active client key, and an alert rule that
 * notifies someone for each condition of `sentry.alerts`. Phase 1, so the Vercel project gets the DSN.
 */
export const sentrySandbox: SandboxFamily = {
  name: 'sentry',
  phase: 1,
  applies: (spec) => spec.sentry !== undefined,
  breakable: Object.keys(FAULTS),
  async start(spec: StackSpec, ctx: SandboxContext, breaks: ReadonlySet<string>): Promise<SandboxRunning> {
    const sentry = spec.sentry;
    if (!sentry) throw new Error('the sentry sandbox started for a stack without a prodcheck:sentry section (applies() says so)');
    const api = await startSentryApi({ org: sentry.organization, project: sentry.project });
    try {
      const key = api.addKey('Default');
      for (const condition of new Set(sentry.alerts.map((a) => a.condition))) RULES[condition](api, sentry.alerts.filter((a) => a.condition === condition));
      // The app traces its requests (a steady trickle over the last hour) and the team keeps its dashboards.
      if (sentry.tracing) api.state.transactions = 4_812;
      for (const title of sentry.dashboards) api.addDashboard(title);
      for (const control of breaks) {
        await plantFault(control, () => FAULTS[control]?.(api, spec));
        ctx.log(`sentry: planted the ${control} fault`);
      }
      const dsnVar = dsnVarOf(spec);
      // The DSN the Vercel project gets: the production key's, or with the env.sentry-dsn fault a revoked key's.
      const handed = api.state.keys.find((k) => !k.isActive && breaks.has('env.sentry-dsn')) ?? key;
      const dsn = api.dsnOf(handed);
      return {
        targets: { sentry: { token: api.token, baseUrl: api.url, timeoutMs: 10_000 } },
        secrets: [api.token],
        // `sentry.dsn` for a var wired `from: sentry.dsn` (what `pulumi up` provisions), env.<KEY> for `from: config`.
        outputs: { 'sentry.dsn': dsn, ...(dsnVar ? { [dsnOutput(dsnVar)]: dsn } : {}) },
        describe: [`sentry    ${api.url} (local Sentry API, ${sentry.organization}/${sentry.project}) — the token is in the targets file`],
        stop: () => api.stop(),
      };
    } catch (e) {
      await api.stop();
      throw e;
    }
  },
};
