import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dsnOutput, sentrySandbox } from '../../sandbox/sentry/index.js';
import { loadStackFile } from '../../spec/index.js';
import { sentryFamily } from '../../verify/sentry/index.js';
import { failing, notPassing, startAndVerify, useSandboxContext } from './sandbox-context.js';

const spec = loadStackFile(fileURLToPath(new URL('../../Pulumi.prod.yaml', import.meta.url))).spec;
const ctx = useSandboxContext();

describe('sentry sandbox', () => {
  it('holds an active project with a key and a notifying rule per alert condition; hands the DSN to the Vercel project', async () => {
    const { report, running } = await startAndVerify(sentrySandbox, sentryFamily as never, spec, ctx());
    expect(notPassing(report)).toEqual([]);
    expect(report.results.filter((r) => r.control === 'monitoring.alerts').map((r) => [r.resource, r.status])).toEqual([
      ['new-issue', 'pass'],
      ['error-rate', 'pass'],
      ['latency', 'pass'],
    ]);
    expect(running.outputs?.[dsnOutput('SENTRY_DSN')]).toMatch(/^http:\/\/[0-9a-f]{32}@127\.0\.0\.1:\d+\/\d+$/);
  });

  it.each(sentrySandbox.breakable)('plants %s so that exactly that control fails', async (control) => {
    const { report, running } = await startAndVerify(sentrySandbox, sentryFamily as never, spec, ctx(), [control]);
    expect(failing(report)).toEqual([control]);
    for (const secret of running.secrets) expect(JSON.stringify(report)).not.toContain(secret);
  });
});
