import type { EnvVarSpec, StackSpec } from './schema/index.js';
import { OTEL_VARS, SENTRY_SAMPLE_RATE_VAR } from './schema/index.js';

export const ADMIN_EMAILS_KEY = 'ADMIN_EMAILS';
export const BCRYPT_ROUNDS_KEY = 'BCRYPT_ROUNDS';

/**
 * The env vars the stack provisions, in spec order: feature-gated ones only while their feature is on,
 * plus ADMIN_EMAILS and BCRYPT_ROUNDS from prodcheck:env.adminEmails / bcryptRounds unless the vars
 * declare them.
 */
export function activeVars(spec: StackSpec): [string, EnvVarSpec][] {
  const declared = Object.entries(spec.env.vars).filter(([, v]) => v.feature === undefined || spec.env.features[v.feature] === true);
  const literal = (value: string): EnvVarSpec => ({ from: 'value', value, secret: false, targets: ['production'], forbiddenTargets: [] });
  const derived: [string, EnvVarSpec][] = [];
  if (spec.env.adminEmails.length > 0 && !(ADMIN_EMAILS_KEY in spec.env.vars)) derived.push([ADMIN_EMAILS_KEY, literal(spec.env.adminEmails.join(','))]);
  if (spec.env.bcryptRounds !== undefined && !(BCRYPT_ROUNDS_KEY in spec.env.vars)) derived.push([BCRYPT_ROUNDS_KEY, literal(String(spec.env.bcryptRounds))]);
  for (const [key, v] of tracingVars(spec)) if (!(key in spec.env.vars)) derived.push([key, v]);
  return [...declared, ...derived];
}

/**
 * The env vars that make the app send traces (monitoring.apm): SENTRY_TRACES_SAMPLE_RATE from
 * prodcheck:sentry.tracesSampleRate, and the OTLP export of prodcheck:otel, its headers a secret from
 * `env:OTEL_EXPORTER_OTLP_HEADERS` (a sensitive var).
 */
export function tracingVars(spec: StackSpec): [string, EnvVarSpec][] {
  const literal = (value: string): EnvVarSpec => ({ from: 'value', value, secret: false, targets: ['production'], forbiddenTargets: [] });
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
