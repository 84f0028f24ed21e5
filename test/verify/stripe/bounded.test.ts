import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targetsSchema } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import { runVerify } from '../../../verify/runner.js';
import { stripeFamily } from '../../../verify/stripe/index.js';
import type { TargetFamily } from '../../../verify/types.js';
import { startHostileApi, type HostileApi, type Hostility } from '../../helpers/hostile-api.js';
import { stripeStack } from './fixture.js';

// A Stripe API that hangs, floods or fails outside Stripe's error shape: each ends as an `error` that says what happened.
const KEY = 'rk_live_plantedRestrictedKey0123456789abcdef';
let api: HostileApi;
beforeAll(async () => {
  api = await startHostileApi(() => HOSTILITY);
});
afterAll(() => api.close());

/** What the API does with the next requests; the tests in this file run one after another. */
let HOSTILITY: Hostility = { kind: 'hang' };

async function account(timeoutMs = 10_000): Promise<string> {
  const targets = targetsSchema.parse({ stripe: { apiKey: KEY, baseUrl: api.url, timeoutMs } });
  const report = await runVerify({ stack: 't', spec: stripeStack(), targets, families: [stripeFamily as TargetFamily<unknown>], redactor: new Redactor(), select: () => true, active: false });
  const r = report.results.find((x) => x.control === 'stripe.account.live');
  return `${r?.status}: ${r?.message}`;
}

const at = () => `stripe could not be reached: ${api.url}`;

describe('the Stripe client under hostile answers', () => {
  it('stops reading a 300 MB body at the cap, as an error naming the cap, without retrying', async () => {
    HOSTILITY = { kind: 'flood' };
    const before = api.requests.length;
    expect(await account()).toBe(`error: ${at()}: reading the account failed (the Stripe API answered with a body larger than 16777216 bytes: prodcheck reads no further).`);
    expect(api.requests.length - before).toBe(1);
  }, 60_000);

  it('refuses a declared 300 MB body before reading it', async () => {
    HOSTILITY = { kind: 'flood', contentLength: true };
    expect(await account()).toBe(`error: ${at()}: reading the account failed (the Stripe API answered with a body larger than 16777216 bytes: prodcheck reads no further).`);
  }, 60_000);

  it('ends a hanging API within stripe.timeoutMs, without retrying', async () => {
    HOSTILITY = { kind: 'hang' };
    const before = api.requests.length;
    expect(await account(300)).toBe(`error: ${at()}: reading the account failed (StripeConnectionError: Request aborted due to timeout being reached (300ms)).`);
    expect(api.requests.length - before).toBe(1);
  }, 20_000);

  it('ends an answer that trickles forever within stripe.timeoutMs', async () => {
    HOSTILITY = { kind: 'trickle' };
    expect(await account(300)).toBe(`error: ${at()}: reading the account failed (StripeConnectionError: Request aborted due to timeout being reached (300ms)).`);
  }, 20_000);

  it('names the HTTP status and the text of an error page that is not Stripe JSON', async () => {
    HOSTILITY = { kind: 'status', status: 502, body: '<html><body>502 Bad Gateway</body></html>', contentType: 'text/html' };
    expect(await account()).toBe(`error: ${at()}: reading the account failed (502 StripeAPIError: <html><body>502 Bad Gateway</body></html>).`);
  });

  it('names an error object without a message by its JSON, never [object Object], and masks the key', async () => {
    HOSTILITY = { kind: 'status', status: 500, body: JSON.stringify({ error: { code: 'internal', key: KEY } }) };
    const text = await account();
    expect(text).toBe(`error: ${at()}: reading the account failed (500 StripeAPIError: {"code":"internal","key":"[REDACTED]"}).`);
  });
});
