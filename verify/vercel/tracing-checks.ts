import type { EnvVarSpec } from '../../spec/index.js';
import { provisionedTracingVars } from '../../spec/index.js';
import type { Finding } from '../types.js';
import type { VercelEnvVar } from './collect.js';
import { entryFor, envCheck, shown, skip, unreadable } from './env-lookup.js';

function judgeVar(envs: readonly VercelEnvVar[], key: string, v: EnvVarSpec): Finding {
  const entry = entryFor(envs, key);
  if (v.secret) {
    if (!entry) return { status: 'fail', resource: key, message: `${key} must be set for production as a sensitive var (found it unset): the OTLP collector gets no auth headers with the traces.`, expected: 'sensitive', actual: 'unset' };
    return entry.type === 'sensitive'
      ? { status: 'pass', resource: key, message: `${key} is set for production as a sensitive var (its value is write-only, so it was not compared).`, expected: 'sensitive', actual: 'sensitive' }
      : { status: 'fail', resource: key, message: `${key} must be a sensitive var: it holds the collector's credentials (found ${entry.type}).`, expected: 'sensitive', actual: entry.type };
  }
  const want = v.value ?? '';
  if (!entry) return { status: 'fail', resource: key, message: `${key} must be ${want} on the production target (found it unset): the app sends no traces there.`, expected: want, actual: 'unset' };
  const cannot = unreadable(key, entry.value);
  if (cannot) return cannot;
  const value = entry.value as Extract<VercelEnvVar['value'], { kind: 'text' | 'secret' }>;
  const text = value.kind === 'text' ? value.text.trim() : undefined;
  // A rate is a number: "0.20" is the 0.2 the stack asks for.
  const same = text !== undefined && (text === want || (/^[\d.]+$/.test(want) && Number(text) === Number(want)));
  return same
    ? { status: 'pass', resource: key, message: `${key} is ${want} on the production target.`, expected: want, actual: want }
    : { status: 'fail', resource: key, message: `${key} must be ${want} on the production target (found ${shown(value)}).`, expected: want, actual: shown(value) };
}

/** monitoring.apm from the Vercel side: the production env carries what makes the app send traces, as the stack provisions it. */
export const monitoringApm = envCheck('monitoring.apm', (envs, spec) => {
  const vars = provisionedTracingVars(spec);
  if (vars.length === 0) return skip('The stack provisions no trace settings (prodcheck:sentry.tracesSampleRate, prodcheck:otel): the production env is not judged for them.');
  return vars.map(([key, v]) => judgeVar(envs, key, v));
});
