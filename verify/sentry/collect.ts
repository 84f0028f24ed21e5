import type { CollectContext, Collector, Probe } from '../types.js';
import { SentryClient } from './client.js';
import type { AppDsn } from './dsn.js';
import { dsnVarOf, readAppDsn } from './dsn.js';
import { probe } from '../probe.js';

export interface SentryKey {
  readonly id: string;
  readonly name: string;
  readonly isActive: boolean;
  /** The public DSN (https://<public key>@<host>/<project id>). */
  readonly dsn: string;
}

/** An issue alert rule (per project) or a metric alert rule (per organization), reduced to what is judged. */
export interface AlertRule {
  readonly kind: 'issue' | 'metric';
  readonly id: string;
  readonly name: string;
  /** Not disabled and not snoozed. */
  readonly active: boolean;
  /** Issue rules: condition ids (…FirstSeenEventCondition). Metric rules: dataset and aggregate. */
  readonly conditions: readonly string[];
  readonly aggregate?: string;
  readonly dataset?: string;
  /** Where it notifies: action ids or types; empty means nobody is told. */
  readonly actions: readonly string[];
  /** Metric rules: each trigger's level and absolute threshold, in the aggregate's unit. */
  readonly triggers?: readonly AlertTrigger[];
}

export interface AlertTrigger {
  /** critical or warning. */
  readonly label: string;
  /** null: no threshold (or one relative to an earlier period, which fires on change, not on a value). */
  readonly threshold: number | null;
  /** thresholdType 0: fires when the value goes above the threshold. */
  readonly above: boolean;
  readonly actions: number;
}

export interface SentrySnapshot {
  readonly org: string;
  readonly project: string;
  /** null: Sentry has no such project. */
  readonly found: { readonly id: string; readonly status: string } | null;
  readonly keys: Probe<readonly SentryKey[]>;
  readonly rules: Probe<readonly AlertRule[]>;
  /** The DSN the app is configured with (undefined: the stack names no DSN var). */
  readonly appDsn: Probe<AppDsn> | undefined;
  /** Transactions the project received in the last hour (undefined: the stack does not claim tracing). */
  readonly transactions?: Probe<number>;
  /** The organization's dashboards (undefined: the stack lists none). */
  readonly dashboards?: Probe<readonly { readonly id: string; readonly title: string }[]>;
}

interface WireProject {
  readonly id: string;
  readonly status?: string;
}
interface WireKey {
  readonly id: string;
  readonly name?: string;
  readonly isActive?: boolean;
  readonly dsn?: { readonly public?: string };
}
interface WireIssueRule {
  readonly id: string;
  readonly name?: string;
  readonly status?: string;
  readonly snooze?: boolean;
  readonly conditions?: readonly { readonly id?: string }[];
  readonly actions?: readonly { readonly id?: string }[];
}
interface WireMetricRule {
  readonly id: string;
  readonly name?: string;
  readonly status?: number;
  readonly snooze?: boolean;
  readonly aggregate?: string;
  readonly dataset?: string;
  readonly projects?: readonly string[];
  /** Set on a percent-change alert: its thresholds compare with an earlier period, not with a value. */
  readonly comparisonDelta?: number | null;
  readonly triggers?: readonly { readonly label?: string; readonly alertThreshold?: number | null; readonly thresholdType?: number; readonly actions?: readonly { readonly type?: string }[] }[];
}

async function readRules(client: SentryClient, org: string, project: string): Promise<AlertRule[]> {
  const where = `/projects/${encodeURIComponent(org)}/${encodeURIComponent(project)}`;
  const [issue, metric] = await Promise.all([
    client.list<WireIssueRule>(`${where}/rules/`, 'the issue alert rules', 'alerts:read'),
    client.list<WireMetricRule>(`/organizations/${encodeURIComponent(org)}/alert-rules/?project=${encodeURIComponent(project)}`, 'the metric alert rules', 'alerts:read'),
  ]);
  return [
    ...issue.map((r): AlertRule => ({
      kind: 'issue',
      id: String(r.id),
      name: r.name ?? String(r.id),
      active: (r.status ?? 'active') === 'active' && r.snooze !== true,
      conditions: (r.conditions ?? []).map((c) => c.id ?? ''),
      actions: (r.actions ?? []).map((a) => a.id ?? '').filter(Boolean),
    })),
    // The organization's listing may hold other projects' rules when the filter is ignored (older self-hosted).
    ...metric
      .filter((r) => r.projects === undefined || r.projects.includes(project))
      .map((r): AlertRule => ({
        kind: 'metric',
        id: String(r.id),
        name: r.name ?? String(r.id),
        active: (r.status ?? 0) === 0 && r.snooze !== true,
        conditions: [],
        ...(r.aggregate !== undefined ? { aggregate: r.aggregate } : {}),
        ...(r.dataset !== undefined ? { dataset: r.dataset } : {}),
        actions: (r.triggers ?? []).flatMap((t) => (t.actions ?? []).map((a) => a.type ?? '')).filter(Boolean),
        triggers: (r.triggers ?? []).map((t) => ({
          label: t.label ?? '',
          threshold: typeof t.alertThreshold === 'number' && Number.isFinite(t.alertThreshold) && (r.comparisonDelta ?? null) === null ? t.alertThreshold : null,
          above: (t.thresholdType ?? 0) === 0,
          actions: (t.actions ?? []).length,
        })),
      })),
  ];
}

interface WireEvents {
  readonly data?: readonly Record<string, unknown>[];
}
interface WireDashboard {
  readonly id: string;
  readonly title?: string;
}

/** The project's transactions over the last hour, from Discover's table query (one row: count()). */
async function readTransactions(client: SentryClient, org: string, projectId: string): Promise<number> {
  const query = new URLSearchParams({ dataset: 'transactions', field: 'count()', project: projectId, statsPeriod: '1h' });
  const body = await client.get<WireEvents>(`/organizations/${encodeURIComponent(org)}/events/?${query.toString()}`, 'the transactions of the last hour', 'org:read');
  const count = body?.data?.[0]?.['count()'];
  if (typeof count !== 'number' || !Number.isFinite(count) || count < 0) throw new Error('the Sentry API answered the transaction count without a count() value');
  return count;
}

export const sentryCollector: Collector<SentrySnapshot> = {
  target: 'sentry',
  applies(spec, targets) {
    if (!spec.sentry) return 'The stack has no prodcheck:sentry section.';
    if (!targets.sentry) return 'No sentry entry in the targets file (token).';
    return undefined;
  },
  async collect(ctx: CollectContext): Promise<SentrySnapshot> {
    const target = ctx.targets.sentry;
    const spec = ctx.spec.sentry;
    if (!target || !spec) throw new Error('the sentry family runs only when applies() found its spec and target');
    ctx.redactor.add(target.token);
    const client = new SentryClient(target, ctx.signal);
    const { organization: org, project } = spec;
    const dsnVar = dsnVarOf(ctx.spec);
    // Vercel is read only for the check that judges the DSN var.
    const appDsn = dsnVar === undefined || ctx.runs?.('env.sentry-dsn') === false ? undefined : probe(() => readAppDsn(dsnVar, ctx));
    const p = await client.get<WireProject>(`/projects/${encodeURIComponent(org)}/${encodeURIComponent(project)}/`, `the project ${org}/${project}`, 'project:read');
    if (p === null) return { org, project, found: null, keys: { ok: false, error: 'no project' }, rules: { ok: false, error: 'no project' }, appDsn: await appDsn };
    const tracing = spec.tracing ? probe(() => readTransactions(client, org, String(p.id))) : undefined;
    const dashboards =
      spec.dashboards.length > 0
        ? probe(async () => (await client.list<WireDashboard>(`/organizations/${encodeURIComponent(org)}/dashboards/`, 'the dashboards', 'org:read')).map((d) => ({ id: String(d.id), title: d.title ?? '' })))
        : undefined;
    const [keys, rules] = await Promise.all([
      probe(async () =>
        (await client.list<WireKey>(`/projects/${encodeURIComponent(org)}/${encodeURIComponent(project)}/keys/`, 'the client keys (DSNs)', 'project:read')).map(
          (k): SentryKey => ({ id: String(k.id), name: k.name ?? String(k.id), isActive: k.isActive === true, dsn: k.dsn?.public ?? '' }),
        ),
      ),
      probe(() => readRules(client, org, project)),
    ]);
    return {
      org,
      project,
      found: { id: String(p.id), status: p.status ?? 'active' },
      keys,
      rules,
      appDsn: await appDsn,
      ...(tracing ? { transactions: await tracing } : {}),
      ...(dashboards ? { dashboards: await dashboards } : {}),
    };
  },
};
