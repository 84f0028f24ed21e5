import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sentrySandbox } from '../../sandbox/sentry/index.js';
import { vercelSandbox } from '../../sandbox/vercel/index.js';
import { Redactor } from '../../report/redact.js';
import type { Report } from '../../report/types.js';
import { loadStackFile } from '../../spec/index.js';
import { runVerify } from '../../verify/runner.js';
import { sentryFamily } from '../../verify/sentry/index.js';
import { failing, notPassing, useSandboxContext } from './sandbox-context.js';

const spec = loadStackFile(fileURLToPath(new URL('../../Pulumi.prod.yaml', import.meta.url))).spec;
const ctx = useSandboxContext();

/** The Sentry project and the Vercel project that reports to it (SENTRY_DSN from the project's key), verified together. */
async function startAndVerify(breaks: readonly string[] = []): Promise<{ report: Report; secrets: readonly string[] }> {
  const sentry = await sentrySandbox.start(spec, ctx(), new Set(breaks));
  try {
    const vercel = await vercelSandbox.start(spec, { ...ctx(), outputs: sentry.outputs ?? {} }, new Set());
    try {
      const secrets = [...sentry.secrets, ...vercel.secrets];
      const targets = { ...sentry.targets, ...vercel.targets } as never;
      const report = await runVerify({ stack: 'sandbox', spec, targets, families: [sentryFamily as never], redactor: new Redactor().add(...secrets), select: () => true, active: false });
      return { report, secrets };
    } finally {
      await vercel.stop();
    }
  } finally {
    await sentry.stop();
  }
}

describe('sentry sandbox', () => {
  it('holds an active project with a key and a notifying rule per alert condition; the app reports to that key', async () => {
    const { report } = await startAndVerify();
    expect(notPassing(report)).toEqual([]);
    expect(report.results.map((r) => [r.control, r.resource ?? '', r.status])).toEqual([
      ['monitoring.error-tracking', '', 'pass'],
      ['env.sentry-dsn', 'SENTRY_DSN', 'pass'],
      ['monitoring.alerts', 'new-issue', 'pass'],
      ['monitoring.alerts', 'error-rate > 10% (critical)', 'pass'],
      ['monitoring.alerts', 'error-rate > 5% (warning)', 'pass'],
      ['monitoring.alerts', 'latency > 5 s (warning)', 'pass'],
      ['monitoring.apm', '', 'pass'],
      ['monitoring.dashboards', 'Production health', 'pass'],
    ]);
  });

  it.each(sentrySandbox.breakable)('plants %s so that exactly that control fails', async (control) => {
    const { report, secrets } = await startAndVerify([control]);
    expect(failing(report)).toEqual([control]);
    for (const secret of secrets) expect(JSON.stringify(report)).not.toContain(secret);
  });
});
