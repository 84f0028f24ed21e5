import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackSpecSchema, targetsSchema } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import { runVerify } from '../../../verify/runner.js';
import { vercelFamily } from '../../../verify/vercel/index.js';
import { startHostileApi, type HostileApi, type Hostility } from '../../helpers/hostile-api.js';

// A Vercel API that hangs, floods or fails outside its error shape: the whole target ends as an `error` that says what happened.
const TOKEN = 'vcp_plantedVercelToken0123456789abcdef';
let HOSTILITY: Hostility = { kind: 'hang' };
let api: HostileApi;
beforeAll(async () => {
  api = await startHostileApi(() => HOSTILITY);
});
afterAll(() => api.close());

const spec = stackSpecSchema.parse({ app: { name: 'chat', domain: 'chat.example.com', canonicalHost: 'none' }, vercel: { project: 'chat', team: 'example-org' } });

async function project(timeoutMs = 10_000): Promise<string> {
  const targets = targetsSchema.parse({ vercel: { token: TOKEN, teamId: 'team_chat', baseUrl: api.url, timeoutMs } });
  const report = await runVerify({ stack: 't', spec, targets, families: [vercelFamily as never], redactor: new Redactor(), select: () => true, active: false });
  const errors = [...new Set(report.results.filter((r) => r.status !== 'skip').map((r) => `${r.status}: ${r.message}`))];
  expect(errors).toHaveLength(1);
  return errors[0] ?? '';
}

const at = 'vercel could not be reached';

describe('the Vercel family under hostile answers', () => {
  it('stops reading a 300 MB body at the cap', async () => {
    HOSTILITY = { kind: 'flood' };
    expect(await project()).toBe(`error: ${at}: reading the project chat failed: the Vercel API answered with a body larger than 16777216 bytes: prodcheck reads no further.`);
  }, 60_000);

  it('ends a hanging API within vercel.timeoutMs', async () => {
    HOSTILITY = { kind: 'hang' };
    const before = api.requests.length;
    expect(await project(300)).toBe(`error: ${at}: could not reach the Vercel API reading the project chat: the Vercel API did not answer within 300 ms.`);
    expect(api.requests.length - before).toBe(1);
  }, 20_000);

  it('ends an answer that trickles forever within vercel.timeoutMs', async () => {
    HOSTILITY = { kind: 'trickle' };
    expect(await project(300)).toBe(`error: ${at}: could not reach the Vercel API reading the project chat: the Vercel API did not answer within 300 ms.`);
  }, 20_000);

  it('names the HTTP status and the text of an error page that is not Vercel JSON', async () => {
    HOSTILITY = { kind: 'status', status: 500, body: '<html><body>500 Internal Server Error</body></html>', contentType: 'text/html' };
    expect(await project()).toBe(`error: ${at}: the Vercel API answered HTTP 500 reading the project chat (<html><body>500 Internal Server Error</body></html>).`);
  });

  it('names an error object without a message by its JSON, never [object Object], and masks the token', async () => {
    HOSTILITY = { kind: 'status', status: 500, body: JSON.stringify({ error: { code: 'internal_error', token: TOKEN } }) };
    expect(await project()).toBe(`error: ${at}: the Vercel API answered HTTP 500 reading the project chat ({"code":"internal_error","token":"[REDACTED]"}).`);
  });

  it('retries a 429 with backoff for at most 5 s, then names the status and Vercel\'s message', async () => {
    HOSTILITY = { kind: 'status', status: 429, body: JSON.stringify({ error: { code: 'rate_limited', message: 'Rate limit exceeded' } }) };
    const before = api.requests.length;
    expect(await project()).toBe(`error: ${at}: the Vercel API answered HTTP 429 reading the project chat (Rate limit exceeded).`);
    expect(api.requests.length - before).toBeGreaterThan(1);
  }, 30_000);
});
