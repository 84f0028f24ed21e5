import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripeSandbox } from '../../../sandbox/stripe/index.js';
import type { SandboxRunning } from '../../../sandbox/types.js';
import { targetsSchema } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import { FORMATS, render } from '../../../report/formats/index.js';
import { runVerify } from '../../../verify/runner.js';
import { stripeFamily } from '../../../verify/stripe/index.js';
import type { TargetFamily } from '../../../verify/types.js';
import type { Report, Result } from '../../../report/types.js';
import { useSandboxContext } from '../../sandbox/stripe-context.js';
import { sourceMapOf } from '../../../report/source.js';
import { stripeStack } from './fixture.js';

const SPEC = stripeStack();
const context = useSandboxContext();
let running: SandboxRunning;
let webhookSecret: string;

beforeAll(async () => {
  running = await stripeSandbox.start(SPEC, context(), new Set());
  webhookSecret = running.outputs?.['stripe.webhookSecret'] ?? '';
});
afterAll(async () => {
  await running.stop();
});

/** A result that echoes secrets everywhere a reporter prints, as a careless check or error message would. */
const leaky = (secret: string): Result => ({
  control: 'stripe.webhook.endpoint',
  title: 'Stripe webhook endpoint registered',
  severity: 'critical',
  status: 'error',
  message: `Could not sign a test event with ${secret}.`,
  expected: `STRIPE_WEBHOOK_SECRET=${secret}`,
  actual: encodeURIComponent(secret),
  resource: `https://shop.example.com/hook?secret=${secret}`,
  durationMs: 1,
});

describe('the webhook signing secret', () => {
  it('is a whsec_ secret the sandbox registers for redaction', () => {
    expect(webhookSecret).toMatch(/^whsec_[A-Za-z0-9]{32}$/);
    expect(running.secrets).toContain(webhookSecret);
  });

  it('appears in no report format, registered or not', async () => {
    const redactor = new Redactor().add(...running.secrets);
    const verified = await runVerify({ stack: 'prod', spec: SPEC, targets: targetsSchema.parse(running.targets), families: [stripeFamily as TargetFamily<unknown>], redactor, select: () => true, active: false });
    expect(JSON.stringify(verified)).not.toContain('whsec_');
    const unregistered = `whsec_${'Q7'.repeat(16)}`;
    const report: Report = { ...verified, results: [...verified.results, leaky(webhookSecret), leaky(unregistered)] };
    expect(JSON.stringify(report)).toContain(webhookSecret);
    for (const format of FORMATS) {
      const out = render(format, report, { redactor, source: sourceMapOf('Pulumi.prod.yaml', process.cwd()) });
      expect(out, format).not.toContain(webhookSecret);
      expect(out, format).not.toContain(webhookSecret.slice('whsec_'.length));
      expect(out, format).not.toContain(unregistered.slice('whsec_'.length));
      expect(out, format).toContain('[REDACTED]');
    }
  });
});
