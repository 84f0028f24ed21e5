import * as pulumi from '@pulumi/pulumi';
import * as sentry from '@pulumiverse/sentry';
import type { AlertCondition, AlertLevel, AlertRuleSpec, SentrySpec } from '../../spec/index.js';
import { ALERT_LEVELS, alertThreshold } from '../../spec/index.js';
import { ProvisionLog, provisions } from '../provisions.js';

export const MONITORING = provisions('infra/components/monitoring.ts', ['monitoring.error-tracking', 'monitoring.alerts', 'monitoring.dashboards']);

export interface MonitoringArgs {
  readonly spec: SentrySpec;
}

/** The notification every rule sends: the issue owners, else the project's active members, by email. */
const EMAIL_OWNERS = { id: 'sentry.mail.actions.NotifyEmailAction', targetType: 'IssueOwners', fallthroughType: 'ActiveMembers' };

/**
 * Error tracking and alerting on Sentry through the maintained @pulumiverse/sentry provider: the project
 * (protected: it holds the error history), a client key whose public DSN the app's env var is wired to
 * (`from: sentry.dsn`), and one rule per condition of `sentry.alerts`, each notifying by email. The
 * provider authenticates with SENTRY_AUTH_TOKEN (or `pulumi config set --secret sentry:token`).
 */
export class Monitoring extends pulumi.ComponentResource {
  /** The public DSN of the production key (public by design: it ships in the browser bundle). */
  readonly dsn: pulumi.Output<string>;
  readonly provisioned = new ProvisionLog(MONITORING);

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super('prodcheck:monitoring:Monitoring', name, {}, opts);
    const { spec } = args;
    const provider = new sentry.Provider(`${name}-sentry`, {}, { parent: this });
    const own = { parent: this, provider };
    const organization = spec.organization;
    const project = new sentry.SentryProject(
      `${name}-project`,
      { organization, name: spec.project, slug: spec.project, platform: 'javascript-nextjs', ...(spec.team !== undefined ? { teams: [spec.team] } : {}) },
      { ...own, protect: true },
    );
    // Metric alerts notify the owning team by email, named by its numeric id (programProblems requires the team).
    const team = spec.team !== undefined ? sentry.getSentryTeamOutput({ organization, slug: spec.team }, { parent: this, provider }).internalId : pulumi.output('');
    const key = new sentry.SentryKey(`${name}-key`, { organization, project: project.slug, name: 'production' }, own);
    this.dsn = key.dsnPublic;
    this.provisioned.claim('monitoring.error-tracking');
    // One rule per condition; the thresholds listed for it become its triggers (critical and warning).
    for (const condition of [...new Set(spec.alerts.map((a) => a.condition))]) {
      this.alert(`${name}-${condition}`, condition, spec.alerts.filter((a) => a.condition === condition), { organization, project: project.slug, team }, own);
    }
    if (spec.alerts.length > 0) this.provisioned.claim('monitoring.alerts');
    spec.dashboards.forEach((title, i) => {
      new sentry.SentryDashboard(`${name}-dashboard-${i}`, { organization, title, widgets: healthWidgets(spec.project) }, own);
    });
    if (spec.dashboards.length > 0) this.provisioned.claim('monitoring.dashboards');
    this.registerOutputs({ dsn: this.dsn });
  }

  private alert(name: string, condition: AlertCondition, wanted: readonly AlertRuleSpec[], on: { organization: string; project: pulumi.Output<string>; team: pulumi.Output<string> }, own: pulumi.CustomResourceOptions): void {
    const { organization, project } = on;
    const thresholds = wanted.some((a) => a.above !== undefined);
    switch (condition) {
      case 'new-issue':
        new sentry.SentryIssueAlert(
          name,
          { organization, project, name: 'New issue in production', actionMatch: 'any', filterMatch: 'all', frequency: 30, environment: 'production', conditions: [{ id: 'sentry.rules.conditions.first_seen_event.FirstSeenEventCondition' }], actions: [EMAIL_OWNERS] },
          own,
        );
        return;
      case 'error-rate':
        // With thresholds: the share of failing transactions over 5 minutes; without: more than 100 errors in an hour.
        if (thresholds) new sentry.SentryMetricAlert(name, metricAlert(on, 'Error rate above threshold', { dataset: 'transactions', eventType: 'transaction', aggregate: 'failure_rate()', timeWindow: 5, triggers: triggersFor(wanted, 0.1) }), own);
        else new sentry.SentryMetricAlert(name, metricAlert(on, 'Error rate spike', { dataset: 'events', eventType: 'error', aggregate: 'count()', timeWindow: 60, triggers: triggersFor(wanted, 100) }), own);
        return;
      case 'latency':
        // p95 of transactions over each listed threshold (default 2 s) for 10 minutes.
        new sentry.SentryMetricAlert(
          name,
          metricAlert(on, 'p95 latency above threshold', { dataset: 'transactions', eventType: 'transaction', aggregate: 'p95(transaction.duration)', timeWindow: 10, triggers: triggersFor(wanted, 2000) }),
          own,
        );
        return;
    }
  }
}

interface Trigger {
  readonly label: AlertLevel;
  /** In the aggregate's unit: a failure_rate() ratio or milliseconds. */
  readonly threshold: number;
}

/**
 * The triggers the stack asks for, one per level (Sentry allows one critical and one warning trigger per
 * rule): the lowest threshold listed for the level, `fallback` where none is given; no level is critical.
 */
function triggersFor(wanted: readonly AlertRuleSpec[], fallback: number): Trigger[] {
  const out: Trigger[] = [];
  for (const label of ALERT_LEVELS) {
    const values = wanted.filter((a) => (a.level ?? 'critical') === label).map((a) => alertThreshold(a)?.value ?? fallback);
    if (values.length > 0) out.push({ label, threshold: Math.min(...values) });
  }
  return out;
}

/** The widgets of a production health dashboard: errors and p95 latency of the project over time, side by side. */
function healthWidgets(project: string): sentry.types.input.SentryDashboardWidget[] {
  const widget = (title: string, aggregate: string, conditions: string, x: number): sentry.types.input.SentryDashboardWidget => ({
    title,
    displayType: 'line',
    widgetType: 'discover',
    interval: '5m',
    queries: [{ name: '', fields: [aggregate], aggregates: [aggregate], columns: [], conditions: `project:${project} environment:production ${conditions}`, orderBy: '' }],
    layout: { x, y: 0, w: 3, h: 2, minH: 2 },
  });
  return [widget('Errors', 'count()', 'event.type:error', 0), widget('p95 latency', 'p95(transaction.duration)', 'event.type:transaction', 3)];
}

/** A production metric alert that emails the owning team when `aggregate` goes above each trigger's threshold over `timeWindow` minutes. */
function metricAlert(
  on: { organization: string; project: pulumi.Output<string>; team: pulumi.Output<string> },
  title: string,
  m: { dataset: string; eventType: string; aggregate: string; timeWindow: number; triggers: readonly Trigger[] },
): sentry.SentryMetricAlertArgs {
  return {
    organization: on.organization,
    project: on.project,
    name: title,
    dataset: m.dataset,
    eventTypes: [m.eventType],
    query: '',
    aggregate: m.aggregate,
    timeWindow: m.timeWindow,
    thresholdType: 0,
    environment: 'production',
    triggers: m.triggers.map((t) => ({ label: t.label, alertThreshold: t.threshold, thresholdType: 0, actions: [{ type: 'email', targetType: 'team', targetIdentifier: on.team }] })),
  };
}
