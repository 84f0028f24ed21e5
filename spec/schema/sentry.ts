import { z } from 'zod';
import { envKey } from './common.js';

const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,49}$/, { message: 'must be a Sentry slug (lower-case letters, digits, - and _)' });

/** The conditions an alert rule can watch; each must have an active rule that notifies someone. */
export const ALERT_CONDITIONS = ['new-issue', 'error-rate', 'latency'] as const;

/** `prodcheck:sentry`: error tracking and alerting on Sentry. */
export const sentrySchema = z.strictObject({
  organization: slug,
  project: slug,
  /** The team that owns the project and that metric alerts notify (needed to provision them). */
  team: slug.optional(),
  /** The env var holding the project's DSN; default: SENTRY_DSN or NEXT_PUBLIC_SENTRY_DSN, whichever env.vars declares. */
  dsnVar: envKey.optional(),
  /** What must page someone: a first-seen issue, an error-rate spike, slow transactions. */
  alerts: z.array(z.enum(ALERT_CONDITIONS)).default(['new-issue', 'error-rate']),
  /** The app sends traces (Sentry performance monitoring): the project must have received transactions in the last hour. */
  tracing: z.boolean().default(false),
  /** Dashboards that must exist in the organization, by title. */
  dashboards: z.array(z.string().trim().min(1).max(255)).default([]),
});

export type SentrySpec = z.output<typeof sentrySchema>;
export type AlertCondition = (typeof ALERT_CONDITIONS)[number];

/** The env var that holds the DSN: sentry.dsnVar, else SENTRY_DSN or NEXT_PUBLIC_SENTRY_DSN as env.vars declares. */
export function dsnVarOf(spec: { readonly sentry?: { readonly dsnVar?: string | undefined } | undefined; readonly env: { readonly vars: Readonly<Record<string, unknown>> } }): string | undefined {
  if (spec.sentry?.dsnVar) return spec.sentry.dsnVar;
  return ['SENTRY_DSN', 'NEXT_PUBLIC_SENTRY_DSN'].find((k) => spec.env.vars[k] !== undefined);
}
