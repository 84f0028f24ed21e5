import { chmodSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { neonSandbox } from '../../sandbox/neon/index.js';
import { pgSandbox } from '../../sandbox/pg/index.js';
import { Redactor } from '../../report/redact.js';
import type { Report } from '../../report/types.js';
import { loadStackFile } from '../../spec/index.js';
import { neonFamily } from '../../verify/neon/index.js';
import { runVerify } from '../../verify/runner.js';
import { failing, notPassing, useSandboxContext } from './sandbox-context.js';

const spec = loadStackFile(fileURLToPath(new URL('../../examples/Pulumi.neon.yaml', import.meta.url))).spec;
const ctx = useSandboxContext();
// Postgres drops root: the postgres OS user must pass through the context's dir to its own, as in the sandbox's run.
beforeAll(() => chmodSync(ctx().tmpDir, 0o711));

/** The local Postgres and the Neon project standing for it, verified by the neon family with --active (the restore test runs). */
async function startAndVerify(breaks: readonly string[] = []): Promise<{ report: Report; secrets: readonly string[] }> {
  const pg = await pgSandbox.start(spec, ctx(), new Set());
  try {
    const neon = await neonSandbox.start(spec, { ...ctx(), outputs: pg.outputs ?? {} }, new Set(breaks));
    try {
      const secrets = [...pg.secrets, ...neon.secrets];
      const targets = { ...pg.targets, ...neon.targets } as never;
      const report = await runVerify({ stack: 'sandbox', spec, targets, families: [neonFamily as never], redactor: new Redactor().add(...secrets), select: () => true, active: true });
      return { report, secrets };
    } finally {
      await neon.stop();
    }
  } finally {
    await pg.stop();
  }
}

describe('neon sandbox', () => {
  it('holds a protected production branch, 30 days of history, IP Allow, a pooled DATABASE_URL and a restorable past', async () => {
    const { report } = await startAndVerify();
    expect(notPassing(report)).toEqual([]);
    expect(report.results.map((r) => [r.control, r.status])).toEqual([
      ['pg.instance', 'pass'],
      ['pg.instance', 'pass'],
      ['pg.backups.enabled', 'pass'],
      ['pg.backups.retention', 'pass'],
      ['pg.backups.recent', 'skip'],
      ['pg.encryption-at-rest', 'skip'],
      ['pg.network-access', 'pass'],
      ['pg.connection-pooling', 'pass'],
      ['pg.backups.restore-test', 'pass'],
    ]);
  }, 120_000);

  it.each(neonSandbox.breakable)('plants %s so that exactly that control fails', async (control) => {
    const { report, secrets } = await startAndVerify([control]);
    expect(failing(report)).toEqual([control]);
    for (const secret of secrets) expect(JSON.stringify(report)).not.toContain(secret);
  }, 120_000);
});
