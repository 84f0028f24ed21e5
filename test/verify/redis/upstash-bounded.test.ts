import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStackConfig, targetsSchema } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import { redisFamily } from '../../../verify/redis/index.js';
import { runVerify } from '../../../verify/runner.js';
import type { TargetFamily } from '../../../verify/types.js';
import { startHostileApi, type HostileApi } from '../../helpers/hostile-api.js';

// An Upstash REST API that hangs, floods or fails: each ends as an `error` that says what happened.
const TOKEN = 'AXplantedUpstashToken0123456789abcdef';
let api: HostileApi;
beforeAll(async () => {
  api = await startHostileApi((req) => {
    const route = new URL(req.url ?? '/', 'http://x').pathname;
    if (route.startsWith('/hang')) return { kind: 'hang' };
    if (route.startsWith('/trickle')) return { kind: 'trickle' };
    if (route.startsWith('/flood')) return { kind: 'flood' };
    if (route.startsWith('/e500')) return { kind: 'status', status: 500, body: JSON.stringify({ error: { message: `internal failure for token ${TOKEN}` } }) };
    if (route.startsWith('/e429')) return { kind: 'status', status: 429, body: 'Too many requests: daily limit of 10000 commands exceeded', contentType: 'text/plain' };
    if (route.startsWith('/e200')) return { kind: 'status', status: 200, body: JSON.stringify({ error: { code: 'ERR', detail: 'odd' } }) };
    return { kind: 'status', status: 404, body: '' };
  });
});
afterAll(() => api.close());

const SPEC = parseStackConfig(
  { 'prodcheck:app': { name: 'shop', domain: 'shop.example.com' }, 'prodcheck:redis': { provider: 'upstash', tls: false, maxmemoryMb: 16, keys: [] } },
  'inline',
).spec;

const at = () => `redis could not be reached: ${api.url}`;

async function connectivity(path: string, timeoutMs = 10_000): Promise<string> {
  const targets = targetsSchema.parse({ redis: { upstash: { url: `${api.url}${path}`, token: TOKEN }, timeoutMs } });
  const report = await runVerify({ stack: 't', spec: SPEC, targets, families: [redisFamily as TargetFamily<unknown>], redactor: new Redactor(), select: () => true, active: false });
  const r = report.results.find((x) => x.control === 'redis.connectivity');
  return `${r?.status}: ${r?.message}`;
}

describe('the Upstash REST client under hostile answers', () => {
  it('stops reading a 300 MB body at the cap, as an error naming the cap', async () => {
    expect(await connectivity('/flood')).toBe(
      `error: ${at()}: the Upstash REST API answered with a body larger than 16777216 bytes: prodcheck reads no further.`,
    );
  }, 60_000);

  it('ends a hanging API within redis.timeoutMs', async () => {
    const before = api.requests.length;
    expect(await connectivity('/hang', 300)).toBe(`error: ${at()}: the Upstash REST API did not answer within 300 ms.`);
    // No retry: one request, the PING.
    expect(api.requests.length - before).toBe(1);
  }, 20_000);

  it('ends an answer that trickles forever within redis.timeoutMs', async () => {
    expect(await connectivity('/trickle', 300)).toBe(`error: ${at()}: the Upstash REST API did not answer within 300 ms.`);
  }, 20_000);

  it('names the HTTP status and Upstash\'s error text of a 500, never [object Object], and masks the token', async () => {
    const text = await connectivity('/e500');
    expect(text).toBe(`error: ${at()}: internal failure for token [REDACTED] (HTTP 500).`);
    expect(text).not.toContain('[object Object]');
    expect(text).not.toContain(TOKEN);
  });

  it('names the HTTP status and the text of a 429 that is not JSON', async () => {
    expect(await connectivity('/e429')).toBe(`error: ${at()}: Too many requests: daily limit of 10000 commands exceeded (HTTP 429).`);
  });

  it('gives an error object in a 200 answer as its JSON, not [object Object]', async () => {
    expect(await connectivity('/e200')).toBe(`error: ${at()}: {"code":"ERR","detail":"odd"}.`);
  });
});
