import { beforeAll, describe, expect, test } from 'vitest';
import type { StackRun } from './helpers/mock-stack.js';
import { isSecretWire, plain, resource, runStackFile, SECRET_MARK, stubProviderSerialization } from './helpers/mock-stack.js';
import { appUrl, healthPathOf, loadStackFile, UPTIME_TAG } from '../../spec/index.js';
import { programProblems } from '../../infra/problems.js';
import { stackSpecSchema } from '../../spec/index.js';

const T = {
  uptime: 'prodcheck:uptime:Uptime',
  channel: 'checkly:index/alertChannel:AlertChannel',
  check: 'checkly:index/check:Check',
  dashboard: 'checkly:index/dashboard:Dashboard',
  logDrainComponent: 'prodcheck:log-drain:LogDrain',
  logDrain: 'vercel:index/logDrain:LogDrain',
  password: 'random:index/randomPassword:RandomPassword',
  vercelProvider: 'pulumi:providers:vercel',
} as const;

let prod: StackRun;
let phonepe: StackRun;
beforeAll(async () => {
  stubProviderSerialization();
  prod = await runStackFile('prod');
  phonepe = await runStackFile('phonepe');
});

describe('prod: uptime on Checkly', () => {
  test('an activated API check on the health URL verify judges, every 5 minutes from both locations, subscribed to the on-call email channel', () => {
    const { spec } = loadStackFile('Pulumi.prod.yaml');
    const url = `${appUrl(spec.app)}${healthPathOf(spec)}`;
    expect(url).toBe('https://chat.example.com/api/health');
    expect(plain(resource(prod, T.channel, 'chat-uptime-alerts').inputs)).toEqual({ email: { address: 'oncall@example.com' }, sendFailure: true, sendDegraded: true, sendRecovery: true });
    const check = resource(prod, T.check, 'chat-uptime-health');
    expect(check.parent).toBe('chat-uptime');
    expect(plain(check.inputs)).toMatchObject({
      name: 'chat health',
      type: 'API',
      activated: true,
      muted: false,
      frequency: 5,
      locations: ['us-east-1', 'eu-west-1'],
      tags: [UPTIME_TAG],
      request: { method: 'GET', url, followRedirects: false, assertions: [{ source: 'STATUS_CODE', comparison: 'EQUALS', target: '200' }] },
      alertChannelSubscriptions: [{ channelId: 4321, activated: true }],
    });
  });

  test('the status page is the public dashboard on the custom domain showing the checks tagged like the health check', () => {
    expect(plain(resource(prod, T.dashboard, 'chat-uptime-status').inputs)).toEqual({ customUrl: 'chat-status', customDomain: 'status.chat.example.com', header: 'chat status', tags: [UPTIME_TAG], hideTags: true, refreshRate: 60 });
  });

  test('a stack without prodcheck:uptime declares no Checkly resource', () => {
    expect(phonepe.resources.filter((r) => r.type.startsWith('checkly:') || r.type === T.uptime)).toEqual([]);
  });
});

describe('prod: the Vercel log drain', () => {
  test('drains the project\'s runtime logs from production to the host monitoring.logging expects, in JSON, under the team provider', () => {
    const drain = resource(prod, T.logDrain, 'chat-logs-drain');
    expect(drain.parent).toBe('chat-logs');
    expect(drain.provider).toMatch(/^chat-logs-vercel$/);
    const { secret, ...rest } = plain(drain.inputs) as Record<string, unknown>;
    expect(rest).toEqual({
      name: 'chat runtime logs',
      deliveryFormat: 'json',
      endpoint: 'https://in.logs.betterstack.com/',
      environments: ['production'],
      sources: ['lambda', 'edge', 'static', 'external'],
      projectIds: ['prj_chat-app-project'],
    });
    // The signing secret is the generated password's result, and the engine holds it as a secret.
    expect(secret).toBe(`${SECRET_MARK}-chat-logs-secret`.padEnd(40, 'x'));
    expect(isSecretWire(drain.inputs.secret)).toBe(true);
    expect(plain(resource(prod, T.password, 'chat-logs-secret').inputs)).toEqual({ length: 40, special: false });
    expect(plain(resource(prod, T.vercelProvider, 'chat-logs-vercel').inputs)).toMatchObject({ team: 'example-org' });
  });

  test('sends the sink its Authorization header, as a secret, when vercel:logDrainAuthorization is set', async () => {
    const run = await runStackFile('prod', { 'vercel:logDrainAuthorization': `Bearer ${SECRET_MARK}-source-token` }, ['vercel:logDrainAuthorization']);
    const drain = resource(run, T.logDrain, 'chat-logs-drain');
    expect(plain(drain.inputs.headers)).toEqual({ Authorization: `Bearer ${SECRET_MARK}-source-token` });
    const headers = drain.inputs.headers as { Authorization?: unknown };
    expect(isSecretWire(headers) || isSecretWire(headers.Authorization)).toBe(true);
  });

  test('a stack without prodcheck:vercel.logDrain declares no drain; one without its host is a config problem', () => {
    expect(phonepe.resources.filter((r) => r.type === T.logDrain || r.type === T.logDrainComponent)).toEqual([]);
    const spec = stackSpecSchema.parse({ app: { name: 'shop', domain: 'shop.example.com' }, vercel: { project: 'shop', logDrain: {} } });
    const problems = programProblems(spec, { has: () => false, isSecret: () => false, get: () => undefined });
    expect(problems).toContainEqual({ path: 'prodcheck:vercel.logDrain.endpointHost', message: 'is required to provision the log drain: name the host of the sink it delivers to (e.g. in.logs.betterstack.com)' });
  });
});
