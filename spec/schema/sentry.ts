import { z } from 'zod';
import { envKey } from './common.js';

const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,49}$/, { message: 'must be a Sentry slug (lower-case letters, digits, - and _)' });

/** The conditions an alert rule can watch; each must have an active rule that notifies someone. */
export const ALERT_CONDITIONS = ['new-issue', 'error-rate', 'latency'] as const;

export const ALERT_LEVELS = ['critical', 'warning'] as const;

/** "10%" (of transactions failing), "5s" or "800ms" (p95 duration): the value an alert must fire above. */
const THRESHOLD = /^(\d+(?:\.\d+)?)\s*(%|ms|s)$/;

/** An alert condition with the level and threshold a checklist gives it ("Error rate > 10%: page immediately"). */
const alertRule = z
  .strictObject({
    condition: z.enum(ALERT_CONDITIONS),
    /** error-rate: a share of failing transactions ("10%"); latency: a p95 duration ("5s", "800ms"). */
    above: z.string().regex(THRESHOLD, { message: 'must be a percentage such as "10%" or a duration such as "5s" or "800ms"' }).optional(),
    /** The trigger that must fire: critical (page) or warning. Default: either. */
    level: z.enum(ALERT_LEVELS).optional(),
  })
  .superRefine((a, ctx) => {
    const unit = a.above === undefined ? undefined : THRESHOLD.exec(a.above)?.[2];
    if (a.condition === 'new-issue' && a.above !== undefined) ctx.addIssue({ code: 'custom', path: ['above'], message: 'new-issue alerts fire on the first event of an issue: they take no threshold' });
    if (a.condition === 'error-rate' && unit !== undefined && unit !== '%') ctx.addIssue({ code: 'custom', path: ['above'], message: 'an error-rate threshold is a percentage of failing transactions, such as "10%"' });
    if (a.condition === 'error-rate' && unit === '%' && !(Number(THRESHOLD.exec(a.above ?? '')?.[1]) <= 100)) ctx.addIssue({ code: 'custom', path: ['above'], message: 'must be at most 100%' });
    if (a.condition === 'latency' && unit === '%') ctx.addIssue({ code: 'custom', path: ['above'], message: 'a latency threshold is a p95 duration, such as "5s" or "800ms"' });
  });

export type AlertRuleSpec = { readonly condition: AlertCondition; readonly above?: string | undefined; readonly level?: AlertLevel | undefined };
export type AlertLevel = (typeof ALERT_LEVELS)[number];

/** The threshold of an alert in Sentry's own units: a failure_rate() ratio (0.1 for 10%), or milliseconds. */
export function alertThreshold(a: AlertRuleSpec): { readonly value: number; readonly unit: 'ratio' | 'ms'; readonly text: string } | undefined {
  const m = a.above === undefined ? undefined : THRESHOLD.exec(a.above);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (m[2] === '%') return { value: n / 100, unit: 'ratio', text: `${n}%` };
  return { value: m[2] === 's' ? n * 1000 : n, unit: 'ms', text: m[2] === 's' ? `${n} s` : `${n} ms` };
}

/** `prodcheck:sentry`: error tracking and alerting on Sentry. */
export const sentrySchema = z.strictObject({
  organization: slug,
  project: slug,
  /** The team that owns the project and that metric alerts notify (needed to provision them). */
  team: slug.optional(),
  /** The env var holding the project's DSN; default: SENTRY_DSN or NEXT_PUBLIC_SENTRY_DSN, whichever env.vars declares. */
  dsnVar: envKey.optional(),
  /**
   * What must page someone: a first-seen issue, an error-rate spike, slow transactions. A bare condition
   * takes any rule for it; `{condition, above, level}` requires a trigger of that level firing at or below
   * the threshold ("Error rate > 10%" as `{condition: error-rate, above: 10%, level: critical}`).
   */
  alerts: z
    .array(z.union([z.enum(ALERT_CONDITIONS), alertRule]))
    .transform((list) => list.map((a): AlertRuleSpec => (typeof a === 'string' ? { condition: a } : a)))
    .default([{ condition: 'new-issue' }, { condition: 'error-rate' }]),
  /** The app sends traces (Sentry performance monitoring): the project must have received transactions in the last hour. */
  tracing: z.boolean().default(false),
  /**
   * The share of requests traced, provisioned as SENTRY_TRACES_SAMPLE_RATE (the server SDK reads it when
   * Sentry.init gets no tracesSampleRate). Needs tracing: true.
   */
  tracesSampleRate: z.number().lte(1).optional(),
  /** Dashboards that must exist in the organization, by title. */
  dashboards: z.array(z.string().trim().min(1).max(255)).default([]),
}).superRefine((s, ctx) => {
  if (s.tracesSampleRate !== undefined && s.tracesSampleRate <= 0) {
    ctx.addIssue({ code: 'custom', path: ['tracesSampleRate'], message: `must be > 0 (found ${s.tracesSampleRate}): at 0 the SDK sends no transaction (0.1 traces a tenth of the requests)` });
  }
  if (s.tracesSampleRate !== undefined && !s.tracing) ctx.addIssue({ code: 'custom', path: ['tracesSampleRate'], message: 'is set, but tracing is false: set tracing: true (the app sends traces) or remove it' });
});

export type SentrySpec = z.output<typeof sentrySchema>;
export type AlertCondition = (typeof ALERT_CONDITIONS)[number];

/** The env var that holds the DSN: sentry.dsnVar, else SENTRY_DSN or NEXT_PUBLIC_SENTRY_DSN as env.vars declares. */
export function dsnVarOf(spec: { readonly sentry?: { readonly dsnVar?: string | undefined } | undefined; readonly env: { readonly vars: Readonly<Record<string, unknown>> } }): string | undefined {
  if (spec.sentry?.dsnVar) return spec.sentry.dsnVar;
  return ['SENTRY_DSN', 'NEXT_PUBLIC_SENTRY_DSN'].find((k) => spec.env.vars[k] !== undefined);
}
