import { z } from 'zod';
import { findControl } from '../../checklist/index.js';
import { appSchema } from './app.js';
import { ciSchema } from './ci.js';
import { datadogSchema } from './datadog.js';
import { dnsSchema } from './dns.js';
import { emailSchema } from './email.js';
import { envSchema } from './env.js';
import { httpSchema } from './http.js';
import { litellmSchema } from './litellm.js';
import { neonSchema } from './neon.js';
import { otelSchema } from './otel.js';
import { perfSchema } from './perf.js';
import { postgresSchema } from './postgres.js';
import { redisSchema } from './redis.js';
import { sentrySchema } from './sentry.js';
import { supabaseSchema } from './supabase.js';
import { stripeSchema } from './stripe.js';
import { uptimeSchema } from './uptime.js';
import { vercelSchema } from './vercel.js';
import { waiversSchema } from './waivers.js';

/** The `prodcheck:` namespace of Pulumi.<stack>.yaml: the desired production state. */
export const stackSpecSchema = z
  .strictObject({
    app: appSchema,
    env: envSchema.prefault({}),
    postgres: postgresSchema.optional(),
    redis: redisSchema.optional(),
    stripe: stripeSchema.optional(),
    http: httpSchema.prefault({}),
    vercel: vercelSchema.optional(),
    dns: dnsSchema.optional(),
    ci: ciSchema.optional(),
    sentry: sentrySchema.optional(),
    uptime: uptimeSchema.optional(),
    litellm: litellmSchema.optional(),
    email: emailSchema.optional(),
    supabase: supabaseSchema.optional(),
    neon: neonSchema.optional(),
    perf: perfSchema.optional(),
    otel: otelSchema.optional(),
    datadog: datadogSchema.optional(),
    waivers: waiversSchema,
  })
  .superRefine((spec, ctx) => {
    for (const [key, v] of Object.entries(spec.env.vars)) {
      const path = ['env', 'vars', key, 'from'];
      const needs = v.from.split('.')[0];
      if ((needs === 'postgres' || needs === 'redis' || needs === 'stripe' || needs === 'sentry') && !spec[needs]) {
        ctx.addIssue({ code: 'custom', path, message: `is "${v.from}" but the stack has no prodcheck:${needs} section` });
      }
      if (v.from === 'email.from' && spec.email?.from === undefined) {
        ctx.addIssue({ code: 'custom', path, message: 'is "email.from" but prodcheck:email.from names no From address' });
      }
      const price = /^stripe\.price\.(.+)$/.exec(v.from);
      if (price && spec.stripe && !spec.stripe.products.some((p) => p.key === price[1])) {
        const keys = spec.stripe.products.map((p) => p.key).join(', ') || 'none';
        ctx.addIssue({ code: 'custom', path, message: `names product "${price[1]}", which prodcheck:stripe.products does not define (keys: ${keys})` });
      }
    }
    if (spec.ci && spec.ci.repository === undefined && !spec.vercel?.git) {
      ctx.addIssue({ code: 'custom', path: ['ci', 'repository'], message: 'is required when prodcheck:vercel.git does not name the repository (owner/name)' });
    }
    if (spec.neon && spec.postgres?.provider !== 'neon') {
      ctx.addIssue({ code: 'custom', path: ['neon'], message: `is set but prodcheck:postgres.provider is ${spec.postgres?.provider ?? 'missing'}, not neon` });
    }
    if (spec.email && spec.email.domain === undefined && spec.email.from === undefined && !spec.env.vars[spec.email.fromVar]) {
      ctx.addIssue({ code: 'custom', path: ['email'], message: `needs domain or from, or an env var ${spec.email.fromVar} in prodcheck:env.vars to read the From address from` });
    }
    if (spec.supabase && spec.postgres?.provider !== 'supabase') {
      ctx.addIssue({ code: 'custom', path: ['supabase'], message: `applies only to a Supabase database, but postgres.provider is ${spec.postgres?.provider ?? 'unset (no prodcheck:postgres section)'}: set postgres.provider: supabase or drop prodcheck:supabase` });
    }
    if (spec.datadog?.awsIntegration && spec.postgres?.provider !== 'rds' && spec.redis?.provider !== 'elasticache') {
      ctx.addIssue({ code: 'custom', path: ['datadog', 'awsIntegration'], message: `is true, but the stack has no RDS Postgres (postgres.provider is ${spec.postgres?.provider ?? 'unset'}) and no ElastiCache Redis (redis.provider is ${spec.redis?.provider ?? 'unset'}), the databases whose CloudWatch series the Datadog AWS integration collects: drop awsIntegration (other providers' series come from the Agent or their own integration)` });
    }
    // Settings that name an env var: it must be one the stack declares.
    const varRefs = [
      ['sentry', 'dsnVar', spec.sentry?.dsnVar],
      ['supabase', 'anonKeyVar', spec.supabase?.anonKeyVar],
      ['supabase', 'serviceRoleKeyVar', spec.supabase?.serviceRoleKeyVar],
    ] as const;
    for (const [section, key, name] of varRefs) {
      if (name !== undefined && !spec.env.vars[name]) ctx.addIssue({ code: 'custom', path: [section, key], message: `names ${name}, which prodcheck:env.vars does not declare` });
    }
    spec.waivers.forEach((w, i) => {
      if (!findControl(w.control)) ctx.addIssue({ code: 'custom', path: ['waivers', i, 'control'], message: `"${w.control}" is not a control id (see \`prodcheck controls\`)` });
    });
  });

export type StackSpec = z.output<typeof stackSpecSchema>;
export type StackSpecInput = z.input<typeof stackSpecSchema>;

export type { AppSpec } from './app.js';
export type { CiSpec } from './ci.js';
export { ciRepository } from './ci-defaults.js';
export { appUrl } from './app.js';
export type { DnsSpec } from './dns.js';
export type { EmailSpec } from './email.js';
export { domainOfAddress, sendingDomainOf } from './email.js';
export type { EnvSpec, EnvVarSpec, EnvTarget } from './env.js';
export { ENV_TARGETS, isSecretVar } from './env.js';
export type { HttpSpec } from './http.js';
export { OBSERVATORY_GRADES, REFERRER_POLICIES, SECURITY_HEADERS } from './http.js';
export type { NeonSpec } from './neon.js';
export type { OtelSpec } from './otel.js';
export { OTEL_VARS, SENTRY_SAMPLE_RATE_VAR } from './otel.js';
export type { PerfSpec } from './perf.js';
export { MIN_LATENCY_SAMPLES } from './perf.js';
export type { PostgresSpec, QualifiedName } from './postgres.js';
export { keyOf, parseQualified } from './postgres.js';
export type { RedisSpec } from './redis.js';
export type { AlertCondition, AlertLevel, AlertRuleSpec, SentrySpec } from './sentry.js';
export { ALERT_CONDITIONS, ALERT_LEVELS, alertThreshold, dsnVarOf } from './sentry.js';
export { EVICTION_POLICIES } from './redis.js';
export type { SupabaseSpec } from './supabase.js';
export { SUPABASE_DEFAULTS, supabaseKeyVars, supabaseRef } from './supabase.js';
export type { StripeSpec, StripeProductSpec } from './stripe.js';
export type { UptimeSpec } from './uptime.js';
export { CHECKLY_FREQUENCIES, UPTIME_TAG, healthPathOf, healthUrlOf, statusPageUrlOf } from './uptime.js';
export type { VercelSpec } from './vercel.js';
export type { Waiver } from './waivers.js';
export type { LitellmSpec } from './litellm.js';
export { registryUrl } from './litellm.js';
export type { DatadogSite, DatadogSpec, SloKind, SloSpec, SloTimeframe } from './datadog.js';
export { DATADOG_SITES, SLO_TIMEFRAMES, dashboardCharts, datadogApiUrl, datadogProvisions, datadogWindowMinutes, sloKindOf } from './datadog.js';
