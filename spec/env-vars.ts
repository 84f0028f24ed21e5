import type { EnvVarSpec, StackSpec } from './schema/index.js';
import { OTEL_VARS, SENTRY_SAMPLE_RATE_VAR } from './schema/index.js';

export const ADMIN_EMAILS_KEY = 'ADMIN_EMAILS';
export const BCRYPT_ROUNDS_KEY = 'BCRYPT_ROUNDS';

/**
 * The env vars the stack provisions, in spec order: feature-gated ones only while their feature is on,
 * plus ADMIN_EMAILS and BCRYPT_ROUNDS from prodcheck:env.adminEmails / bcryptRounds and the trace-export
 * vars (provisionedTracingVars) unless the vars declare them.
 */
export function activeVars(spec: StackSpec): [string, EnvVarSpec][] {
  const declared = Object.entries(spec.env.vars).filter(([, v]) => v.feature === undefined || spec.env.features[v.feature] === true);
  const derived: [string, EnvVarSpec][] = [];
  if (spec.env.adminEmails.length > 0 && !(ADMIN_EMAILS_KEY in spec.env.vars)) derived.push([ADMIN_EMAILS_KEY, literal(spec.env.adminEmails.join(','))]);
  if (spec.env.bcryptRounds !== undefined && !(BCRYPT_ROUNDS_KEY in spec.env.vars)) derived.push([BCRYPT_ROUNDS_KEY, literal(String(spec.env.bcryptRounds))]);
  return [...declared, ...derived, ...provisionedTracingVars(spec)];
}

/** A production var with a fixed value the stack derives (not one env.vars declares). */
const literal = (value: string): EnvVarSpec => ({ from: 'value', value, secret: false, targets: ['production'], forbiddenTargets: [] });

/**
 * The env vars that make the app send traces (monitoring.apm): SENTRY_TRACES_SAMPLE_RATE from
 * prodcheck:sentry.tracesSampleRate, and the OTLP export of prodcheck:otel, its headers a secret from
 * `env:OTEL_EXPORTER_OTLP_HEADERS` (a sensitive var).
 */
export function tracingVars(spec: StackSpec): [string, EnvVarSpec][] {
  const out: [string, EnvVarSpec][] = [];
  const rate = spec.sentry?.tracing ? spec.sentry.tracesSampleRate : undefined;
  if (rate !== undefined) out.push([SENTRY_SAMPLE_RATE_VAR, literal(String(rate))]);
  const otel = spec.otel;
  if (otel) {
    out.push([OTEL_VARS.endpoint, literal(otel.endpoint)], [OTEL_VARS.serviceName, literal(otel.serviceName ?? spec.app.name)]);
    if (otel.protocol !== undefined) out.push([OTEL_VARS.protocol, literal(otel.protocol)]);
    if (otel.headers) out.push([OTEL_VARS.headers, { from: 'config', secret: true, targets: ['production'], forbiddenTargets: [] }]);
  }
  return out;
}

/** The trace-export vars the stack provisions itself: those of tracingVars that env.vars does not declare (env.required-vars judges those). */
export function provisionedTracingVars(spec: StackSpec): [string, EnvVarSpec][] {
  return tracingVars(spec).filter(([key]) => !(key in spec.env.vars));
}
