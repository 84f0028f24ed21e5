import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpSandbox } from '../../../sandbox/http/index.js';
import { createTlsFiles, type TlsFiles } from '../../../sandbox/services/tls.js';
import type { SandboxContext } from '../../../sandbox/types.js';
import { UsageError, loadStackFile, targetsSchema, type StackSpec } from '../../../spec/index.js';
import { httpFamily } from '../../../verify/http/index.js';
import { Redactor } from '../../../report/redact.js';
import { runVerify } from '../../../verify/runner.js';
import { httpStack } from './stack.js';

const SPEC = httpStack({
  models: { path: '/api/models', minCount: 120, maxCount: 150, required: ['openai/gpt-4o'] },
  tieredRateLimits: [{ path: '/api/chat', method: 'POST', windowSeconds: 60, tiers: { free: 3, pro: 8 } }],
});
let dir: string;
let tls: TlsFiles;
let ctx: SandboxContext;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prodcheck-http-sandbox-'));
  tls = await createTlsFiles({ tmpRoot: dir });
  ctx = { tmpDir: dir, tls, outputs: { 'stripe.webhookSecret': 'whsec_fromTheStripeFamily0123456789' }, log: () => undefined };
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Starts the family with `breaks`, verifies it as the sandbox does (--active), and stops it. */
async function sandboxRun(breaks: string[], spec: StackSpec = SPEC) {
  const running = await httpSandbox.start(spec, ctx, new Set(breaks));
  try {
    const redactor = new Redactor().add(...running.secrets);
    const targets = targetsSchema.parse(running.targets);
    const report = await runVerify({ stack: 'sandbox', spec, targets, families: [httpFamily as never], redactor, select: () => true, active: true });
    return { report, running, failing: [...new Set(report.results.filter((r) => r.status === 'fail').map((r) => r.control))] };
  } finally {
    await running.stop();
  }
}

describe('http sandbox family', () => {
  it('runs a sample app that passes every http check, signing the webhook with the Stripe family’s secret', async () => {
    const { report, running } = await sandboxRun([]);
    expect(report.results.filter((r) => r.status !== 'pass').map((r) => `${r.control} ${r.status}: ${r.message}`)).toEqual([]);
    expect(running.targets.http?.webhookSecret).toBe('whsec_fromTheStripeFamily0123456789');
    expect(running.secrets).toContain('whsec_fromTheStripeFamily0123456789');
  });

  // The perf family judges the perf.* breaks (test/verify/perf/sandbox.test.ts).
  it.each(httpSandbox.breakable.filter((c) => !c.startsWith('perf.')))('--break %s makes exactly that control fail', async (control) => {
    const { failing } = await sandboxRun([control]);
    expect(failing).toEqual([control]);
  });

  it('refuses a break the stack leaves nothing to plant for', async () => {
    const prod = loadStackFile(join(import.meta.dirname, '../../../Pulumi.prod.yaml')).spec;
    await expect(httpSandbox.start(prod, ctx, new Set(['http.www-redirect']))).rejects.toThrow(
      new UsageError('--break http.www-redirect: http.www-redirect: cannot plant a fault: app.canonicalHost is none: there is no www host'),
    );
  });

  it('breaks / itself when it is the only page, without taking other checks down', async () => {
    const { report, failing } = await sandboxRun(['http.site-reachable'], httpStack({ pages: ['/'] }));
    expect(failing).toEqual(['http.site-reachable']);
    expect(report.results.find((r) => r.control === 'http.site-reachable')?.message).toBe('GET / must answer 200 with text/html (found 200 text/plain).');
  });

  it('plants the deeper faults: an off-host redirect, a reflected look-alike origin, a forged session, cached HTML, a hidden chunk', async () => {
    const breaks = ['http.https-redirect', 'http.cors', 'http.auth-protected-routes', 'http.cdn-caching', 'http.client-bundle-secrets'];
    const { report, failing } = await sandboxRun(breaks);
    expect(failing.sort()).toEqual([...breaks].sort());
    const messages = report.results.filter((r) => r.status === 'fail').map((r) => r.message);
    expect(messages).toContain('http://shop.example.com/ must redirect to https:// on shop.example.com, not to another host (found 308 to https://shop.example.net/).');
    expect(messages).toContain(
      'A credentialed GET to /api/models from https://shop.example.com.evil.net (look-alike suffix of https://shop.example.com) must get no Access-Control-Allow-Origin (found https://shop.example.com.evil.net, its origin reflected with credentials).',
    );
    expect(messages).toContain('GET /dashboard with a forged session cookie __Host-session must answer 401 or redirect to sign-in (found 200).');
    expect(messages).toContain('GET /pricing (HTML) must not be cached at the edge for more than 600 s or as immutable (found Cache-Control: public, max-age=31536000, immutable).');
    expect(messages.some((m) => /^Client code must contain no secrets \(found a Stripe live secret key at \/_next\/static\/chunks\/billing-/.test(m))).toBe(true);
  });
});
