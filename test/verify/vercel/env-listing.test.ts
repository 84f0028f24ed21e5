import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stackSpecSchema, targetsSchema } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import { RunMemo } from '../../../verify/memo.js';
import type { CollectContext } from '../../../verify/types.js';
import { vercelCollector } from '../../../verify/vercel/index.js';
import { readProductionVar, readProductionVars } from '../../../verify/vercel/production-env.js';
import { startVercelApi, type VercelApiServer } from '../../fixtures/vercel-api/index.js';

const spec = stackSpecSchema.parse({ app: { name: 'chat', domain: 'chat.example.com', canonicalHost: 'none' }, vercel: { project: 'chat' } });
let api: VercelApiServer;

beforeAll(async () => {
  api = await startVercelApi({ project: { name: 'chat' } });
});
afterAll(async () => {
  await api?.stop();
});
beforeEach(() => {
  api.state.envs = [];
  api.addEnv('SENTRY_DSN', 'https://public@o1.ingest.sentry.io/2', { type: 'plain' });
  api.addEnv('RESEND_FROM_EMAIL', 'Chat <noreply@mail.chat.example.com>', { type: 'encrypted' });
  api.requests.length = 0;
});

const listings = () => api.requests.filter((r) => /^\/v10\/projects\/[^/]+\/env(\?|$)/.test(r)).length;

function context(memo: RunMemo | undefined, signal = new AbortController().signal): CollectContext {
  const targets = targetsSchema.parse({ vercel: { token: api.token, baseUrl: api.url, timeoutMs: 5_000 } });
  return { spec, targets, active: false, redactor: new Redactor(), signal, ...(memo ? { memo } : {}) };
}

describe("the Vercel project's env listing", () => {
  it('is read once per run by every family that reads production vars, and the values are the same', async () => {
    const memo = new RunMemo();
    const ctx = context(memo);
    const [snapshot, dsn, from, both] = await Promise.all([
      vercelCollector.collect(ctx),
      readProductionVar('SENTRY_DSN', ctx),
      readProductionVar('RESEND_FROM_EMAIL', ctx),
      readProductionVars(() => ['SENTRY_DSN', 'STRIPE_WEBHOOK_SECRET'], ctx),
    ]);
    expect(listings()).toBe(1);
    expect(snapshot.project).not.toBeNull();
    expect(dsn).toMatchObject({ kind: 'value', value: 'https://public@o1.ingest.sentry.io/2' });
    expect(from).toMatchObject({ kind: 'value', value: 'Chat <noreply@mail.chat.example.com>' });
    expect(both?.get('STRIPE_WEBHOOK_SECRET')).toEqual({ kind: 'absent' });
  });

  it('is read by each caller without a run to share it (a collector called on its own)', async () => {
    await Promise.all([readProductionVar('SENTRY_DSN', context(undefined)), readProductionVar('SENTRY_DSN', context(undefined))]);
    expect(listings()).toBe(2);
  });

  it('is read again by a family whose own budget is left when the first reader gave up', async () => {
    const memo = new RunMemo();
    const gaveUp = new AbortController();
    gaveUp.abort(new Error('the sentry target ran out of time'));
    const first = readProductionVar('SENTRY_DSN', context(memo, gaveUp.signal));
    const second = readProductionVar('SENTRY_DSN', context(memo));
    await expect(first).rejects.toThrow();
    await expect(second).resolves.toMatchObject({ kind: 'value', value: 'https://public@o1.ingest.sentry.io/2' });
  });
});

describe('RunMemo', () => {
  it('shares a load, never a failed one', async () => {
    const memo = new RunMemo();
    let loads = 0;
    const ok = () => Promise.resolve(++loads);
    expect(await Promise.all([memo.once('a', ok), memo.once('a', ok)])).toEqual([1, 1]);
    const failing = () => {
      loads++;
      return Promise.reject(new Error('HTTP 500'));
    };
    await expect(memo.once('b', failing)).rejects.toThrow('HTTP 500');
    expect(await memo.once('b', ok)).toBe(3);
    expect(await memo.once('b', ok)).toBe(3);
  });
});
