import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stackSpecSchema, targetsSchema } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import type { Report } from '../../../report/types.js';
import { runVerify } from '../../../verify/runner.js';
import { vercelFamily } from '../../../verify/vercel/index.js';
import { startVercelApi, type VercelApiServer } from '../../fixtures/vercel-api/index.js';

const spec = stackSpecSchema.parse({ app: { name: 'chat', domain: 'chat.example.com', canonicalHost: 'none' }, vercel: { project: 'chat', logDrain: { endpointHost: 'in.logs.betterstack.com' } } });

let api: VercelApiServer;
beforeAll(async () => {
  api = await startVercelApi({ project: { name: 'chat' } });
});
afterAll(() => api.stop());
beforeEach(() => {
  api.state.drains = [];
  api.allow('drains');
  api.addDrain({ name: 'Better Stack', endpoint: 'https://in.logs.betterstack.com/vercel' });
});

const verify = (): Promise<Report> =>
  runVerify({ stack: 'test', spec, targets: targetsSchema.parse({ vercel: { token: api.token, baseUrl: api.url } }), families: [vercelFamily as never], redactor: new Redactor(), select: (id) => id === 'monitoring.logging', active: false });
const messages = async () => (await verify()).results.map((r) => [r.status, r.message]);

describe('monitoring.logging: a log drain carries the project\'s runtime logs (read through @vercel/sdk)', () => {
  it('passes an enabled log drain to the expected host', async () => {
    expect(await messages()).toEqual([['pass', 'The runtime logs of chat drain to in.logs.betterstack.com through "Better Stack" (enabled).']]);
  });

  it('fails a disabled drain, a drain elsewhere, a trace-only drain and a drain for another project', async () => {
    api.state.drains[0]!.status = 'disabled';
    api.state.drains[0]!.disabledReason = 'account-plan-downgrade';
    expect(await messages()).toEqual([['fail', 'The log drain "Better Stack" to in.logs.betterstack.com is disabled, account-plan-downgrade: chat\'s logs stay only in Vercel\'s short retention.']]);
    api.state.drains = [];
    api.addDrain({ name: 'Datadog', endpoint: 'https://http-intake.logs.datadoghq.com/api/v2/logs' });
    api.addDrain({ name: 'OTel', endpoint: 'https://in.logs.betterstack.com/otel', schemas: ['trace'] });
    api.addDrain({ name: 'Other app', endpoint: 'https://in.logs.betterstack.com/other', projectIds: ['prj_other'] });
    expect(await messages()).toEqual([
      ['fail', "No log drain carries chat's runtime logs to in.logs.betterstack.com (log drains go to http-intake.logs.datadoghq.com): they stay only in Vercel's short retention."],
    ]);
  });

  it('passes a drain filtered to production function logs, and says how much head sampling keeps', async () => {
    api.state.drains[0]!.filter = { environments: ['production'], sources: ['lambda', 'edge', 'static', 'external'] };
    api.state.drains[0]!.sampling = [{ rate: 0.25, env: 'production' }, { rate: 0.1, env: 'production', requestPath: '/_next/' }, { rate: 0.01, env: 'preview' }];
    expect(await messages()).toEqual([['pass', 'The runtime logs of chat drain to in.logs.betterstack.com through "Better Stack" (enabled, keeping 25 % of production logs (head sampling)).']]);
  });

  it('fails a drain whose filter or sampling lets no production function log through', async () => {
    api.state.drains[0]!.filter = { environments: ['preview'] };
    expect(await messages()).toEqual([['fail', 'The log drain "Better Stack" to in.logs.betterstack.com lets only preview deployments through: chat\'s production function logs stay only in Vercel\'s short retention.']]);
    api.state.drains[0]!.filter = { environments: ['production'], sources: ['static', 'build'] };
    expect(await messages()).toEqual([['fail', 'The log drain "Better Stack" to in.logs.betterstack.com lets only static, build logs through, not the functions\' (lambda): chat\'s production function logs stay only in Vercel\'s short retention.']]);
    api.state.drains[0]!.filter = undefined;
    api.state.drains[0]!.sampling = [{ rate: 0 }];
    expect(await messages()).toEqual([['fail', 'The log drain "Better Stack" to in.logs.betterstack.com samples 0 % of production logs: chat\'s production function logs stay only in Vercel\'s short retention.']]);
  });

  it('skips a drain filtered by an OData expression it cannot evaluate, unless another drain qualifies', async () => {
    api.state.drains[0]!.filter = { odata: "environment eq 'preview'" };
    expect(await messages()).toEqual([['skip', "The log drain \"Better Stack\" to in.logs.betterstack.com is enabled but filters with an OData expression (environment eq 'preview') that prodcheck does not evaluate: check that it lets chat's production function logs through."]]);
    api.addDrain({ name: 'Better Stack 2', endpoint: 'https://in.logs.betterstack.com/all' });
    expect(await messages()).toEqual([['pass', 'The runtime logs of chat drain to in.logs.betterstack.com through "Better Stack 2" (enabled).']]);
  });

  it('a drains listing the token may not read is an error', async () => {
    api.refuse('drains', 403);
    const [first] = await messages();
    expect(first?.[0]).toBe('error');
    expect(first?.[1]).toMatch(/^Could not list the drains: the Vercel token may not read the drains \(HTTP 403\)/);
  });
});

describe('vercel.staging-environment: a custom environment that deploys before production (read through @vercel/sdk)', () => {
  const staging = stackSpecSchema.parse({ app: { name: 'chat', domain: 'chat.example.com', canonicalHost: 'none' }, vercel: { project: 'chat', staging: { slug: 'staging', branch: 'staging' } } });
  const run = async () =>
    (
      await runVerify({ stack: 'test', spec: staging, targets: targetsSchema.parse({ vercel: { token: api.token, baseUrl: api.url } }), families: [vercelFamily as never], redactor: new Redactor(), select: (id) => id === 'vercel.staging-environment', active: false })
    ).results.map((r) => [r.status, r.message]);

  it('passes a staging environment on the expected branch, fails a missing one or one on another branch', async () => {
    api.state.customEnvironments = [];
    api.addCustomEnvironment('staging', 'staging');
    expect(await run()).toEqual([['pass', 'chat has a "staging" environment (it tracks equals staging).']]);
    api.state.customEnvironments[0]!.branch = 'develop';
    expect(await run()).toEqual([['fail', 'chat\'s "staging" environment must deploy the branch staging (it tracks equals develop).']]);
    api.state.customEnvironments = [];
    api.addCustomEnvironment('qa');
    expect(await run()).toEqual([['fail', 'chat has no "staging" environment (custom environments: qa): changes go from preview straight to production.']]);
  });
});
