import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StackSpec, Targets } from '../../../spec/index.js';
import { stackSpecSchema, targetsSchema } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import type { Report } from '../../../report/types.js';
import { runVerify } from '../../../verify/runner.js';
import { vercelFamily } from '../../../verify/vercel/index.js';
import { startVercelApi, type VercelApiServer } from '../../fixtures/vercel-api/index.js';

const spec: StackSpec = stackSpecSchema.parse({
  app: { name: 'chat', domain: 'chat.example.com', canonicalHost: 'none' },
  vercel: { project: 'chat', logs: { markers: ['Model discovery complete', 'KV configured'], ignore: ['ECONNRESET from analytics'] } },
});

let api: VercelApiServer;
let live: string;
let createdAt: number;
beforeAll(async () => {
  api = await startVercelApi({ project: { name: 'chat' } });
});
afterAll(() => api.stop());

beforeEach(() => {
  api.state.deployments = [];
  api.state.runtimeLogs.clear();
  api.allow('runtime-logs');
  api.addDeployment();
  const d = api.addDeployment();
  live = d.uid;
  createdAt = d.createdAt;
  api.addLog({ level: 'info', message: 'Vercel KV configured (upstash)', timestampInMs: createdAt + 1_000 });
  api.addLog({ level: 'info', message: '[models] Model discovery complete: 135 models', timestampInMs: createdAt + 2_000, requestPath: '/api/models' });
  api.addLog({ level: 'warning', message: 'slow query 1.2 s', timestampInMs: createdAt + 3_000 });
});

const targets = (over: Record<string, unknown> = {}): Targets => targetsSchema.parse({ vercel: { token: api.token, baseUrl: api.url, timeoutMs: 5_000, logsReadMs: 2_000, ...over } });
const verify = (t = targets(), redactor = new Redactor()): Promise<Report> => runVerify({ stack: 'test', spec, targets: t, families: [vercelFamily as never], redactor, select: (id) => id.startsWith('vercel.logs'), active: false });
const messages = (r: Report) => r.results.filter((x) => x.control.startsWith('vercel.logs')).map((x) => [x.control, x.status, x.message]);
const whole = () => `the 3 runtime log lines of ${live} (the whole stream)`;

describe('vercel.logs.*: the live production deployment\'s runtime logs', () => {
  it('passes when every marker appears and no error-level line was logged', async () => {
    expect(messages(await verify())).toEqual([
      ['vercel.logs.no-errors', 'pass', `0 error-level lines in the first 60 min (at most 0) in ${whole()}.`],
      ['vercel.logs.marker', 'pass', `"Model discovery complete" appears in ${whole()}.`],
      ['vercel.logs.marker', 'pass', `"KV configured" appears in ${whole()}.`],
    ]);
  });

  it('fails an error in the window and a missing marker; ignores listed noise, errors after the window and older deployments', async () => {
    api.state.runtimeLogs.set(live, (api.state.runtimeLogs.get(live) ?? []).filter((l) => !l.message.includes('KV')));
    api.addLog({ level: 'warning', message: 'ECONNRESET from analytics (ignored by level anyway)', timestampInMs: createdAt + 4_000 });
    api.addLog({ level: 'error', message: 'ECONNRESET from analytics', timestampInMs: createdAt + 5_000 });
    api.addLog({ level: 'error', message: 'TypeError: Cannot read properties of undefined', timestampInMs: createdAt + 6_000, requestPath: '/api/chat' });
    api.addLog({ level: 'fatal', message: 'late crash', timestampInMs: createdAt + 61 * 60_000 });
    api.addLog({ level: 'error', message: 'old deployment error', timestampInMs: createdAt }, api.state.deployments[1]?.uid);
    const scope = `the 6 runtime log lines of ${live} (the whole stream)`;
    expect(messages(await verify())).toEqual([
      ['vercel.logs.no-errors', 'fail', `1 error-level line in the first 60 min, more than 0, in ${scope}. First: "TypeError: Cannot read properties of undefined" on /api/chat.`],
      ['vercel.logs.marker', 'pass', `"Model discovery complete" appears in ${scope}.`],
      ['vercel.logs.marker', 'fail', `"KV configured" appears nowhere in ${scope}: the step that logs it did not run, or logs something else.`],
    ]);
  });

  it('never prints a registered secret a log line carries', async () => {
    api.addLog({ level: 'error', message: 'auth failed for token sk_live_51SECRETSECRETSECRET', timestampInMs: createdAt + 1_500 });
    const r = await verify(targets(), new Redactor().add('sk_live_51SECRETSECRETSECRET'));
    expect(JSON.stringify(r)).not.toContain('sk_live_51SECRETSECRETSECRET');
    // A key nobody registered, in a line the app logged (and a token in the request's query string).
    const gh = `ghp_${'Z9y8X7w6V5'.repeat(4)}`;
    api.state.runtimeLogs.set(live, []);
    api.addLog({ level: 'error', message: `push failed with ${gh}`, timestampInMs: createdAt + 1_000, requestPath: '/api/hook?token=opaque-query-token-123' });
    const again = JSON.stringify(await verify());
    expect(again).toContain('First: \\"push failed with [REDACTED]\\" on /api/hook.');
    expect(again).not.toContain(gh);
    expect(again).not.toContain('opaque-query-token-123');
    expect(messages(r)[0]?.[1]).toBe('fail');
  });

  it('a refused log read is an error for both, never a pass', async () => {
    api.refuse('runtime-logs', 403);
    const r = await verify();
    expect(messages(r).map(([c, s]) => [c, s])).toEqual([
      ['vercel.logs.no-errors', 'error'],
      ['vercel.logs.marker', 'error'],
    ]);
    expect(messages(r)[0]?.[2]).toBe(`Could not read the production deployment's runtime logs: the Vercel API answered HTTP 403 reading the runtime logs of ${live}: the token may not read runtime logs of this project.`);
  });

  it('a stream the API keeps open is read for vercel.logsReadMs and says so; a flood past the cap is an error', async () => {
    const open = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/stream+json' });
      res.write(`${JSON.stringify({ level: 'info', message: 'Model discovery complete', rowId: 'r1', source: 'serverless', timestampInMs: Date.now(), domain: 'x', messageTruncated: false, requestMethod: 'GET', requestPath: '/', responseStatusCode: 200 })}\n`);
    });
    const flood = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/stream+json' });
      const line = `${JSON.stringify({ level: 'info', message: 'x'.repeat(900), rowId: 'r', source: 'serverless', timestampInMs: 1, domain: 'x', messageTruncated: false, requestMethod: 'GET', requestPath: '/', responseStatusCode: 200 })}\n`.repeat(100);
      const pump = () => {
        while (!res.destroyed && res.write(line));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    await Promise.all([open, flood].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
    const via = (s: typeof open) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    try {
      const { readRuntimeLogs } = await import('../../../verify/vercel/logs.js');
      const target = targets({ baseUrl: via(open), logsReadMs: 600 }).vercel!;
      const kept = await readRuntimeLogs(target, {}, 'prj', { uid: 'dpl_open', createdAt: 0 }, new Redactor(), new AbortController().signal);
      expect(kept).toMatchObject({ until: 'window', readMs: 600, lines: [{ message: 'Model discovery complete' }] });
      const big = readRuntimeLogs(targets({ baseUrl: via(flood), logsReadMs: 30_000 }).vercel!, {}, 'prj', { uid: 'dpl_flood', createdAt: 0 }, new Redactor(), new AbortController().signal);
      await expect(big).rejects.toThrow('the runtime logs of dpl_flood run past 8388608 bytes: prodcheck reads no further, so it cannot judge them all');
    } finally {
      for (const s of [open, flood]) {
        s.closeAllConnections();
        s.close();
      }
    }
  });
});
