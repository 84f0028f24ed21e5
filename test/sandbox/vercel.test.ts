import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { stripeSandbox } from '../../sandbox/stripe/index.js';
import { vercelSandbox } from '../../sandbox/vercel/index.js';
import { Redactor } from '../../report/redact.js';
import { loadStackFile, targetsSchema } from '../../spec/index.js';
import { runVerify } from '../../verify/runner.js';
import { stripeFamily } from '../../verify/stripe/index.js';
import { vercelFamily } from '../../verify/vercel/index.js';
import { failing, notPassing, startAndVerify, useSandboxContext } from './sandbox-context.js';

const spec = loadStackFile(fileURLToPath(new URL('../../Pulumi.prod.yaml', import.meta.url))).spec;
const ctx = useSandboxContext({
  'postgres.url': 'postgres://app:sandbox-pg-pass-1@127.0.0.1:45432/chat?sslmode=require',
  'redis.url': 'rediss://default:sandbox-redis-pass-1@127.0.0.1:46379',
});
const run = (breaks: string[] = []) => startAndVerify(vercelSandbox, vercelFamily as never, spec, ctx(), breaks);

describe('vercel sandbox (default profile)', () => {
  it('serves a project on which every vercel and env check passes or skips, without printing a secret', async () => {
    const { report, running } = await run();
    expect(notPassing(report)).toEqual([]);
    expect(report.results.filter((r) => r.status === 'skip').map((r) => r.control).sort()).toEqual(['env.admin-emails', 'env.app-url', 'env.bcrypt-rounds', 'env.required-vars', 'env.targets']);
    expect(running.targets.vercel?.expect).toEqual({ databaseHost: '127.0.0.1', redisHost: '127.0.0.1' });
    const text = JSON.stringify(report);
    for (const secret of running.secrets) expect(text).not.toContain(secret);
  });

  // env.stripe-webhook-secret is judged by the stripe family: tested below with the Stripe sandbox.
  const plantable = vercelSandbox.breakable.filter((id) => id !== 'env.targets' && id !== 'env.admin-emails' && id !== 'env.stripe-webhook-secret');

  it.each(plantable)('plants %s so that exactly that control fails', async (control) => {
    const { report } = await run([control]);
    expect(failing(report)).toEqual([control]);
    expect(report.results.filter((r) => r.status === 'error')).toEqual([]);
  });

  it('plants every plantable fault at once', async () => {
    expect(failing((await run(plantable)).report)).toEqual([...plantable].sort());
  });

  it('refuses faults the stack leaves nothing to break for', async () => {
    await expect(run(['env.targets'])).rejects.toThrow('--break env.targets: env.targets: cannot plant a fault: no env var lists forbiddenTargets');
    await expect(run(['env.admin-emails'])).rejects.toThrow('--break env.admin-emails: env.admin-emails: cannot plant a fault: the stack lists no admin emails');
  });

  // Phase 1 provisions the Stripe endpoint, phase 2 sets the project's vars from its outputs, as the sandbox runs them.
  async function withStripe(breaks: string[]) {
    const stripe = await stripeSandbox.start(spec, ctx(), new Set());
    try {
      const outputs = { ...ctx().outputs, ...stripe.outputs };
      const vercel = await vercelSandbox.start(spec, { ...ctx(), outputs }, new Set(breaks));
      try {
        const targets = targetsSchema.parse({ ...stripe.targets, ...vercel.targets, http: { webhookSecret: outputs['stripe.webhookSecret'] } });
        const redactor = new Redactor().add(...stripe.secrets, ...vercel.secrets);
        return await runVerify({ stack: 'sandbox', spec, targets, families: [stripeFamily as never, vercelFamily as never], redactor, select: () => true, active: false });
      } finally {
        await vercel.stop();
      }
    } finally {
      await stripe.stop();
    }
  }
  const judged = (r: Awaited<ReturnType<typeof withStripe>>) => r.results.filter((x) => x.control === 'env.stripe-webhook-secret').map((x) => `${x.status}: ${x.message}`);

  it('leaves STRIPE_WEBHOOK_SECRET set after the endpoint was created: sensitive, so only its age is judged', async () => {
    const report = await withStripe([]);
    expect(judged(report)).toEqual([expect.stringMatching(/^skip: Not judged whether STRIPE_WEBHOOK_SECRET holds the signing secret of Stripe webhook endpoint we_\w+: Vercel keeps sensitive values write-only\. Only its age was judged: it was last set at \S+, after endpoint we_\w+ was created at \S+, so it is not certainly stale\./)]);
    expect(failing(report)).toEqual([]);
  });

  it('plants env.stripe-webhook-secret (a var last set a day before the endpoint was re-created) so that exactly that control fails', async () => {
    const report = await withStripe(['env.stripe-webhook-secret']);
    expect(failing(report)).toEqual(['env.stripe-webhook-secret']);
    expect(judged(report)).toEqual([expect.stringMatching(/^fail: STRIPE_WEBHOOK_SECRET was last set in production at \S+, before Stripe webhook endpoint we_\w+ for https:\/\/\S+ was created at \S+: /)]);
    expect(report.results.filter((r) => r.status === 'error')).toEqual([]);
  });
});
