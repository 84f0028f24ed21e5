import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, test } from 'vitest';
import { deploy } from '../../infra/program.js';
import { parseStackConfig } from '../../spec/index.js';
import type { StackRun } from './helpers/mock-stack.js';
import { envVars, isSecretWire, plain, runStackFile, SECRET_MARK, stackConfig, STACK_FILES, stubProviderSerialization } from './helpers/mock-stack.js';

const OTEL = JSON.stringify({ endpoint: 'https://api.honeycomb.io', protocol: 'http/json' });
const HEADERS = `x-honeycomb-team=${SECRET_MARK}-otel-key`;

let prod: StackRun;
let otel: StackRun;
let metered: StackRun;
beforeAll(async () => {
  stubProviderSerialization();
  prod = await runStackFile('prod');
  otel = await runStackFile('prod', { 'prodcheck:otel': OTEL, 'env:OTEL_EXPORTER_OTLP_HEADERS': HEADERS }, ['env:OTEL_EXPORTER_OTLP_HEADERS']);
  metered = await runStackFile('metered');
});

const appEnvClaims = (run: StackRun) => run.deployment.components.appEnv?.provisioned.controls ?? [];

describe('monitoring.apm: the env vars that make the app send traces', () => {
  test('prod (sentry.tracing, tracesSampleRate 0.2): SENTRY_TRACES_SAMPLE_RATE for production, a plain var, and monitoring.apm claimed', () => {
    const rate = envVars(prod).get('SENTRY_TRACES_SAMPLE_RATE');
    expect(rate?.parent).toBe('chat-app');
    expect(rate && plain(rate.inputs)).toEqual({ projectId: 'prj_chat-app-project', key: 'SENTRY_TRACES_SAMPLE_RATE', value: '0.2', targets: ['production'], sensitive: false, comment: 'prodcheck: from value' });
    expect(appEnvClaims(prod)).toContain('monitoring.apm');
    expect([...envVars(prod).keys()].filter((k) => k.startsWith('OTEL_'))).toEqual([]);
  });

  test('prodcheck:otel: the OTLP endpoint, service name (the app name) and protocol as @vercel/otel reads them, the headers a sensitive var from the secret config', () => {
    const vars = envVars(otel);
    const value = (key: string) => plain(vars.get(key)?.inputs.value);
    expect(value('OTEL_EXPORTER_OTLP_ENDPOINT')).toBe('https://api.honeycomb.io');
    expect(value('OTEL_SERVICE_NAME')).toBe('chat');
    expect(value('OTEL_EXPORTER_OTLP_PROTOCOL')).toBe('http/json');
    const headers = vars.get('OTEL_EXPORTER_OTLP_HEADERS');
    expect(headers && plain(headers.inputs)).toEqual({ projectId: 'prj_chat-app-project', key: 'OTEL_EXPORTER_OTLP_HEADERS', value: HEADERS, targets: ['production'], sensitive: true, comment: 'prodcheck: from config' });
    expect(isSecretWire(headers?.inputs.value)).toBe(true);
    expect(plain(vars.get('OTEL_EXPORTER_OTLP_ENDPOINT')?.inputs.sensitive)).toBe(false);
  });

  test('a stack without sentry.tracesSampleRate or prodcheck:otel claims nothing: its own OTEL_* vars in env.vars are plain env vars, unchecked as a trace export', () => {
    expect(appEnvClaims(metered)).not.toContain('monitoring.apm');
    expect([...envVars(metered).keys()].filter((k) => k.startsWith('OTEL_') || k === 'SENTRY_TRACES_SAMPLE_RATE')).toEqual(['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_HEADERS']);
  });
});

describe('monitoring.apm: planted config faults', () => {
  const prodSentry = () => JSON.parse(stackConfig(STACK_FILES.prod).config['prodcheck:sentry'] ?? '{}') as Record<string, unknown>;
  const problems = (sentry: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    try {
      parseStackConfig({ 'prodcheck:app': { name: 'chat', domain: 'chat.example.com' }, 'prodcheck:sentry': sentry, ...extra }, 'Pulumi.prod.yaml');
    } catch (e) {
      return (e as Error).message;
    }
    return 'accepted';
  };

  test('a sample rate of 0, above 1, or without tracing is refused with its path', () => {
    expect(problems({ ...prodSentry(), tracesSampleRate: 0 })).toBe('Pulumi.prod.yaml: 1 problem:\n  - prodcheck:sentry.tracesSampleRate: must be > 0 (found 0): at 0 the SDK sends no transaction (0.1 traces a tenth of the requests)');
    expect(problems({ ...prodSentry(), tracesSampleRate: 1.5 })).toBe('Pulumi.prod.yaml: 1 problem:\n  - prodcheck:sentry.tracesSampleRate: must be <= 1 (found 1.5)');
    expect(problems({ ...prodSentry(), tracing: false })).toBe('Pulumi.prod.yaml: 1 problem:\n  - prodcheck:sentry.tracesSampleRate: is set, but tracing is false: set tracing: true (the app sends traces) or remove it');
    expect(problems({ ...prodSentry(), tracesSampleRate: 1 })).toBe('accepted');
  });

  test('an OTLP endpoint that is not https, or that ends in /v1/traces, is refused with its path', () => {
    expect(problems(prodSentry(), { 'prodcheck:otel': { endpoint: 'http://collector.internal:4318' } })).toBe('Pulumi.prod.yaml: 1 problem:\n  - prodcheck:otel.endpoint: must be an https:// URL');
    expect(problems(prodSentry(), { 'prodcheck:otel': { endpoint: 'https://api.honeycomb.io/v1/traces' } })).toBe('Pulumi.prod.yaml: 1 problem:\n  - prodcheck:otel.endpoint: must be the base URL: @vercel/otel appends /v1/traces itself');
  });

  test('OTLP headers set in plain text, or not set, are config errors naming the command that fixes them', async () => {
    const run = async (secretHeaders: boolean, set = true) => {
      const { config, secretKeys } = stackConfig(STACK_FILES.prod);
      config['prodcheck:otel'] = OTEL;
      if (set) config['env:OTEL_EXPORTER_OTLP_HEADERS'] = HEADERS;
      await pulumi.runtime.setMocks({ newResource: () => ({ id: undefined, state: {} }), call: () => ({}) }, 'prodcheck', 'prod');
      pulumi.runtime.setAllConfig(config, secretHeaders ? [...secretKeys, 'env:OTEL_EXPORTER_OTLP_HEADERS'] : secretKeys);
      try {
        deploy();
      } catch (e) {
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(await run(false)).toBe(
      'Pulumi.prod.yaml: 1 problem:\n  - env:OTEL_EXPORTER_OTLP_HEADERS: holds a secret in plain text: set it again with `pulumi config set --secret env:OTEL_EXPORTER_OTLP_HEADERS <value>`',
    );
    expect(await run(true, false)).toBe('Pulumi.prod.yaml: 1 problem:\n  - env:OTEL_EXPORTER_OTLP_HEADERS: is not set: `pulumi config set --secret env:OTEL_EXPORTER_OTLP_HEADERS <value>`');
    // Set as a secret, the stack is accepted: the otel run of beforeAll (a full mock deployment) shows it.
    expect(envVars(otel).has('OTEL_EXPORTER_OTLP_HEADERS')).toBe(true);
  });
});
