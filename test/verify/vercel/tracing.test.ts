import { describe, expect, it } from 'vitest';
import { Redactor } from '../../../report/redact.js';
import { stackSpecSchema, type EnvTarget, type StackSpec } from '../../../spec/index.js';
import { monitoringApm } from '../../../verify/vercel/checks.js';
import type { EnvType, VercelEnvVar, VercelSnapshot } from '../../../verify/vercel/collect.js';
import { envValueOf } from '../../../verify/vercel/collect.js';
import { valueKeys } from '../../../verify/vercel/env-keys.js';

const input = {
  app: { name: 'chat', domain: 'chat.example.com' },
  sentry: { organization: 'acme', project: 'chat', tracing: true, tracesSampleRate: 0.2 },
  otel: { endpoint: 'https://api.honeycomb.io', serviceName: 'chat-web' },
  vercel: { project: 'chat' },
};
const spec: StackSpec = stackSpecSchema.parse(input);
const redactor = new Redactor();

function env(key: string, type: EnvType, raw: string, targets: EnvTarget[] = ['production']): VercelEnvVar {
  return type === 'sensitive' ? { key, type, targets, value: { kind: 'unreadable', reason: 'sensitive values are write-only' } } : { key, type, targets, value: envValueOf(key, raw, spec, redactor) };
}

const clean: VercelEnvVar[] = [
  env('SENTRY_TRACES_SAMPLE_RATE', 'plain', '0.2'),
  env('OTEL_EXPORTER_OTLP_ENDPOINT', 'plain', 'https://api.honeycomb.io'),
  env('OTEL_SERVICE_NAME', 'encrypted', 'chat-web'),
  { key: 'OTEL_EXPORTER_OTLP_HEADERS', type: 'sensitive', targets: ['production'] },
];

const snapshot = (envs: readonly VercelEnvVar[]): VercelSnapshot => ({
  project: { id: 'prj_1', name: 'chat', framework: 'nextjs', link: null },
  envs: { ok: true, value: envs },
  domain: { name: 'chat.example.com', info: { ok: true, value: { verified: true, redirect: null, verification: [] } } },
  deployments: { ok: true, value: { list: [], complete: true } },
  firewall: { ok: true, value: null },
  logs: undefined,
  drains: undefined,
  customEnvironments: undefined,
  expect: {},
});
const run = (envs: readonly VercelEnvVar[], s: StackSpec = spec) => monitoringApm.evaluate(snapshot(envs), s).map((f) => [f.status, f.message]);
const replaced = (key: string, ...by: VercelEnvVar[]) => [...clean.filter((e) => e.key !== key), ...by];

describe('monitoring.apm from the production env (the trace settings the stack provisions)', () => {
  it('reads back the literal trace vars, never the headers', () => {
    const keys = valueKeys(spec);
    expect(['SENTRY_TRACES_SAMPLE_RATE', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_SERVICE_NAME'].every((k) => keys.has(k))).toBe(true);
    expect(keys.has('OTEL_EXPORTER_OTLP_HEADERS')).toBe(false);
  });

  it('passes the sample rate, endpoint and service name as provisioned, and sensitive headers (not compared)', () => {
    expect(run(clean)).toEqual([
      ['pass', 'SENTRY_TRACES_SAMPLE_RATE is 0.2 on the production target.'],
      ['pass', 'OTEL_EXPORTER_OTLP_ENDPOINT is https://api.honeycomb.io on the production target.'],
      ['pass', 'OTEL_SERVICE_NAME is chat-web on the production target.'],
      ['pass', 'OTEL_EXPORTER_OTLP_HEADERS is set for production as a sensitive var (its value is write-only, so it was not compared).'],
    ]);
    expect(run(replaced('SENTRY_TRACES_SAMPLE_RATE', env('SENTRY_TRACES_SAMPLE_RATE', 'plain', '0.20')))[0]).toEqual(['pass', 'SENTRY_TRACES_SAMPLE_RATE is 0.2 on the production target.']);
  });

  it('fails a rate of 0, another endpoint, a missing service name and headers stored readable', () => {
    expect(run(replaced('SENTRY_TRACES_SAMPLE_RATE', env('SENTRY_TRACES_SAMPLE_RATE', 'plain', '0')))[0]).toEqual(['fail', 'SENTRY_TRACES_SAMPLE_RATE must be 0.2 on the production target (found 0).']);
    expect(run(replaced('OTEL_EXPORTER_OTLP_ENDPOINT', env('OTEL_EXPORTER_OTLP_ENDPOINT', 'plain', 'https://collector.old.example.com')))[1]).toEqual([
      'fail',
      'OTEL_EXPORTER_OTLP_ENDPOINT must be https://api.honeycomb.io on the production target (found https://collector.old.example.com).',
    ]);
    expect(run(replaced('OTEL_SERVICE_NAME'))[2]).toEqual(['fail', 'OTEL_SERVICE_NAME must be chat-web on the production target (found it unset): the app sends no traces there.']);
    expect(run(replaced('OTEL_EXPORTER_OTLP_HEADERS', { key: 'OTEL_EXPORTER_OTLP_HEADERS', type: 'encrypted', targets: ['production'] }))[3]).toEqual([
      'fail',
      "OTEL_EXPORTER_OTLP_HEADERS must be a sensitive var: it holds the collector's credentials (found encrypted).",
    ]);
    expect(run(replaced('OTEL_EXPORTER_OTLP_HEADERS'))[3]).toEqual(['fail', 'OTEL_EXPORTER_OTLP_HEADERS must be set for production as a sensitive var (found it unset): the OTLP collector gets no auth headers with the traces.']);
  });

  it('errors on a value it could not read, and skips a stack that provisions no trace settings', () => {
    expect(run(replaced('SENTRY_TRACES_SAMPLE_RATE', { key: 'SENTRY_TRACES_SAMPLE_RATE', type: 'sensitive', targets: ['production'], value: { kind: 'unreadable', reason: 'sensitive values are write-only' } }))[0]).toEqual([
      'error',
      'Could not read SENTRY_TRACES_SAMPLE_RATE on production: sensitive values are write-only, so its value cannot be checked.',
    ]);
    const none = stackSpecSchema.parse({ ...input, sentry: { ...input.sentry, tracesSampleRate: undefined }, otel: undefined });
    expect(run([], none)).toEqual([['skip', 'The stack provisions no trace settings (prodcheck:sentry.tracesSampleRate, prodcheck:otel): the production env is not judged for them.']]);
  });
});
