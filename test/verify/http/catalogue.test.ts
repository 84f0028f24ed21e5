import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppFault } from '../../../sandbox/app/faults.js';
import { startSampleApp, type SampleApp } from '../../../sandbox/app/server.js';
import { sampleAppTargets } from '../../../sandbox/http/index.js';
import { parseStackConfig, targetsSchema } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import { httpApiModels, httpRateLimitPerIdentity } from '../../../verify/http/index.js';
import { httpCollector } from '../../../verify/http/collect.js';
import { readCatalogue } from '../../../verify/http/probe-models.js';
import type { HttpSnapshot } from '../../../verify/http/snapshot.js';
import { err, healthy, ok } from './fixture.js';
import { httpStack } from './stack.js';

const MODELS = { path: '/api/models', minCount: 120, maxCount: 150, required: ['openai/gpt-4o', 'anthropic/claude-sonnet-4'] };
const TIERED = [{ path: '/api/chat', method: 'POST', windowSeconds: 60, tiers: { free: 3, pro: 8 } }];
const SPEC = httpStack({ models: MODELS, tieredRateLimits: TIERED });

const judge = (check: typeof httpApiModels, part: Partial<HttpSnapshot>, spec = SPEC) => check.evaluate({ ...healthy(), ...part }, spec).map((f) => [f.status, f.message]);
const catalogue = (ids: string[], extra: object = {}) => ({ path: '/api/models', response: ok({ status: 200, count: ids.length, ids, ...extra }) });
const filler = (n: number) => Array.from({ length: n }, (_, i) => `m-${i}`);

describe('http.api.models', () => {
  it('passes a catalogue within the band that has every required id', () => {
    expect(judge(httpApiModels, { models: catalogue([...MODELS.required, ...filler(133)]) })).toEqual([
      ['pass', 'GET /api/models lists 135 models (expected between 120 and 150), every required id among them (openai/gpt-4o and anthropic/claude-sonnet-4).'],
    ]);
  });

  it('fails a catalogue below the band and one missing a required id', () => {
    expect(judge(httpApiModels, { models: catalogue(['openai/gpt-4o', 'x']) })).toEqual([
      ['fail', 'GET /api/models must list between 120 and 150 models, openai/gpt-4o and anthropic/claude-sonnet-4 among them (found 2 models, missing anthropic/claude-sonnet-4).'],
    ]);
    expect(judge(httpApiModels, { models: catalogue(['openai/gpt-4o', ...filler(130)]) })).toEqual([
      ['fail', 'GET /api/models must list between 120 and 150 models, openai/gpt-4o and anthropic/claude-sonnet-4 among them (found 131 models, missing anthropic/claude-sonnet-4).'],
    ]);
  });

  it('fails a non-200 answer and a body without the list; errors when nothing answered; skips without a spec', () => {
    expect(judge(httpApiModels, { models: { path: '/api/models', response: ok({ status: 503, ids: [], problem: 'the body is not JSON' }) } })).toEqual([
      ['fail', 'GET /api/models must answer 200 with the model catalogue (found 503).'],
    ]);
    expect(judge(httpApiModels, { models: { path: '/api/models', response: ok({ status: 200, ids: [], problem: 'the body has no "models" array' }) } })).toEqual([
      ['fail', 'GET /api/models must list the models under "models" (found: the body has no "models" array).'],
    ]);
    expect(judge(httpApiModels, { models: { path: '/api/models', response: err('GET https://shop.example.com/api/models did not answer within 5000 ms') } })).toEqual([
      ['error', 'Could not GET /api/models: GET https://shop.example.com/api/models did not answer within 5000 ms.'],
    ]);
    expect(judge(httpApiModels, {}, httpStack())).toEqual([['skip', 'No model catalogue to check (spec http.models is not set).']]);
  });

  it('reads ids from strings and objects, and says why a body is not a catalogue', () => {
    expect(readCatalogue('{"data":[{"id":"a"},"b",{"name":"c"},7]}', 'data')).toEqual({ count: 4, ids: ['a', 'b'] });
    expect(readCatalogue('<html>', 'models')).toEqual({ ids: [], problem: 'the body is not JSON' });
    expect(readCatalogue('[1,2]', 'models')).toEqual({ ids: [], problem: 'the body has no "models" array' });
  });
});

const burst = (tier: string, limit: number, statuses: number[], limited = statuses.includes(429)) => ({
  method: 'POST',
  path: '/api/chat',
  tier,
  limit,
  response: ok({ sent: statuses.length, statuses, ...(limited ? { limited: { after: statuses.indexOf(429) + 1, headers: { 'retry-after': '60' } } } : {}) }),
});

describe('http.rate-limit.per-identity', () => {
  it('passes when each tier gets its own limit, then a 429', () => {
    expect(judge(httpRateLimitPerIdentity, { tierLimits: [burst('free', 3, [200, 200, 200, 429]), burst('pro', 8, [...Array(8).fill(200), 429])] })).toEqual([
      ['pass', 'POST /api/chat allows the free tier 3 requests and then answers 429 (limit 3).'],
      ['pass', 'POST /api/chat allows the pro tier 8 requests and then answers 429 (limit 8).'],
    ]);
  });

  it('fails a higher tier held to a shared counter, and a tier never limited', () => {
    expect(judge(httpRateLimitPerIdentity, { tierLimits: [burst('free', 3, [200, 200, 200, 429]), burst('pro', 8, [429, 429, 429, 429])] })[1]).toEqual([
      'fail',
      'POST /api/chat must allow the pro tier 8 requests (it answered 429 after 0: a 429 at once, from a counter another tier (or an earlier run within the window) had spent).',
    ]);
    expect(judge(httpRateLimitPerIdentity, { tierLimits: [burst('pro', 8, [200, 200, 200, 429, 429])] })).toEqual([['fail', 'POST /api/chat must allow the pro tier 8 requests (it answered 429 after 3).']]);
    expect(judge(httpRateLimitPerIdentity, { tierLimits: [burst('free', 3, [200, 200, 200, 200])] })).toEqual([['fail', 'POST /api/chat must stop the free tier after 3 requests (found 4 × 200 for 4).']]);
  });

  it('errors when the test identity is refused or missing; skips without --active or a spec', () => {
    expect(judge(httpRateLimitPerIdentity, { tierLimits: [burst('free', 3, [401, 401, 401, 401])] })).toEqual([
      ['error', "Could not test the free tier's limit on POST /api/chat: its test identity (targets http.identities.free) was refused with 401."],
    ]);
    expect(
      judge(httpRateLimitPerIdentity, {
        tierLimits: [{ method: 'POST', path: '/api/chat', tier: 'pro', limit: 8, response: err('the targets file has no http.identities.pro (headers of a pro-tier test identity)') }],
      }),
    ).toEqual([['error', 'Could not finish the pro-tier burst on POST /api/chat: the targets file has no http.identities.pro (headers of a pro-tier test identity).']]);
    expect(judge(httpRateLimitPerIdentity, { tierLimits: undefined })).toEqual([['skip', 'The bursts act on the live system: they run only with --active.']]);
    expect(judge(httpRateLimitPerIdentity, {}, httpStack())).toEqual([['skip', 'No per-tier rate limits to test (spec http.tieredRateLimits is empty).']]);
  });
});

describe('spec http.models and http.tieredRateLimits', () => {
  const problems = (http: object) => {
    try {
      parseStackConfig({ 'prodcheck:app': { name: 'shop', domain: 'shop.example.com' }, 'prodcheck:http': http }, 'Pulumi.test.yaml');
      return [];
    } catch (e) {
      return (e as { problems: { path: string; message: string }[] }).problems.map((p) => `${p.path}: ${p.message}`);
    }
  };

  it('names the path of each mistake', () => {
    expect(problems({ tieredRateLimits: [{ path: '/api/x', windowSeconds: 60, tiers: { free: 5, Pro: 9 } }] })).toEqual([
      'prodcheck:http.tieredRateLimits[0].tiers.Pro: must be a tier name in lower case (free, pro, tenant-a)',
    ]);
    expect(problems({ models: { minCount: 10, maxCount: 5 }, tieredRateLimits: [{ path: '/api/chat', windowSeconds: 60, tiers: { free: 5 } }, { path: '/api/x', windowSeconds: 60, tiers: { free: 5, pro: 5 } }] })).toEqual([
      'prodcheck:http.models.minCount: is 10, above maxCount 5',
      'prodcheck:http.tieredRateLimits[0].tiers: must name at least two tiers (e.g. free: 20, pro: 100): one tier has nothing to differ from',
      'prodcheck:http.tieredRateLimits[1].tiers: gives every tier the same limit (5): use http.rateLimits for a single limit',
    ]);
  });
});

describe('against the sample app (--active)', () => {
  let app: SampleApp;
  let dir: string;
  let caFile: string;

  beforeAll(async () => {
    app = await startSampleApp({ spec: SPEC });
    dir = await mkdtemp(join(tmpdir(), 'prodcheck-catalogue-'));
    caFile = join(dir, 'ca.crt');
    await writeFile(caFile, app.caCert);
  });

  afterAll(async () => {
    await app?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function run(faults: AppFault[], identities: 'real' | 'none' | 'wrong' = 'real') {
    await app.setFaults(faults);
    const { identities: _sandbox, ...http } = sampleAppTargets(app, caFile);
    const headers = (tier: string, key: string) => ({ headers: { Authorization: `Bearer ${identities === 'wrong' ? `${key}-revoked` : key}` } });
    const ids = identities === 'none' ? {} : { identities: Object.fromEntries(Object.entries(app.identities).map(([t, k]) => [t, headers(t, k)])) };
    const targets = targetsSchema.parse({ http: { ...http, ...ids } });
    const redactor = new Redactor();
    const snapshot = await httpCollector.collect({ spec: SPEC, targets, active: true, redactor, signal: new AbortController().signal });
    const of = (c: typeof httpApiModels) => c.evaluate(snapshot, SPEC).map((f) => [f.status, redactor.redact(f.message)]);
    return { models: of(httpApiModels), tiers: of(httpRateLimitPerIdentity), snapshot };
  }

  it('passes a healthy app, without ever showing a test identity', async () => {
    const r = await run([]);
    expect(r.models).toEqual([['pass', 'GET /api/models lists 135 models (expected between 120 and 150), every required id among them (openai/gpt-4o and anthropic/claude-sonnet-4).']]);
    expect(r.tiers).toEqual([
      ['pass', 'POST /api/chat allows the free tier 3 requests and then answers 429 (limit 3).'],
      ['pass', 'POST /api/chat allows the pro tier 8 requests and then answers 429 (limit 8).'],
    ]);
    expect(JSON.stringify(r.snapshot)).not.toContain(app.identities.pro);
  });

  it('fails the planted faults: a missing id, one counter shared by both tiers', async () => {
    const r = await run(['models-missing-id', 'shared-tier-limit']);
    expect(r.models).toEqual([['fail', 'GET /api/models must list between 120 and 150 models, openai/gpt-4o and anthropic/claude-sonnet-4 among them (found 134 models, missing openai/gpt-4o).']]);
    expect(r.tiers).toEqual([
      ['pass', 'POST /api/chat allows the free tier 3 requests and then answers 429 (limit 3).'],
      ['fail', 'POST /api/chat must allow the pro tier 8 requests (it answered 429 after 0: a 429 at once, from a counter another tier (or an earlier run within the window) had spent).'],
    ]);
  });

  it('errors for a tier without a test identity, and for one the app refuses', async () => {
    expect((await run([], 'none')).tiers).toEqual([
      ['error', 'Could not finish the free-tier burst on POST /api/chat: the targets file has no http.identities.free (headers of a free-tier test identity).'],
      ['error', 'Could not finish the pro-tier burst on POST /api/chat: the targets file has no http.identities.pro (headers of a pro-tier test identity).'],
    ]);
    expect((await run([], 'wrong')).tiers).toEqual([
      ['error', "Could not test the free tier's limit on POST /api/chat: its test identity (targets http.identities.free) was refused with 401."],
      ['error', "Could not test the pro tier's limit on POST /api/chat: its test identity (targets http.identities.pro) was refused with 401."],
    ]);
  });
});
