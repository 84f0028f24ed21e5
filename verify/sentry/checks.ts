import type { AlertCondition, AlertRuleSpec } from '../../spec/index.js';
import { alertThreshold } from '../../spec/index.js';
import type { Check, Finding } from '../types.js';
import type { AlertRule, AlertTrigger, SentryKey, SentrySnapshot } from './collect.js';

const noProject = (s: SentrySnapshot): Finding => ({
  status: 'fail',
  message: `Sentry has no project ${s.org}/${s.project} (or the token cannot see it): errors from production are tracked nowhere.`,
  expected: `${s.org}/${s.project}`,
  actual: 'not found',
});

export const monitoringErrorTracking: Check<SentrySnapshot> = {
  id: 'monitoring.error-tracking',
  target: 'sentry',
  connectivity: true,
  evaluate(s) {
    if (!s.found) return [noProject(s)];
    if (s.found.status !== 'active') return [{ status: 'fail', message: `The Sentry project ${s.org}/${s.project} is ${s.found.status}, not active: it accepts no events.`, expected: 'active', actual: s.found.status }];
    if (!s.keys.ok) return [{ status: 'error', message: `Could not read the client keys of ${s.org}/${s.project}: ${s.keys.error}.` }];
    const active = s.keys.value.filter((k) => k.isActive);
    if (active.length === 0) return [{ status: 'fail', message: `The Sentry project ${s.org}/${s.project} has no active client key: no SDK can send it an event.`, expected: 'an active key', actual: `${s.keys.value.length} disabled` }];
    return [{ status: 'pass', message: `The Sentry project ${s.org}/${s.project} is active and takes events on ${active.length} active client key${active.length === 1 ? '' : 's'}.` }];
  },
};

/** A DSN compared by what identifies it: host, public key and project id (scheme, port and path noise aside). */
function dsnIdentity(dsn: string): string | undefined {
  if (!URL.canParse(dsn)) return undefined;
  const u = new URL(dsn);
  const projectId = u.pathname.split('/').filter(Boolean).pop();
  return u.username && projectId ? `${u.username}@${u.hostname.toLowerCase()}/${projectId}` : undefined;
}

const keyName = (k: SentryKey) => `"${k.name}" (${k.id})`;

export const envSentryDsn: Check<SentrySnapshot> = {
  id: 'env.sentry-dsn',
  target: 'sentry',
  evaluate(s) {
    if (!s.appDsn) return [{ status: 'skip', message: 'The stack declares no DSN env var (SENTRY_DSN, NEXT_PUBLIC_SENTRY_DSN or prodcheck:sentry.dsnVar).' }];
    if (!s.appDsn.ok) return [{ status: 'error', message: `Could not read the app's DSN from Vercel: ${s.appDsn.error}.` }];
    const app = s.appDsn.value;
    if (app.kind === 'no-vercel') return [{ status: 'skip', message: "Could not read the app's DSN from Vercel: no vercel target to read it from." }];
    const resource = app.key;
    if (app.kind === 'absent') return [{ status: 'fail', resource, message: `${app.key} is not set for production on Vercel: the app reports its errors nowhere.`, expected: 'set', actual: 'absent' }];
    if (app.kind === 'unreadable') {
      return [{ status: 'skip', resource, message: `${app.key} cannot be compared with the project's keys: ${app.reason}. A DSN is public by design; store it as an encrypted (not sensitive) variable to let prodcheck judge it.` }];
    }
    if (!s.found) return [noProject(s)];
    if (!s.keys.ok) return [{ status: 'error', resource, message: `Could not read the client keys of ${s.org}/${s.project}: ${s.keys.error}.` }];
    const want = dsnIdentity(app.dsn);
    if (want === undefined) return [{ status: 'fail', resource, message: `${app.key} is not a Sentry DSN (https://<public key>@<host>/<project id>).`, expected: 'a DSN', actual: 'malformed' }];
    const key = s.keys.value.find((k) => dsnIdentity(k.dsn) === want);
    if (!key) return [{ status: 'fail', resource, message: `${app.key} is not a DSN of ${s.org}/${s.project}: no client key of the project has it, so the app's errors go to another project or nowhere.`, expected: `a key of ${s.org}/${s.project}`, actual: 'another DSN' }];
    if (!key.isActive) return [{ status: 'fail', resource, message: `${app.key} is the DSN of the disabled key ${keyName(key)} of ${s.org}/${s.project}: Sentry drops every event sent to it.`, expected: 'an active key', actual: 'disabled key' }];
    return [{ status: 'pass', resource, message: `${app.key} is the DSN of the active key ${keyName(key)} of ${s.org}/${s.project}.` }];
  },
};

const CONDITIONS: Readonly<Record<AlertCondition, { readonly what: string; readonly matches: (r: AlertRule) => boolean }>> = {
  'new-issue': { what: 'a new issue is first seen', matches: (r) => r.kind === 'issue' && r.conditions.some((c) => /FirstSeenEventCondition$/.test(c)) },
  'error-rate': {
    what: 'the error rate rises',
    matches: (r) =>
      (r.kind === 'issue' && r.conditions.some((c) => /EventFrequency(Percent)?Condition$|EventUniqueUserFrequencyCondition$/.test(c))) ||
      (r.kind === 'metric' && /^(count|count_unique|failure_rate)\(|crash_free/.test(r.aggregate ?? '') && !/duration/.test(r.aggregate ?? '')),
  },
  latency: { what: 'responses get slow', matches: (r) => r.kind === 'metric' && /^(p50|p75|p90|p95|p99|p100|avg|percentile)\((transaction|span)\.duration|measurements\.(lcp|fcp|inp|ttfb)/.test(r.aggregate ?? '') },
};

const ruleName = (r: AlertRule) => `${r.kind} alert "${r.name}"`;
const actionsText = (n: number) => `${n} action${n === 1 ? '' : 's'}`;

/** The statistic a threshold is about: the share of failing transactions, or the p95 duration. */
const THRESHOLD_AGGREGATE: Readonly<Record<'ratio' | 'ms', RegExp>> = {
  ratio: /^failure_rate\(\)$/,
  ms: /^(?:p95\((?:transaction|span)\.duration\)|percentile\((?:transaction|span)\.duration,\s*0?\.95\))$/,
};

function shown(value: number, unit: 'ratio' | 'ms'): string {
  if (unit === 'ratio') return `${Number((value * 100).toFixed(2))}%`;
  return value >= 1000 ? `${Number((value / 1000).toFixed(3))} s` : `${value} ms`;
}

/** Judges one wanted rule that names a level or a threshold: a trigger of that level must fire at or below it and notify. */
function judgeThreshold(want: AlertRuleSpec, candidates: readonly AlertRule[], what: string, resource: string): Finding {
  const limit = alertThreshold(want);
  const level = want.level;
  const trigger = level ?? 'a';
  const expected = `${level ? `a ${level}` : 'a'} trigger${limit ? ` at or below ${limit.text}` : ''} that notifies`;
  const aboutIt = candidates.filter((r) => r.kind === 'metric' && (limit === undefined || THRESHOLD_AGGREGATE[limit.unit].test(r.aggregate ?? '')));
  const live = aboutIt.filter((r) => r.active);
  const fits = (t: AlertTrigger) => (level === undefined || t.label === level) && t.above && (limit === undefined || (t.threshold !== null && t.threshold <= limit.value + 1e-9));
  for (const r of live) {
    const t = (r.triggers ?? []).find((x) => fits(x) && x.actions > 0);
    if (t) return { status: 'pass', resource, message: `Sentry alerts when ${what}${limit ? ` above ${limit.text}` : ''}: ${ruleName(r)} fires its ${t.label} trigger${t.threshold !== null && limit ? ` at ${shown(t.threshold, limit.unit)}` : ''} and notifies ${actionsText(t.actions)}.`, expected };
  }
  const silent = live.find((r) => (r.triggers ?? []).some(fits));
  if (silent) return { status: 'fail', resource, message: `${ruleName(silent)} fires its ${trigger} trigger when ${what}${limit ? ` above ${limit.text}` : ''} but that trigger notifies nobody: it has no action.`, expected, actual: 'no action' };
  const later = live.flatMap((r) => (r.triggers ?? []).filter((t) => (level === undefined || t.label === level) && t.above && t.threshold !== null).map((t) => ({ r, t })));
  const first = later[0];
  if (first && limit && first.t.threshold !== null) {
    return { status: 'fail', resource, message: `${ruleName(first.r)} fires its ${first.t.label} trigger only above ${shown(first.t.threshold, limit.unit)}, later than the ${limit.text} the stack asks for (${what}).`, expected, actual: `${first.t.label} at ${shown(first.t.threshold, limit.unit)}` };
  }
  if (live[0]) return { status: 'fail', resource, message: `${ruleName(live[0])} watches for when ${what} but has no ${trigger} trigger${limit ? ` firing above a value (${limit.text} wanted)` : ''}.`, expected, actual: (live[0].triggers ?? []).map((t) => t.label).join(', ') || 'no trigger' };
  const muted = aboutIt.find((r) => !r.active);
  if (muted) return { status: 'fail', resource, message: `The only Sentry rule for when ${what}, ${ruleName(muted)}, is disabled or snoozed: nobody is told.`, expected: 'an active rule', actual: 'muted' };
  const statistic = limit ? (limit.unit === 'ratio' ? ' on failure_rate()' : ' on p95(transaction.duration)') : '';
  return { status: 'fail', resource, message: `No Sentry metric alert${statistic} fires a ${trigger} trigger when ${what}${limit ? ` above ${limit.text}` : ''}.`, expected, actual: 'none' };
}

/** The result's resource: the condition, with its threshold and level when the stack gives them ("error-rate > 10% (critical)"). */
export function alertResource(want: AlertRuleSpec): string {
  const limit = alertThreshold(want);
  return `${want.condition}${limit ? ` > ${limit.text}` : ''}${want.level ? ` (${want.level})` : ''}`;
}

export const monitoringAlerts: Check<SentrySnapshot> = {
  id: 'monitoring.alerts',
  target: 'sentry',
  evaluate(s, spec) {
    const wanted = spec.sentry?.alerts ?? [];
    if (wanted.length === 0) return [{ status: 'skip', message: 'The stack lists no alert conditions (prodcheck:sentry.alerts).' }];
    if (!s.found) return [noProject(s)];
    if (!s.rules.ok) return [{ status: 'error', message: `Could not read the alert rules of ${s.org}/${s.project}: ${s.rules.error}.` }];
    const rules = s.rules.value;
    return wanted.map((want): Finding => {
      const { condition } = want;
      const { what, matches } = CONDITIONS[condition];
      const resource = alertResource(want);
      const candidates = rules.filter(matches);
      if (want.above !== undefined || want.level !== undefined) return judgeThreshold(want, candidates, what, resource);
      const live = candidates.filter((r) => r.active && r.actions.length > 0);
      if (live[0]) return { status: 'pass', resource, message: `Sentry alerts when ${what}: ${ruleName(live[0])} notifies ${actionsText(live[0].actions.length)}.` };
      const muted = candidates.find((r) => !r.active);
      if (muted) return { status: 'fail', resource, message: `The only Sentry rule for when ${what}, ${ruleName(muted)}, is disabled or snoozed: nobody is told.`, expected: 'an active rule', actual: 'muted' };
      const silent = candidates.find((r) => r.actions.length === 0);
      if (silent) return { status: 'fail', resource, message: `${ruleName(silent)} watches for when ${what} but notifies nobody: it has no action.`, expected: 'a notification', actual: 'no action' };
      return { status: 'fail', resource, message: `No Sentry alert rule of ${s.org}/${s.project} fires when ${what} (${condition}).`, expected: 'an alert rule', actual: 'none' };
    });
  },
};

export const monitoringApm: Check<SentrySnapshot> = {
  id: 'monitoring.apm',
  target: 'sentry',
  evaluate(s, spec) {
    if (!spec.sentry?.tracing) return [{ status: 'skip', message: 'The stack does not say the app sends traces (prodcheck:sentry.tracing).' }];
    if (!s.found) return [noProject(s)];
    if (!s.transactions) return [{ status: 'error', message: `Could not read the transactions of ${s.org}/${s.project}: the collector did not ask for them.` }];
    if (!s.transactions.ok) return [{ status: 'error', message: `Could not read the transactions of ${s.org}/${s.project}: ${s.transactions.error}.` }];
    const n = s.transactions.value;
    if (n === 0) return [{ status: 'fail', message: `Sentry received no transaction from ${s.org}/${s.project} in the last hour: tracing is off (tracesSampleRate 0 or unset), the sample rate drops everything, or the app got no traffic.`, expected: 'transactions in the last hour', actual: '0' }];
    return [{ status: 'pass', message: `Sentry received ${n} transaction${n === 1 ? '' : 's'} from ${s.org}/${s.project} in the last hour.` }];
  },
};

export const monitoringDashboards: Check<SentrySnapshot> = {
  id: 'monitoring.dashboards',
  target: 'sentry',
  evaluate(s, spec) {
    const wanted = spec.sentry?.dashboards ?? [];
    if (wanted.length === 0) return [{ status: 'skip', message: 'The stack lists no dashboards (prodcheck:sentry.dashboards).' }];
    if (!s.found) return [noProject(s)];
    if (!s.dashboards) return [{ status: 'error', message: `Could not read the dashboards of ${s.org}: the collector did not ask for them.` }];
    const listed = s.dashboards;
    if (!listed.ok) return [{ status: 'error', message: `Could not read the dashboards of ${s.org}: ${listed.error}.` }];
    return wanted.map((title): Finding => {
      const found = listed.value.find((d) => d.title === title);
      if (found) return { status: 'pass', resource: title, message: `The Sentry dashboard "${title}" exists in ${s.org} (id ${found.id}).` };
      const near = listed.value.find((d) => d.title.toLowerCase() === title.toLowerCase());
      return { status: 'fail', resource: title, message: `${s.org} has no Sentry dashboard titled "${title}"${near ? ` (only "${near.title}", which differs in case)` : ''}.`, expected: title, actual: 'none' };
    });
  },
};

export const SENTRY_CHECKS: readonly Check<SentrySnapshot>[] = [monitoringErrorTracking, envSentryDsn, monitoringAlerts, monitoringApm, monitoringDashboards];
