import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StackSpec, Targets } from '../../../spec/index.js';
import { stackSpecSchema, targetsSchema } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import type { Report } from '../../../report/types.js';
import { runVerify } from '../../../verify/runner.js';
import { driftFamilies, isDriftCheck } from '../../../drift/select.js';
import { litellmFamily, llmLitellmRegistry } from '../../../verify/litellm/index.js';
import { stripePaymentsFlowing } from '../../../verify/stripe/index.js';
import { LITELLM_MAX_BODY_BYTES } from '../../../verify/litellm/client.js';
import { startLitellmApi, type LitellmApiServer } from '../../fixtures/litellm-api/index.js';
import { startHostileApi } from '../../helpers/hostile-api.js';

const spec: StackSpec = stackSpecSchema.parse({
  app: { name: 'gateway', domain: 'example.net' },
  litellm: { url: 'https://litellm.example.net', models: ['gpt-4o', 'claude-sonnet'], minModels: 2 },
});

let api: LitellmApiServer;
let base: string;

beforeAll(async () => {
  api = await startLitellmApi();
  base = api.url;
});
afterAll(async () => {
  await api.stop();
});

beforeEach(() => {
  api.state.deployments.length = 0;
  api.addDeployment('gpt-4o', 'openai/gpt-4o');
  api.addDeployment('gpt-4o', 'azure/gpt-4o-eu', { apiBase: 'https://eu.openai.azure.com/' });
  api.addDeployment('claude-sonnet', 'anthropic/claude-sonnet-4-5');
  Object.assign(api.state, { readinessStatus: 200, db: 'connected', healthPending: false });
  for (const s of [api.state.hang, api.state.flood, api.state.impostor]) s.clear();
});

const targets = (over: Record<string, unknown> = {}): Targets =>
  targetsSchema.parse({ litellm: { baseUrl: base, masterKey: api.masterKey, timeoutMs: 2_000, healthTimeoutMs: 2_000, ...over } });
const verify = (t = targets()): Promise<Report> => runVerify({ stack: 'test', spec, targets: t, families: [litellmFamily as never], redactor: new Redactor(), select: () => true, active: false });
const messages = (r: Report, control: string) => r.results.filter((x) => x.control === control).map((x) => [x.status, x.message]);

describe('llm.litellm.server', () => {
  it('passes a live, ready proxy whose database is connected', async () => {
    expect(messages(await verify(), 'llm.litellm.server')).toEqual([
      ['pass', `LiteLLM at ${base} is alive: GET /health/liveliness answered 200.`],
      ['pass', `LiteLLM at ${base} is ready (healthy, database connected, version 1.77.3).`],
    ]);
    // The probes go out as a container probe sends them: liveliness without the key.
    expect(api.requests.filter((r) => r.path === '/health/liveliness').every((r) => !r.authorized)).toBe(true);
  });

  it('fails a proxy that is not ready (503), one that lost its database, and a 200 that is not LiteLLM', async () => {
    api.state.readinessStatus = 503;
    expect(messages(await verify(), 'llm.litellm.server')[1]).toEqual([
      'fail',
      `LiteLLM at ${base} is not ready: GET /health/readiness answered HTTP 503 (Service Unhealthy (Unable to connect to the Redis cache: Connection refused)).`,
    ]);
    api.state.readinessStatus = 200;
    api.state.db = 'disconnected';
    expect(messages(await verify(), 'llm.litellm.server')[1]).toEqual([
      'fail',
      `LiteLLM at ${base} has lost its database (GET /health/readiness: db "disconnected"): virtual keys, budgets and spend logs cannot be read or written.`,
    ]);
    api.state.db = 'connected';
    api.state.impostor.add('/health/readiness');
    expect(messages(await verify(), 'llm.litellm.server')[1]).toEqual([
      'fail',
      `LiteLLM at ${base} must report itself healthy on GET /health/readiness (found not LiteLLM's readiness JSON: <!doctype html><title>Welcome</title><h1>It works</h1>).`,
    ]);
  });

  it('a hung proxy is an error within the timeout and the other checks skip', async () => {
    api.state.hang.add('/health/liveliness');
    const r = await verify(targets({ timeoutMs: 300 }));
    const why = `litellm could not be reached: GET ${base}/health/liveliness failed: LiteLLM's /health/liveliness did not answer within 300 ms`;
    expect(r.results.map((x) => [x.control, x.status, x.message])).toEqual([
      ['llm.litellm.server', 'error', `${why}.`],
      ['llm.litellm.models', 'skip', `skipped: ${why}.`],
      ['llm.litellm.provider-keys', 'skip', `skipped: ${why}.`],
    ]);
  });

  it('a proxy that is down is an error naming the refused connection', async () => {
    const gone = await startLitellmApi();
    const url = gone.url;
    await gone.stop();
    const r = await verify(targets({ baseUrl: url }));
    expect(messages(r, 'llm.litellm.server')).toEqual([['error', expect.stringMatching(new RegExp(`^litellm could not be reached: GET ${url}/health/liveliness failed: fetch failed: connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+\\.$`))]]);
  });
});

describe('llm.litellm.models', () => {
  it('passes when every expected model is served and there are enough', async () => {
    expect(messages(await verify(), 'llm.litellm.models')).toEqual([['pass', `LiteLLM at ${base} serves 2 models, every expected one among them (gpt-4o, claude-sonnet).`]]);
  });

  it('fails a missing model, and too few models', async () => {
    api.state.deployments.splice(2, 1);
    expect(messages(await verify(), 'llm.litellm.models')).toEqual([
      ['fail', `LiteLLM at ${base} must serve every expected model (missing 1 model: claude-sonnet; serves gpt-4o).`],
      ['fail', `LiteLLM at ${base} must serve at least 2 models (found 1: gpt-4o).`],
    ]);
  });

  it('a wrong master key is an error naming the fix, and the key is not printed', async () => {
    const wrong = 'sk-not-the-master-key-0000';
    const r = await verify(targets({ masterKey: wrong }));
    const hash = createHash('sha256').update(wrong).digest('hex');
    const refused = (what: string) =>
      `LiteLLM refused the master key reading ${what} (HTTP 401: Authentication Error, Invalid proxy server token passed. Received API Key = sk-...0000, Key Hash (Token) =${hash}. Unable to find token in cache or \`LiteLLM_VerificationTokenTable\`): set targets litellm.masterKey to the proxy's LITELLM_MASTER_KEY`;
    expect(messages(r, 'llm.litellm.models')).toEqual([['error', `Could not read LiteLLM's models at ${base}: ${refused('the model list (/v1/models)')}.`]]);
    expect(messages(r, 'llm.litellm.provider-keys')).toEqual([['error', `Could not read LiteLLM's model health at ${base}: ${refused('the model health (/health)')}.`]]);
    expect(JSON.stringify(r)).not.toContain(wrong);
    expect(JSON.stringify(await verify())).not.toContain(api.masterKey);
  });

  it('a flooding model list is an error at the body cap, not a verdict', async () => {
    api.state.flood.add('/v1/models');
    expect(messages(await verify(), 'llm.litellm.models')).toEqual([
      ['error', `Could not read LiteLLM's models at ${base}: GET ${base}/v1/models failed: LiteLLM's /v1/models answered with a body larger than ${LITELLM_MAX_BODY_BYTES} bytes: prodcheck reads no further.`],
    ]);
  });
});

describe('llm.litellm.provider-keys', () => {
  it('passes when every endpoint is healthy', async () => {
    expect(messages(await verify(), 'llm.litellm.provider-keys')).toEqual([
      ['pass', `Every model endpoint LiteLLM at ${base} checked answered with its provider key (3 endpoints: openai/gpt-4o, azure/gpt-4o-eu, anthropic/claude-sonnet-4-5).`],
    ]);
  });

  it('fails an unhealthy endpoint, quoting the provider error without the key', async () => {
    const d = api.state.deployments[2];
    if (d) d.unhealthy = 'litellm.AuthenticationError: AnthropicException - {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}';
    expect(messages(await verify(), 'llm.litellm.provider-keys')).toEqual([
      [
        'fail',
        `LiteLLM at ${base} has 1 unhealthy endpoint of 3: anthropic/claude-sonnet-4-5 (litellm.AuthenticationError: AnthropicException - {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}). Check the provider key, quota and api_base of each.`,
      ],
    ]);
    // A provider that echoes the key it refused: prodcheck never had that key, so it is masked by its shape.
    if (d) d.unhealthy = 'AuthenticationError: OpenAIException - Incorrect API key provided: sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD.';
    const r = await verify();
    expect(messages(r, 'llm.litellm.provider-keys')[0]?.[1]).toContain('anthropic/claude-sonnet-4-5 (AuthenticationError: OpenAIException - Incorrect API key provided: sk-[REDACTED])');
    expect(JSON.stringify(r)).not.toContain('abcdefghijklmnopqrstuvwxyz0123456789ABCD');
  });

  it('skips before the background health checks have run', async () => {
    api.state.healthPending = true;
    expect(messages(await verify(), 'llm.litellm.provider-keys')).toEqual([
      ['skip', `LiteLLM at ${base} has no health results yet: its background health checks have not run (GET /health answered {}).`],
    ]);
  });

  it('a /health held up by a hanging provider is an error within healthTimeoutMs that says why', async () => {
    api.state.hang.add('/health');
    const r = await verify(targets({ healthTimeoutMs: 300 }));
    expect(messages(r, 'llm.litellm.provider-keys')).toEqual([
      [
        'error',
        `Could not read LiteLLM's model health at ${base}: GET ${base}/health did not answer within 300 ms: LiteLLM calls every model's provider before it answers, so a slow or hanging provider holds it up; raise targets litellm.healthTimeoutMs or turn on background_health_checks in the proxy's general_settings.`,
      ],
    ]);
    // The rest of the proxy answered: the other checks still judge.
    expect(messages(r, 'llm.litellm.models')[0]?.[0]).toBe('pass');
  });
});

describe('a hostile gateway', () => {
  it('a gateway flooding every path is an error at the body cap, never a pass', async () => {
    const hostile = await startHostileApi(() => ({ kind: 'flood' }));
    try {
      const r = await verify(targets({ baseUrl: hostile.url }));
      const why = `litellm could not be reached: GET ${hostile.url}/health/liveliness failed: LiteLLM's /health/liveliness answered with a body larger than ${LITELLM_MAX_BODY_BYTES} bytes: prodcheck reads no further`;
      expect(r.results.map((x) => [x.control, x.status, x.message])).toEqual([
        ['llm.litellm.server', 'error', `${why}.`],
        ['llm.litellm.models', 'skip', `skipped: ${why}.`],
        ['llm.litellm.provider-keys', 'skip', `skipped: ${why}.`],
      ]);
    } finally {
      await hostile.close();
    }
  });
});

describe('stages', () => {
  it('drift re-runs every LiteLLM check (V and D in the catalogue), stripe.payments-flowing is verify only', () => {
    expect(driftFamilies([litellmFamily as never]).flatMap((f) => f.checks.map((c) => c.id))).toEqual(['llm.litellm.server', 'llm.litellm.models', 'llm.litellm.provider-keys']);
    expect(isDriftCheck(llmLitellmRegistry as never)).toBe(true);
    expect(isDriftCheck(stripePaymentsFlowing as never)).toBe(false);
  });
});
