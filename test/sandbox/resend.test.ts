import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dnsSandbox } from '../../sandbox/dns/index.js';
import { resendSandbox, sandboxSendingDomain } from '../../sandbox/resend/index.js';
import { vercelSandbox } from '../../sandbox/vercel/index.js';
import { Redactor } from '../../report/redact.js';
import type { Report } from '../../report/types.js';
import { loadStackFile, stackSpecSchema, type StackSpec } from '../../spec/index.js';
import { resendFamily } from '../../verify/resend/index.js';
import { runVerify } from '../../verify/runner.js';
import { failing, notPassing, useSandboxContext } from './sandbox-context.js';

const spec = loadStackFile(fileURLToPath(new URL('../../Pulumi.prod.yaml', import.meta.url))).spec;
const ctx = useSandboxContext();

/** The Resend account, the zone that publishes its records, and the Vercel project whose From var names the domain. */
async function startAndVerify(s: StackSpec, breaks: readonly string[] = []): Promise<{ report: Report; secrets: readonly string[] }> {
  const [resend, dns] = await Promise.all([resendSandbox.start(s, ctx(), new Set(breaks)), dnsSandbox.start(s, ctx(), new Set())]);
  try {
    const vercel = s.vercel ? await vercelSandbox.start(s, { ...ctx(), outputs: resend.outputs ?? {} }, new Set()) : undefined;
    try {
      const secrets = [...resend.secrets, ...dns.secrets, ...(vercel?.secrets ?? [])];
      const targets = { ...resend.targets, ...dns.targets, ...(vercel?.targets ?? {}) } as never;
      const report = await runVerify({ stack: 'sandbox', spec: s, targets, families: [resendFamily as never], redactor: new Redactor().add(...secrets), select: () => true, active: false });
      return { report, secrets };
    } finally {
      await vercel?.stop();
    }
  } finally {
    await Promise.all([resend.stop(), dns.stop()]);
  }
}

describe('resend sandbox', () => {
  it("verifies the default stack's sending domain, its records served by the sandbox DNS, the app's From var on it", async () => {
    const { report } = await startAndVerify(spec);
    expect(notPassing(report)).toEqual([]);
    expect(report.results.map((r) => [r.control, r.resource ?? '', r.status])).toEqual([['email.sending-domain', 'mail.chat.example.com', 'pass']]);
  });

  it('takes the domain of a From var the stack sets literally, as the commerce example does, without a dns section', async () => {
    const s = stackSpecSchema.parse({
      app: { name: 'shop', domain: 'shop.example.org', canonicalHost: 'none' },
      env: { vars: { RESEND_FROM_EMAIL: { from: 'value', value: 'orders@example.org' } } },
      vercel: { project: 'shop' },
      email: {},
    });
    expect(sandboxSendingDomain(s)).toBe('example.org');
    const { report } = await startAndVerify(s);
    expect(report.results.map((r) => [r.resource, r.status])).toEqual([['example.org', 'pass']]);
  });

  it.each(resendSandbox.breakable)('plants %s so that exactly that control fails, printing no key', async (control) => {
    const { report, secrets } = await startAndVerify(spec, [control]);
    expect(failing(report)).toEqual([control]);
    for (const secret of secrets) expect(JSON.stringify(report)).not.toContain(secret);
  });
});
